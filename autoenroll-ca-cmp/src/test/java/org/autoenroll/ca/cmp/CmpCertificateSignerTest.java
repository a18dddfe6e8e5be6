package org.autoenroll.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SecretRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CMP signer against OpenSSL's CMP mock server: what it accepts, and every answer it must refuse. */
class CmpCertificateSignerTest {
    private static final String SECRET = "cmp-test-secret-7f3a";
    private static final String SUBJECT = "CN=Alice Example";

    @TempDir
    Path dir;
    TestPki pki;
    KeyPair clientKey;
    TestSigningRequest request;

    @BeforeEach
    void setUp() throws Exception {
        MockCmpServer.requireOpenSsl();
        pki = new TestPki("CN=Mock CMP CA,O=Test");
        TestPki.write(dir, "ca.pem", pki.caCertificate);
        clientKey = TestPki.ecKey();
        request = TestSigningRequest.of(TestPki.csr(SUBJECT, clientKey), "Alice Example");
    }

    private MockCmpServer secretServer(X509Certificate answer, String secret, String... more) throws Exception {
        TestPki.write(dir, "rsp.pem", answer);
        List<String> options = new java.util.ArrayList<>(List.of("-srv_ref", "autoenroll", "-srv_secret", "pass:" + secret,
                "-rsp_cert", "rsp.pem", "-rsp_capubs", "ca.pem"));
        options.addAll(List.of(more));
        return MockCmpServer.start(dir, options.toArray(String[]::new));
    }

    private CmpCertificateSigner secretSigner(URI server) {
        return CmpCertificateSigner.builder().server(server)
                .protection(CmpProtection.sharedSecret("autoenroll", SecretRef.literal(SECRET.toCharArray())))
                .caChain(List.of(pki.caCertificate)).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).build();
    }

    @Test
    void sign_p10crWithSharedSecret_returnsTheCmpServersCertificate() throws Exception {
        X509Certificate answer = pki.issue(SUBJECT, clientKey.getPublic());
        try (MockCmpServer server = secretServer(answer, SECRET)) {
            IssuedCertificate issued = secretSigner(server.uri()).sign(request);
            assertEquals(answer.getSerialNumber(), issued.serial());
            assertArrayEquals(answer.getEncoded(), issued.certificate());
            assertArrayEquals(pki.caCertificate.getEncoded(), issued.chain().get(0));
            assertEquals("CN=Alice Example", issued.subject());
        }
    }

    @Test
    void sign_crWithSignatureProtection_returnsTheCertificate() throws Exception {
        KeyPair raKey = TestPki.ecKey();
        X509Certificate raCertificate = pki.certificate("CN=autoenroll RA", raKey.getPublic(), "CN=autoenroll RA", raKey,
                false, Duration.ofDays(5));
        KeyPair serverKey = TestPki.ecKey();
        X509Certificate serverCertificate = pki.certificate("CN=Mock CMP Server", serverKey.getPublic(), "CN=Mock CMP Server",
                serverKey, false, Duration.ofDays(5));
        TestPki.write(dir, "ra.pem", raCertificate);
        TestPki.write(dir, "srv.pem", serverCertificate);
        TestPki.write(dir, "srv.key", serverKey.getPrivate());
        X509Certificate answer = pki.issue(SUBJECT, clientKey.getPublic());
        TestPki.write(dir, "rsp.pem", answer);
        try (MockCmpServer server = MockCmpServer.start(dir, "-srv_cert", "srv.pem", "-srv_key", "srv.key",
                "-srv_trusted", "ra.pem", "-accept_raverified", "-rsp_cert", "rsp.pem")) {
            CmpCertificateSigner signer = CmpCertificateSigner.builder().server(server.uri())
                    .protection(CmpProtection.signature(raKey.getPrivate(), List.of(raCertificate), serverCertificate))
                    .requestType(CmpCertificateSigner.RequestType.CR)
                    .caChain(List.of(pki.caCertificate)).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).build();
            assertEquals(answer.getSerialNumber(), signer.sign(request).serial());
        }
    }

    @Test
    void sign_certificateForAnotherKey_refusedWith25() throws Exception {
        X509Certificate wrong = pki.issue(SUBJECT, TestPki.ecKey().getPublic());
        try (MockCmpServer server = secretServer(wrong, SECRET)) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> secretSigner(server.uri()).sign(request));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("another public key"), e.detail());
        }
    }

    @Test
    void sign_certificateForAnotherSubject_refusedWith25() throws Exception {
        X509Certificate wrong = pki.issue("CN=Mallory", clientKey.getPublic());
        try (MockCmpServer server = secretServer(wrong, SECRET)) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> secretSigner(server.uri()).sign(request));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("subject"), e.detail());
        }
    }

    @Test
    void sign_certificateOfAnotherCa_refusedWith25() throws Exception {
        TestPki other = new TestPki("CN=Mock CMP CA,O=Test");
        X509Certificate wrong = other.issue(SUBJECT, clientKey.getPublic());
        try (MockCmpServer server = secretServer(wrong, SECRET)) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> secretSigner(server.uri()).sign(request));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("not signed by the configured issuing CA"), e.detail());
        }
    }

    @Test
    void sign_serverHasAnotherSecret_refusedWith25AndTheSecretNotInTheDetail() throws Exception {
        try (MockCmpServer server = secretServer(pki.issue(SUBJECT, clientKey.getPublic()), "some-other-secret")) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> secretSigner(server.uri()).sign(request));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertFalse(e.detail().contains(SECRET) || e.getMessage().contains(SECRET), e.detail());
        }
    }

    @Test
    void sign_serverRejects_refusedWith25NamingTheStatus() throws Exception {
        try (MockCmpServer server = secretServer(pki.issue(SUBJECT, clientKey.getPublic()), SECRET,
                "-pkistatus", "2", "-failure", "9", "-statusstring", "key too weak")) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> secretSigner(server.uri()).sign(request));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("rejection") && e.detail().contains("badPOP"), e.detail());
        }
    }

    @Test
    void sign_nothingListening_refusedWith25() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> secretSigner(URI.create("http://127.0.0.1:" + port + "/")).sign(request));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
        assertTrue(e.detail().contains("127.0.0.1:" + port), e.detail());
    }

    @Test
    void sign_serverNeverAnswers_refusedWith25WithinTheExchangeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CmpCertificateSigner signer = CmpCertificateSigner.builder()
                    .server(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .protection(CmpProtection.sharedSecret("autoenroll", SecretRef.literal(SECRET.toCharArray())))
                    .caChain(List.of(pki.caCertificate)).timeouts(Duration.ofSeconds(1), Duration.ofMillis(700)).build();
            long start = System.nanoTime();
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> signer.sign(request));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("did not answer within 700 ms"), e.detail());
            assertTrue(millis < 10_000, "took " + millis + " ms");
        }
    }

    @Test
    void build_missingSettings_namesThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CmpCertificateSigner.builder().build());
        assertTrue(e.getMessage().contains("server") && e.getMessage().contains("protection")
                && e.getMessage().contains("caChain"), e.getMessage());
    }

    @Test
    void toString_sharedSecret_showsTheReferenceNeverTheSecret() {
        String text = secretSigner(URI.create("http://127.0.0.1:1/")).toString();
        assertTrue(text.contains("autoenroll"), text);
        assertFalse(text.contains(SECRET), text);
    }
}
