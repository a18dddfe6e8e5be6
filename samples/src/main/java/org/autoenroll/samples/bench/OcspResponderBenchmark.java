package org.autoenroll.samples.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.ca.OcspResponder;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OCSP responder in process, without HTTP, on an EC P-256 CA and an H2 store holding 1,000
 * valid certificates: {@code get} answers GET paths as {@code openssl ocsp -no_nonce} forms the
 * request (signed once, then served from the cache while the store's status is unchanged),
 * {@code postNonce} answers requests each with a fresh nonce (each signed). Baselines in the same
 * run: {@code storeFind}, the store read every answer makes ({@code CertificateStore.find}), and
 * {@code sign}, the raw signing the CA's key does for an answer (what an uncached answer cannot
 * avoid). Every answer is checked to be a successful OCSPResponse outside the timed loop (setup).
 *
 * <p>Read: {@code get} / {@code storeFind} (how close the cached path is to its one store read)
 * and {@code postNonce} / {@code sign}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class OcspResponderBenchmark {
    static final int CERTIFICATES = 1_000;

    /** {@code h2}: the store as the reference server opens it today (a session per call); {@code h2Pooled}: behind HikariCP. */
    @Param({"h2", "h2Pooled"})
    public String store;

    private Path dir;
    private JdbcCertificateStore certificates;
    private BuiltInCa ca;
    private OcspResponder responder;
    private final List<String> getPaths = new ArrayList<>();
    private final List<BigInteger> serials = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private java.security.Signature signature;
    private java.security.PrivateKey caKey;
    private int next;
    private org.bouncycastle.cert.X509CertificateHolder caHolder;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("ocsp-bench-");
        Clock clock = Clock.systemUTC();
        if (store.equals("h2")) {
            certificates = JdbcCertificateStore.h2(dir.resolve("db"), clock);
        } else {
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/autoenroll;LOCK_TIMEOUT=10000;WRITE_DELAY=0");
            h2.setUser("sa");
            h2.setPassword("");
            certificates = JdbcCertificateStore.pooled(h2, 4, clock);
        }
        ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=bench CA").keyType(CaKeyType.EC_P256)
                .keystorePath(dir.resolve("ca.p12")).keystorePassword(SecretRef.literal("bench".toCharArray()))
                .baseUrl("http://localhost:8080").build(), clock);
        responder = OcspResponder.open(ca, certificates, clock);
        caHolder = new org.bouncycastle.cert.X509CertificateHolder(ca.caCertificateDer());
        Instant now = Instant.now();
        var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        for (int i = 0; i < CERTIFICATES; i++) {
            BigInteger serial = new BigInteger(159, random).setBit(158);
            certificates.recordIssued(CertificateRecord.issued(new IssuedCertificate(serial, new byte[] {0x30, 0x00}, List.of(),
                    "CN=bench" + i, now, now.plus(Duration.ofDays(30))), "bench", "user" + i + "@EXAMPLE.COM", null,
                    "bench-" + i, "User"), Optional.empty());
            byte[] der = new OCSPReqBuilder().addRequest(new CertificateID(sha1, caHolder, serial)).build().getEncoded();
            getPaths.add(URLEncoder.encode(Base64.getEncoder().encodeToString(der), StandardCharsets.US_ASCII));
            serials.add(serial);
        }
        for (String path : getPaths) {
            check(responder.respondToGetPath(path));
        }
        check(postNonce());
        // the same signing the responder does: the CA's key, SHA256withECDSA, Bouncy Castle
        java.security.KeyStore keystore = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("ca.p12"))) {
            keystore.load(in, "bench".toCharArray());
        }
        String alias = keystore.aliases().nextElement();
        caKey = (java.security.PrivateKey) keystore.getKey(alias, "bench".toCharArray());
        signature = java.security.Signature.getInstance("SHA256withECDSA", new org.bouncycastle.jce.provider.BouncyCastleProvider());
    }

    private static void check(byte[] answer) throws IOException {
        if (new OCSPResp(answer).getStatus() != 0) {
            throw new IllegalStateException("not a successful OCSP response");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        certificates.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public byte[] get() {
        return responder.respondToGetPath(getPaths.get(next++ % CERTIFICATES));
    }

    @Benchmark
    public byte[] postNonce() throws Exception {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        byte[] der = new OCSPReqBuilder().addRequest(new CertificateID(sha1, caHolder, serials.get(next++ % CERTIFICATES)))
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(new DEROctetString(nonce).getEncoded())))).build().getEncoded();
        return responder.respond(der);
    }

    @Benchmark
    public Object storeFind() throws Exception {
        return certificates.find(serials.get(next++ % CERTIFICATES));
    }

    @Benchmark
    public byte[] sign() throws Exception {
        signature.initSign(caKey, random);
        signature.update(getPaths.get(next++ % CERTIFICATES).getBytes(StandardCharsets.US_ASCII));
        return signature.sign();
    }
}
