package org.autoenroll.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults between the signer and a real CMP server (openssl's mock), injected by a scripted proxy: each is 25. */
class CmpFaultsTest {
    private static final String SECRET = "faults-cmp-secret-0a9";

    @TempDir
    Path dir;
    TestPki pki;
    TestSigningRequest request;
    MockCmpServer mock;
    FaultProxy proxy;
    CmpCertificateSigner signer;

    @BeforeEach
    void setUp() throws Exception {
        MockCmpServer.requireOpenSsl();
        pki = new TestPki("CN=Mock CMP CA,O=Test");
        KeyPair key = TestPki.ecKey();
        request = TestSigningRequest.of(TestPki.csr("CN=Alice Example", key), "Alice Example");
        TestPki.write(dir, "rsp.pem", pki.issue("CN=Alice Example", key.getPublic()));
        mock = MockCmpServer.start(dir, "-srv_ref", "autoenroll", "-srv_secret", "pass:" + SECRET, "-rsp_cert", "rsp.pem");
        proxy = new FaultProxy(mock.uri());
        signer = CmpCertificateSigner.builder().server(proxy.uri())
                .protection(CmpProtection.sharedSecret("autoenroll", SecretRef.literal(SECRET.toCharArray())))
                .caChain(List.of(pki.caCertificate)).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        mock.close();
    }

    private String refusedDetail() {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> signer.sign(request));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
        return e.detail();
    }

    @Test
    void sign_throughTheProxy_works() throws Exception {
        assertTrue(signer.sign(request).serial().signum() > 0);
    }

    @Test
    void sign_answerOfAnEarlierTransactionReplayed_refused() throws Exception {
        signer.sign(request);
        proxy.mode.set(FaultProxy.Mode.REPLAY_FIRST_ANSWER);
        String detail = refusedDetail();
        assertTrue(detail.contains("another transaction"), detail);
    }

    @Test
    void sign_unprotectedErrorForOurTransaction_refused() {
        proxy.mode.set(FaultProxy.Mode.UNPROTECTED_ERROR);
        String detail = refusedDetail();
        assertTrue(detail.contains("unprotected error") && detail.contains("forged"), detail);
    }

    @Test
    void sign_htmlAnswer_refusedNamingTheContentType() {
        proxy.mode.set(FaultProxy.Mode.HTML);
        assertTrue(refusedDetail().contains("text/html"));
    }

    @Test
    void sign_http500_refused() {
        proxy.mode.set(FaultProxy.Mode.HTTP_500);
        assertTrue(refusedDetail().contains("HTTP 500"));
    }

    @Test
    void sign_hugeAnswer_refusedWithoutReadingItAll() {
        proxy.mode.set(FaultProxy.Mode.HUGE);
        String detail = refusedDetail();
        assertTrue(detail.contains("exceeds"), detail);
    }
}
