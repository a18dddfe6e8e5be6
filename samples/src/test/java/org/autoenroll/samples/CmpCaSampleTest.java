package org.autoenroll.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.SecretRef;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.testkit.InMemoryCertificateStore;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sample: the pipeline with a CMP CA ({@link CmpCaEnrollment}), here OpenSSL's CMP mock server,
 * which answers with the certificate this test prepared for the client's key.
 */
class CmpCaSampleTest {
    private static final String CUSTOMER = "https://example.com/customer/main";

    @Test
    void enroll_withCmpCa_certificateComesFromTheCmpServer(@TempDir Path dir) throws Exception {
        KeyPair caKey = Samples.ecKey();
        KeyPair clientKey = Samples.ecKey();
        X509Certificate ca = certificate("CN=Example CMP CA", caKey, "CN=Example CMP CA", caKey.getPublic(), true);
        X509Certificate alice = certificate("CN=Example CMP CA", caKey, "CN=Alice Example", clientKey.getPublic(), false);
        Files.writeString(dir.resolve("ca.pem"), Samples.pem(ca));
        Files.writeString(dir.resolve("alice.pem"), Samples.pem(alice));
        Path secret = Files.writeString(dir.resolve("cmp-secret"), "sample-cmp-secret-5b0");

        Process mock = startMock(dir, "-srv_ref", "autoenroll", "-srv_secret", "file:cmp-secret", "-rsp_cert", "alice.pem");
        try {
            DirectoryRef ad = new DirectoryRef("corp", "EXAMPLE.COM"); // the directory the lookup reads, for users of EXAMPLE.COM
            InMemoryCertificateStore store = new InMemoryCertificateStore();
            EnrollmentService service = EnrollmentService.builder()
                    .tenants(new InMemoryTenantRegistry(List.of(new Customer(CUSTOMER, true, List.of("example.com"), "corp")),
                            List.of(new Organization(1, CUSTOMER, List.of("example.com"), null, false)), List.of(ad)))
                    .directory(new MapDirectoryLookup(Map.of("alice@EXAMPLE.COM", EmbeddedEnrollmentTest.ALICE)))
                    .policy(new DefaultEnrollmentPolicy(new CertificateProfile("user", Duration.ofDays(30), Duration.ofDays(5), false)))
                    .signer(CmpCaEnrollment.signer(URI.create("http://127.0.0.1:" + port + "/"), "autoenroll",
                            SecretRef.parse("file:" + secret), dir.resolve("ca.pem")))
                    .certificates(store).persons(store).build();

            var issued = service.enroll(AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null), new EnrollmentRequest(
                    CUSTOMER, "1", "alice@example.com", null, Samples.csr("CN=Alice Example", clientKey), null))
                    .certificate().orElseThrow();
            assertArrayEquals(alice.getEncoded(), issued.certificate());
            assertEquals(alice.getSerialNumber(), store.find(alice.getSerialNumber()).orElseThrow().serial());
        } finally {
            mock.destroy();
            mock.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private int port;

    /** {@code openssl cmp -port 0 ...}; skipped outside CI when openssl is missing. */
    private Process startMock(Path dir, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "cmp", "-config", "", "-port", "0"));
        command.addAll(List.of(options));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(dir.resolve("mock.err").toFile()).start();
        } catch (java.io.IOException e) {
            if (System.getenv("CI") != null) {
                Assertions.fail("openssl is required in CI");
            }
            Assumptions.abort("openssl not found; skipped outside CI");
            throw e;
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern accept = Pattern.compile("ACCEPT \\S*:(\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = accept.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return process;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("openssl cmp mock did not start: " + Files.readString(dir.resolve("mock.err")));
    }

    private static X509Certificate certificate(String issuer, KeyPair issuerKey, String subject,
                                               java.security.PublicKey key, boolean ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name(subject), key);
        if (ca) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }
}
