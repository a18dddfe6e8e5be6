package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.ldap.testkit.UserSpec;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.wstep.RstRequest;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.testkit.SoapRequests;
import org.autoenroll.wstep.testkit.SoapRequests.Style;
import org.autoenroll.wstep.testkit.WindowsRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other two ways in of seed 003, end to end: a WS-Security UsernameToken checked by a bind as
 * the user against the in-memory AD (throttled per account), and a TLS client certificate we
 * issued, which may only renew itself (key-based renewal, or a bare PKCS#10 as cepces sends it);
 * and a CES in renewal-only mode.
 */
class WindowsEnrollmentAuthenticationTest {
    static final String CEP_PASSWORD = WindowsEnrollment.cepPath(Authentication.USERNAME_PASSWORD);
    static final String CES_PASSWORD = WindowsEnrollment.cesPath("Test-CA", Authentication.USERNAME_PASSWORD);
    static final String CES_CERTIFICATE = WindowsEnrollment.cesPath("Test-CA", Authentication.CERTIFICATE);
    static final String CES_KERBEROS = WindowsEnrollment.cesPath("Test-CA", Authentication.KERBEROS);
    static final String CREATED = "2026-12-02T12:00:00.000Z";

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static SoapClient client;

    @BeforeAll
    static void start() {
        TestWorld world = TestWorld.get();
        for (String user : new String[] {"pwuser", "guessed"}) {
            world.ad.addUser(UserSpec.builder(user).mail(user + "@example.com").password((user + "-Secret-1").toCharArray()).build());
        }
        harness = ServerHarness.start(dir.resolve("server"), (w, tls, tlsPw, ca, caPw, db) ->
                WindowsEnrollmentEndToEndTest.windowsConfig(ServerHarness.config(w, tls, tlsPw, ca, caPw, db), false));
        client = new SoapClient(harness);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String messageId() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    private static byte[] rst(String path, String security, RstRequest.Type type, String valueType, byte[] token) {
        return SoapRequests.requestSecurityToken(Style.WINDOWS, messageId(), "https://localhost" + path, type, valueType, token,
                "CorpUser", security);
    }

    @Test
    void usernamePassword_rightPassword_policiesAndACertificate() throws Exception {
        String security = SoapRequests.usernameToken("EXAMPLE\\pwuser", "pwuser-Secret-1", CREATED);
        byte[] getPolicies = new String(SoapRequests.getPolicies(Style.WINDOWS, messageId(), "https://localhost" + CEP_PASSWORD, null),
                java.nio.charset.StandardCharsets.UTF_8).replace("</a:To></s:Header>", "</a:To>" + security + "</s:Header>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<byte[]> policies = client.post(CEP_PASSWORD, null, getPolicies);
        assertEquals(200, policies.statusCode(), new String(policies.body()));
        assertEquals(1, SoapClient.envelope(policies).body().child(Namespaces.XCEP, "response").orElseThrow()
                .child(Namespaces.XCEP, "policies").orElseThrow().children().size());

        KeyPair key = Csrs.ec();
        HttpResponse<byte[]> issued = client.post(CES_PASSWORD, null, rst(CES_PASSWORD, security, RstRequest.Type.ISSUE,
                RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=pwuser", "CorpUser")));
        assertEquals(200, issued.statusCode(), new String(issued.body()));
        X509Certificate certificate = WindowsEnrollmentEndToEndTest.x509(SoapClient.issuedCertificate(SoapClient.rstr(issued)));
        assertEquals(key.getPublic(), certificate.getPublicKey());
        assertEquals(1, harness.certificates(ServerHarness.CUSTOMER, "pwuser"));
    }

    @Test
    void usernamePassword_wrongOrMissing_faults37And42() throws Exception {
        HttpResponse<byte[]> wrong = client.post(CES_PASSWORD, null, rst(CES_PASSWORD,
                SoapRequests.usernameToken("pwuser", "not-it", CREATED), RstRequest.Type.ISSUE, RstRequest.PKCS10,
                WindowsRequests.pkcs10(Csrs.ec(), "CN=pwuser", null)));
        assertEquals(500, wrong.statusCode());
        assertArrayEquals(new String[] {"AUTHENTICATION_ERROR (37)", Integer.toString(0x80070005)}, SoapClient.fault(wrong));
        HttpResponse<byte[]> missing = client.post(CES_PASSWORD, null, rst(CES_PASSWORD, null, RstRequest.Type.ISSUE,
                RstRequest.PKCS10, WindowsRequests.pkcs10(Csrs.ec(), "CN=pwuser", null)));
        assertEquals(500, missing.statusCode());
        assertArrayEquals(new String[] {"AUTHENTICATION_REQUIRED (42)", Integer.toString(0x80070005)}, SoapClient.fault(missing));
    }

    @Test
    void usernamePassword_afterFiveFailures_evenTheRightPasswordWaits() throws Exception {
        byte[] csr = WindowsRequests.pkcs10(Csrs.ec(), "CN=guessed", null);
        for (int i = 0; i < 5; i++) {
            assertEquals(500, client.post(CES_PASSWORD, null, rst(CES_PASSWORD, SoapRequests.usernameToken("guessed", "guess-" + i,
                    CREATED), RstRequest.Type.ISSUE, RstRequest.PKCS10, csr)).statusCode());
        }
        HttpResponse<byte[]> right = client.post(CES_PASSWORD, null, rst(CES_PASSWORD, SoapRequests.usernameToken("guessed",
                "guessed-Secret-1", CREATED), RstRequest.Type.ISSUE, RstRequest.PKCS10, csr));
        assertEquals(500, right.statusCode());
        assertEquals("AUTHENTICATION_ERROR (37)", SoapClient.fault(right)[0]);
        assertEquals(0, harness.certificates(ServerHarness.CUSTOMER, "guessed"));
    }

    @Test
    void clientCertificate_keyBasedRenewalOfItself_renews_signedForAnother_refused() throws Exception {
        KeyPair first = Csrs.ec();
        X509Certificate old = issueByKerberos(first);
        KeyPair otherKey = Csrs.ec();
        X509Certificate other = issueByKerberos(otherKey);
        HttpClient withCertificate = clientWith(first, old);

        HttpResponse<byte[]> forAnother = post(withCertificate, CES_CERTIFICATE, rst(CES_CERTIFICATE, null, RstRequest.Type.RENEW,
                RstRequest.PKCS7, WindowsRequests.renewal(WindowsRequests.pkcs10(Csrs.ec(), "CN=Alice Demo", "CorpUser"), other,
                        otherKey.getPrivate())));
        assertEquals(500, forAnother.statusCode());
        assertEquals("RENEWAL_ONLY (53)", SoapClient.fault(forAnother)[0]);

        KeyPair next = Csrs.ec();
        HttpResponse<byte[]> renewed = post(withCertificate, CES_CERTIFICATE, rst(CES_CERTIFICATE, null, RstRequest.Type.RENEW,
                RstRequest.PKCS7, WindowsRequests.renewal(WindowsRequests.pkcs10(next, "CN=Alice Demo", "CorpUser"), old,
                        first.getPrivate())));
        assertEquals(200, renewed.statusCode(), new String(renewed.body()));
        X509Certificate replacement = WindowsEnrollmentEndToEndTest.x509(SoapClient.issuedCertificate(SoapClient.rstr(renewed)));
        assertEquals(next.getPublic(), replacement.getPublicKey());
        CertificateStore store = harness.server.component(CertificateStore.class);
        assertEquals(CertificateState.REVOKED, store.find(old.getSerialNumber()).orElseThrow().state());
        assertEquals(CertificateState.VALID, store.find(other.getSerialNumber()).orElseThrow().state());

        // the renewed-away certificate authenticates no more
        HttpResponse<byte[]> again = post(clientWith(first, old), CES_CERTIFICATE, rst(CES_CERTIFICATE, null,
                RstRequest.Type.ISSUE, RstRequest.PKCS10, WindowsRequests.pkcs10(Csrs.ec(), "CN=Alice Demo", "CorpUser")));
        assertEquals(500, again.statusCode());
        assertEquals("AUTHENTICATION_ERROR (37)", SoapClient.fault(again)[0]);
    }

    @Test
    void clientCertificate_barePkcs10AsCepcesSendsIt_renewsTheClientCertificate() throws Exception {
        KeyPair first = Csrs.ec();
        X509Certificate old = issueByKerberos(first);
        KeyPair next = Csrs.ec();
        HttpResponse<byte[]> renewed = post(clientWith(first, old), CES_CERTIFICATE, SoapRequests.requestSecurityToken(Style.CEPCES,
                "urn:uuid:" + UUID.randomUUID(), "https://localhost" + CES_CERTIFICATE, RstRequest.Type.ISSUE, RstRequest.PKCS10,
                WindowsRequests.pkcs10(next, "CN=Alice Demo", "CorpUser"), null, null));
        assertEquals(200, renewed.statusCode(), new String(renewed.body()));
        assertEquals(next.getPublic(), WindowsEnrollmentEndToEndTest.x509(SoapClient.issuedCertificate(SoapClient.rstr(renewed)))
                .getPublicKey());
        assertEquals(CertificateState.REVOKED, harness.server.component(CertificateStore.class).find(old.getSerialNumber())
                .orElseThrow().state());
    }

    private static X509Certificate issueByKerberos(KeyPair key) throws Exception {
        HttpResponse<byte[]> issued = client.post(CES_KERBEROS, "alice", rst(CES_KERBEROS, null, RstRequest.Type.ISSUE,
                RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=Alice Demo", "CorpUser")));
        assertEquals(200, issued.statusCode(), new String(issued.body()));
        return WindowsEnrollmentEndToEndTest.x509(SoapClient.issuedCertificate(SoapClient.rstr(issued)));
    }

    @Test
    void clientCertificateEndpoint_withoutCertificate_fault42() throws Exception {
        HttpResponse<byte[]> response = client.post(CES_CERTIFICATE, null, rst(CES_CERTIFICATE, null, RstRequest.Type.ISSUE,
                RstRequest.PKCS10, WindowsRequests.pkcs10(Csrs.ec(), "CN=x", null)));
        assertEquals(500, response.statusCode());
        assertEquals("AUTHENTICATION_REQUIRED (42)", SoapClient.fault(response)[0]);
    }

    @Test
    void renewalOnlyMode_kerberosNewRequest_refused() throws Exception {
        try (ServerHarness renewalOnly = ServerHarness.start(dir.resolve("renewal-only"), (w, tls, tlsPw, ca, caPw, db) ->
                WindowsEnrollmentEndToEndTest.windowsConfig(ServerHarness.config(w, tls, tlsPw, ca, caPw, db), true))) {
            HttpResponse<byte[]> response = new SoapClient(renewalOnly).post(CES_KERBEROS, "alice", rst(CES_KERBEROS, null,
                    RstRequest.Type.ISSUE, RstRequest.PKCS10, WindowsRequests.pkcs10(Csrs.ec(), "CN=Alice Demo", "CorpUser")));
            assertEquals(500, response.statusCode());
            assertArrayEquals(new String[] {"RENEWAL_ONLY (53)", Integer.toString(0x80094011)}, SoapClient.fault(response));
            assertEquals(0, renewalOnly.certificates("alice"));
        }
    }

    private static HttpResponse<byte[]> post(HttpClient http, String path, byte[] message) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + harness.server.port() + path))
                .header("Content-Type", "application/soap+xml; charset=utf-8").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An HTTPS client presenting {@code certificate} with {@code key}, trusting the server's CA. */
    private static HttpClient clientWith(KeyPair key, X509Certificate certificate) throws Exception {
        X509Certificate ca;
        try (var in = Files.newInputStream(harness.caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key.getPrivate(), "pw".toCharArray(), new Certificate[] {certificate, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
    }
}
