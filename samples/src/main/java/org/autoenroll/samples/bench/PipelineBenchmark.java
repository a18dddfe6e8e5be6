package org.autoenroll.samples.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.CryptoProviderChoice;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.samples.MapDirectoryLookup;
import org.autoenroll.testkit.InMemoryCertificateStore;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole enrollment pipeline in process, without HTTP and Kerberos ({@code enroll}:
 * {@link EnrollmentService#enroll} from an authenticated caller: tenant checks, directory (in memory),
 * person sync, CSR checks and signature verification, policy, signing by the built-in CA with an EC
 * P-256 key, recording in the store), against {@code rawSign}: the same CA key signing a TBSCertificate
 * of the same size with the same provider, one {@code Signature} object reused (the fastest a CA can
 * sign). {@code signAndVerifyCsr} adds the one CSR signature verification the pipeline cannot skip
 * (proof of possession): the floor of an enrollment's cost.
 *
 * <p>{@code crypto} is the CA's {@link CryptoProviderChoice} (ACCP: native, required; BOUNCY_CASTLE:
 * the pure-Java fallback), used for the CA's signatures and the CSR checks alike. {@code store} is the
 * test kit's in-memory store (default) or the H2 store ({@code -p store=H2}: a new database each iteration). Each iteration gets a
 * pool of {@code poolSize} fresh CSRs (a new P-256 key each) over {@value #USERS} users, made before
 * it starts; a pool that runs out starts again (logged at the iteration's end).
 *
 * <p>Read: {@code enroll} / {@code rawSign} of the same {@code crypto} (goal: at least 0.5), and
 * {@code enroll} / {@code signAndVerifyCsr} (what the pipeline adds to the cryptography it must do).
 * On a shared machine, read them also from the CPU each operation took ({@link CpuTime}:
 * {@code cpuMicros} / {@code calls}), which other processes disturb far less than ops/s.
 * {@code -p caKey=RSA_2048} gives the same for an RSA CA.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
// per-request INFO lines (EnrollmentService logs each issuance) would measure the logger: warnings only
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PipelineBenchmark {
    static final String CUSTOMER = "https://example.com/customer/bench";
    static final String REALM = "EXAMPLE.COM";
    static final int USERS = 1000;
    private static final String PASSWORD = "bench-only-password";

    /** The CA, one per trial: its key, and a TBSCertificate it signed through the pipeline. */
    @State(Scope.Benchmark)
    public static class Ca {
        @Param({"ACCP", "BOUNCY_CASTLE"})
        public String crypto;

        @Param({"EC_P256"})
        public String caKey;

        Path dir;
        BuiltInCa ca;
        PrivateKey key;
        String signatureAlgorithm;
        byte[] tbs;
        PKCS10CertificationRequest sampleCsr;
        Map<String, DirectoryEntry> directory;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("pipeline-bench-");
            CryptoProviderChoice choice = CryptoProviderChoice.valueOf(crypto);
            ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=Bench CA,O=Example").keyType(CaKeyType.valueOf(caKey))
                    .keystorePath(dir.resolve("ca.p12")).keystorePassword(SecretRef.literal(PASSWORD.toCharArray()))
                    .baseUrl("https://pki.example.com").cryptoProvider(choice).build(), Clock.systemUTC());
            if (ca.cryptoProviderChoice() != choice) {
                throw new IllegalStateException("the CA signs with " + ca.cryptoProviderChoice() + ", not " + choice);
            }
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(dir.resolve("ca.p12"))) {
                keystore.load(in, PASSWORD.toCharArray());
            }
            // the CA's own key, as BuiltInCa holds it: translated once into the provider's key class
            signatureAlgorithm = ca.keyType().signatureAlgorithm();
            key = (PrivateKey) KeyFactory.getInstance(ca.keyType().algorithm(), ca.cryptoProvider())
                    .translateKey(keystore.getKey("ca", PASSWORD.toCharArray()));
            directory = new HashMap<>();
            for (int i = 0; i < USERS; i++) {
                directory.put(principal(i), DirectoryEntry.builder("CN=" + name(i) + ",CN=Users,DC=example,DC=com", user(i))
                        .userPrincipalName(user(i) + "@example.com").mail(email(i)).commonName(name(i)).build());
            }
            // one enrollment for the size of a real TBSCertificate
            try (Pool pool = new Pool(this, "MEMORY", 1)) {
                EnrollmentResult result = pool.enroll();
                tbs = new X509CertificateHolder(result.certificate().orElseThrow().certificate()).toASN1Structure()
                        .getTBSCertificate().getEncoded(ASN1Encoding.DER);
                sampleCsr = pool.csr(0);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            delete(dir);
        }
    }

    /** The service and its fresh CSRs, new for each iteration. */
    @State(Scope.Thread)
    public static class Enrollments {
        @Param({"MEMORY"})
        public String store;

        @Param("30000")
        public int poolSize;

        Pool pool;

        @Setup(Level.Iteration)
        public void setUp(Ca ca) throws Exception {
            pool = new Pool(ca, store, poolSize);
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws IOException {
            pool.close();
        }
    }

    /** A reused Signature with the CA key, and a CSR verifier, of the CA's provider. */
    @State(Scope.Thread)
    public static class RawCrypto {
        Signature signer;
        Signature csrVerifier;
        java.security.PublicKey csrKey;
        byte[] csrInfo;
        byte[] csrSignature;
        byte[] tbs;

        @Setup(Level.Trial)
        public void setUp(Ca ca) throws Exception {
            Provider provider = ca.ca.cryptoProvider();
            signer = Signature.getInstance(ca.signatureAlgorithm, provider);
            signer.initSign(ca.key);
            tbs = ca.tbs;
            csrVerifier = Signature.getInstance("SHA256withECDSA", provider);
            csrKey = KeyFactory.getInstance("EC", provider).generatePublic(
                    new java.security.spec.X509EncodedKeySpec(ca.sampleCsr.getSubjectPublicKeyInfo().getEncoded()));
            csrInfo = ca.sampleCsr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
            csrSignature = ca.sampleCsr.getSignature();
        }
    }

    @Benchmark
    public EnrollmentResult enroll(Enrollments enrollments, CpuTime cpu) throws EnrollmentException {
        cpu.start();
        EnrollmentResult result = enrollments.pool.enroll();
        cpu.stop();
        return result;
    }

    @Benchmark
    public byte[] rawSign(RawCrypto raw, CpuTime cpu) throws SignatureException {
        cpu.start();
        raw.signer.update(raw.tbs);
        byte[] signature = raw.signer.sign();
        cpu.stop();
        return signature;
    }

    @Benchmark
    public byte[] signAndVerifyCsr(RawCrypto raw, CpuTime cpu) throws Exception {
        cpu.start();
        raw.csrVerifier.initVerify(raw.csrKey);
        raw.csrVerifier.update(raw.csrInfo);
        if (!raw.csrVerifier.verify(raw.csrSignature)) {
            throw new IllegalStateException("the sample CSR does not verify");
        }
        raw.signer.update(raw.tbs);
        byte[] signature = raw.signer.sign();
        cpu.stop();
        return signature;
    }

    /** An EnrollmentService over one store and a pool of fresh CSRs. Not thread-safe. */
    static final class Pool implements AutoCloseable {
        private final EnrollmentService service;
        private final JdbcCertificateStore h2;
        private final Path h2Dir;
        private final EnrollmentRequest[] requests;
        private final PKCS10CertificationRequest[] csrs;
        private final AuthenticatedPrincipal[] callers;
        private int next;
        private long served;

        Pool(Ca ca, String store, int size) throws Exception {
            CertificateStore certificates;
            PersonStore persons;
            if (store.equals("H2")) {
                h2Dir = Files.createTempDirectory(ca.dir, "h2-");
                h2 = JdbcCertificateStore.h2(h2Dir, Clock.systemUTC());
                certificates = h2;
                persons = h2;
            } else {
                h2Dir = null;
                h2 = null;
                InMemoryCertificateStore memory = new InMemoryCertificateStore(Clock.systemUTC());
                certificates = memory;
                persons = memory;
            }
            InMemoryTenantRegistry tenants = new InMemoryTenantRegistry(
                    List.of(new Customer(CUSTOMER, true, List.of("example.com"), "ad1")),
                    List.of(new Organization(1, CUSTOMER, List.of("example.com"), null, false)),
                    List.of(new DirectoryRef("ad1", REALM)));
            CertificateProfile profile = new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(60), false);
            service = EnrollmentService.builder().tenants(tenants).directory(new MapDirectoryLookup(ca.directory))
                    .policy(new DefaultEnrollmentPolicy(profile)).signer(ca.ca).certificates(certificates).persons(persons)
                    .pipeline(p -> p.csrVerificationProvider(ca.ca.cryptoProvider())).build();
            requests = new EnrollmentRequest[size];
            csrs = new PKCS10CertificationRequest[size];
            callers = new AuthenticatedPrincipal[size];
            // keys and CSRs made natively when ACCP loads, whatever the CA uses: setup only, not measured, and
            // Bouncy Castle would take minutes per pool on a busy machine
            Provider maker = fastestProvider(ca.ca.cryptoProvider());
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", maker);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            for (int i = 0; i < size; i++) {
                int user = i % USERS;
                KeyPair pair = generator.generateKeyPair();
                csrs[i] = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + name(user)), pair.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(maker)
                                .build(pair.getPrivate()));
                requests[i] = new EnrollmentRequest(CUSTOMER, "1", email(user), null, pem(csrs[i]), null);
                callers[i] = AuthenticatedPrincipal.of(user(user), REALM, null);
            }
        }

        EnrollmentResult enroll() throws EnrollmentException {
            int i = next;
            next = i + 1 == requests.length ? 0 : i + 1;
            served++;
            EnrollmentResult result = service.enroll(callers[i], requests[i]);
            if (result.certificate().isEmpty()) {
                throw new IllegalStateException("enrollment " + i + " was not issued");
            }
            return result;
        }

        PKCS10CertificationRequest csr(int i) {
            return csrs[i];
        }

        @Override
        public void close() throws IOException {
            if (served > requests.length) {
                System.err.println("the CSR pool of " + requests.length + " served " + served
                        + " enrollments: CSRs were used again; raise -p poolSize");
            }
            if (h2 != null) {
                h2.close();
                delete(h2Dir);
            }
        }
    }

    private static Provider fastestProvider(Provider otherwise) {
        com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
        return accp.getLoadingError() == null ? accp : otherwise;
    }

    static String user(int i) {
        return "user" + i;
    }

    static String principal(int i) {
        return user(i) + "@" + REALM;
    }

    static String name(int i) {
        return "User " + i;
    }

    static String email(int i) {
        return user(i) + "@example.com";
    }

    static String pem(PKCS10CertificationRequest csr) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        }
        return out.toString();
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
