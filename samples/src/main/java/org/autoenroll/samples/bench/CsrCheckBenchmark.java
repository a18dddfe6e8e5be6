package org.autoenroll.samples.bench;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.csr.CheckedCsr;
import org.autoenroll.core.csr.CsrChecker;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link CsrChecker#check} (parse, SHA-2 signature verification, key size and curve, names owned by
 * the caller) on an RSA-2048 and an EC P-256 request, against the baseline of parsing the same PEM
 * only ({@code parsePem}): the ratio says what the checks add to reading the request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CsrCheckBenchmark {
    private static final DirectoryEntry ALICE = DirectoryEntry.builder("CN=Alice Example,CN=Users,DC=example,DC=com", "alice")
            .userPrincipalName("alice@example.com").mail("alice@example.com").commonName("Alice Example").build();

    @Param({"RSA_2048", "EC_P256"})
    public String key;

    private String pem;
    private final CsrChecker checker = new CsrChecker();

    @Setup
    public void setUp() throws Exception {
        KeyPair pair;
        String signature;
        if (key.equals("RSA_2048")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
            signature = "SHA256withRSA";
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            signature = "SHA256withECDSA";
        }
        pem = pem(pair, signature);
        checker.check(pem, ALICE); // fails the setup if the request is not one the checker accepts
    }

    @Benchmark
    public CheckedCsr check() throws EnrollmentException {
        return checker.check(pem, ALICE);
    }

    @Benchmark
    public Object parsePem() throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return parser.readObject();
        }
    }

    private static String pem(KeyPair pair, String signature) throws IOException, OperatorCreationException {
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=Alice Example,E=alice@example.com"), pair.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(pair.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        }
        return out.toString();
    }
}
