package org.autoenroll.samples.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCSP load generator sends what openssl sends, and works end to end; it times nothing (see README.md). */
class OcspLoadTest {

    @Test
    void request_noNonce_byteForByteWhatOpensslOcspReqoutWrites(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=load test CA,O=Example");
        X509CertificateHolder ca = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(),
                new Date(System.currentTimeMillis() + 86_400_000L), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        Path caPem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        BigInteger serial = new BigInteger("5A3F00C0FFEE0123456789ABCDEF0123456789AB", 16);
        Path req = dir.resolve("req.der");
        openssl(dir, "ocsp", "-issuer", caPem.toString(), "-serial", "0x" + serial.toString(16), "-no_nonce",
                "-reqout", req.toString());
        assertArrayEquals(Files.readAllBytes(req), OcspRequests.request(ca, serial, null));
        // with a nonce the structure differs only by the extension: openssl's nonce is random, so compare lengths
        Path withNonce = dir.resolve("nonce.der");
        openssl(dir, "ocsp", "-issuer", caPem.toString(), "-serial", "0x" + serial.toString(16), "-reqout",
                withNonce.toString());
        assertEquals(Files.readAllBytes(withNonce).length, OcspRequests.request(ca, serial, new byte[16]).length);
    }

    @Test
    void run_smallLoad_everyAnswerChecksOut() throws Exception {
        OcspLoad.Report report = OcspLoad.run(new OcspLoad.Options(300, 2, 60, 20));
        assertTrue(report.allSucceeded(), report.text());
        assertEquals(3, report.phases().size());
        for (Phase phase : report.phases()) {
            assertEquals(300, phase.succeeded(), report.text());
        }
        assertTrue(report.signsPerSecond() > 0, report.text());
    }

    @Test
    void parse_outOfRange_refused() {
        assertThrows(IllegalArgumentException.class, () -> OcspLoad.parse(new String[] {"--threads", "0"}));
        assertThrows(IllegalArgumentException.class, () -> OcspLoad.parse(new String[] {"--certificates", "1000000"}));
        assertThrows(IllegalArgumentException.class, () -> OcspLoad.parse(new String[] {"--bogus", "1"}));
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.assumeTrue(System.getenv("CI") != null, "openssl is not installed");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
    }
}
