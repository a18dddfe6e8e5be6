package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.wstep.GetPoliciesRequest;
import org.autoenroll.wstep.RstRequest;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.testkit.SoapRequests;
import org.autoenroll.wstep.testkit.SoapRequests.Style;
import org.autoenroll.wstep.testkit.WindowsRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Windows-native enrollment end to end: CEP GetPolicies and CES RequestSecurityToken over real
 * HTTPS with real Kerberos tickets, in the forms Windows and cepces send, through the real
 * pipeline, directory, CA and store; OpenSSL judges the certificates.
 */
class WindowsEnrollmentEndToEndTest {
    static final String CEP = WindowsEnrollment.cepPath(Authentication.KERBEROS);
    static final String CES = WindowsEnrollment.cesPath("Test-CA", Authentication.KERBEROS);

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static SoapClient client;

    /** The harness' configuration plus a windows section for its main customer. */
    static String windowsConfig(String config, boolean renewalOnly) {
        return config + """
                windows:
                  customer: "%s"
                  hostName: localhost
                  caName: Test-CA
                  renewalOnly: %s
                templates:
                  - {name: CorpUser, oid: 1.3.6.1.4.1.311.21.8.7.1, majorRevision: 100, enroll: [S-1-5-11], autoenroll: [S-1-5-11]}
                  - {name: CorpMachine, oid: 1.3.6.1.4.1.311.21.8.7.2, subject: computer, enroll: [S-1-5-11]}
                  - {name: AdminsOnly, oid: 1.3.6.1.4.1.311.21.8.7.3, enroll: [S-1-5-21-1-2-3-512]}
                """.formatted(ServerHarness.CUSTOMER, renewalOnly);
    }

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir.resolve("server"), (world, tls, tlsPw, ca, caPw, db) ->
                windowsConfig(ServerHarness.config(world, tls, tlsPw, ca, caPw, db), false));
        client = new SoapClient(harness);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String messageId() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void getPolicies_kerberos_offersTheTemplatesAliceMayUse(Style style) throws Exception {
        String id = messageId();
        HttpResponse<byte[]> response = client.post(CEP, "alice", SoapRequests.getPolicies(style, id,
                "https://localhost" + CEP, null));
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(Optional.of("application/soap+xml; charset=utf-8"), response.headers().firstValue("Content-Type"));
        SoapEnvelope envelope = SoapClient.envelope(response);
        assertEquals(GetPoliciesRequest.RESPONSE_ACTION, envelope.action().orElseThrow());
        assertEquals(id, envelope.header(Namespaces.WSA, "RelatesTo").orElseThrow().trimmedText());
        SoapElement policies = envelope.body().child(Namespaces.XCEP, "response").orElseThrow()
                .child(Namespaces.XCEP, "policies").orElseThrow();
        List<String> names = policies.children().stream().map(p -> p.child(Namespaces.XCEP, "attributes").orElseThrow()
                .childText(Namespaces.XCEP, "commonName").orElseThrow()).toList();
        assertEquals(List.of("CorpUser"), names);
        List<String> uris = envelope.body().child(Namespaces.XCEP, "cAs").orElseThrow().children().get(0)
                .child(Namespaces.XCEP, "uris").orElseThrow().children().stream()
                .map(u -> u.childText(Namespaces.XCEP, "uri").orElseThrow()).toList();
        assertTrue(uris.contains("https://localhost" + CES), uris.toString());
    }

    @Test
    void getPolicies_ticketWithChannelBindingsAndDelegation_accepted() throws Exception {
        // as Samba's and cepces' clients send it: tls-server-end-point bindings (a 16-byte MD5 in Bnd), and
        // GSS_C_DELEG_FLAG with a forwarded TGT (KRB-CRED) after the flags (RFC 4121 4.1.1)
        byte[] krbCred = {0x76, 0x03, 0x30, 0x01, 0x00};
        java.nio.ByteBuffer checksum = java.nio.ByteBuffer.allocate(28 + krbCred.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        checksum.putInt(16).put(java.security.MessageDigest.getInstance("MD5").digest("tls-server-end-point:x".getBytes()));
        checksum.putInt(0x1 | 0x2 | 0x20).putShort((short) 1).putShort((short) krbCred.length).put(krbCred);
        byte[] token = TestWorld.get().kdc.serviceTicket("alice", TestWorld.PASSWORDS.get("alice"), TestWorld.SERVICE).apReq()
                .checksum(0x8003, checksum.array()).mutual(true).spnegoToken();
        HttpResponse<byte[]> response = client.postWithToken(CEP, token, SoapRequests.getPolicies(Style.CEPCES, messageId(),
                "https://localhost" + CEP, null));
        assertEquals(200, response.statusCode(), new String(response.body()));
    }

    @Test
    void getPolicies_withoutTicket_401Negotiate() {
        HttpResponse<byte[]> response = client.post(CEP, null, SoapRequests.getPolicies(Style.WINDOWS, messageId(), "x", null));
        assertEquals(401, response.statusCode());
        assertEquals(Optional.of("Negotiate"), response.headers().firstValue("WWW-Authenticate"));
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void requestSecurityToken_kerberosPkcs10_issuesACertificateOpenSslAccepts(Style style) throws Exception {
        OpenSsl openssl = OpenSsl.require();
        KeyPair key = Csrs.ec();
        byte[] csr = WindowsRequests.pkcs10(key, "CN=Alice Demo", "CorpUser");
        int before = harness.certificates("alice");
        HttpResponse<byte[]> response = client.post(CES, "alice", SoapRequests.requestSecurityToken(style, messageId(),
                "https://localhost" + CES, RstRequest.Type.ISSUE, RstRequest.PKCS10, csr, null, null));
        assertEquals(200, response.statusCode(), new String(response.body()));
        SoapElement rstr = SoapClient.rstr(response);
        assertEquals(List.of("TokenType", "DispositionMessage", "BinarySecurityToken", "RequestedSecurityToken", "RequestID"),
                rstr.children().stream().map(SoapElement::localName).toList());
        assertTrue(Long.parseLong(rstr.childText(Namespaces.WSTEP, "RequestID").orElseThrow()) > 0);
        X509Certificate certificate = x509(SoapClient.issuedCertificate(rstr));
        assertEquals(key.getPublic(), certificate.getPublicKey());
        assertEquals(before + 1, harness.certificates("alice"));
        Path pem = OpenSsl.writePem(dir.resolve("ces-" + style + ".pem"), "CERTIFICATE", certificate.getEncoded());
        OpenSsl.Result verify = openssl.verify(harness.caPem, pem);
        assertTrue(verify.ok(), verify.output());
        assertTrue(openssl.certificateText(pem).contains("email:alice@example.com"));

        // cepces polls with QueryTokenStatus: an issued request answers with its certificate again
        String requestId = rstr.childText(Namespaces.WSTEP, "RequestID").orElseThrow();
        HttpResponse<byte[]> polled = client.post(CES, "alice", SoapRequests.queryTokenStatus(style, messageId(),
                "https://localhost" + CES, requestId));
        assertEquals(200, polled.statusCode(), new String(polled.body()));
        assertEquals(requestId, SoapClient.rstr(polled).childText(Namespaces.WSTEP, "RequestID").orElseThrow());
        assertArrayEquals(certificate.getEncoded(), SoapClient.issuedCertificate(SoapClient.rstr(polled)));
    }

    @Test
    void requestSecurityToken_cmcThenKeyBasedRenewal_supersedesTheOldCertificate() throws Exception {
        KeyPair first = Csrs.ec();
        HttpResponse<byte[]> issued = client.post(CES, "alice", SoapRequests.requestSecurityToken(Style.WINDOWS, messageId(),
                "https://localhost" + CES, RstRequest.Type.ISSUE, RstRequest.PKCS7,
                WindowsRequests.cmc(first, WindowsRequests.pkcs10(first, "CN=Alice Demo", null)), "CorpUser", null));
        assertEquals(200, issued.statusCode(), new String(issued.body()));
        X509Certificate old = x509(SoapClient.issuedCertificate(SoapClient.rstr(issued)));

        KeyPair next = Csrs.ec();
        byte[] renewal = WindowsRequests.renewal(WindowsRequests.pkcs10(next, "CN=Alice Demo", "CorpUser"), old, first.getPrivate());
        HttpResponse<byte[]> renewed = client.post(CES, "alice", SoapRequests.requestSecurityToken(Style.WINDOWS, messageId(),
                "https://localhost" + CES, RstRequest.Type.RENEW, RstRequest.PKCS7, renewal, "CorpUser", null));
        assertEquals(200, renewed.statusCode(), new String(renewed.body()));
        X509Certificate replacement = x509(SoapClient.issuedCertificate(SoapClient.rstr(renewed)));
        assertEquals(next.getPublic(), replacement.getPublicKey());
        CertificateStore store = harness.server.component(CertificateStore.class);
        assertEquals(CertificateState.REVOKED, store.find(old.getSerialNumber()).orElseThrow().state());
        assertEquals(CertificateState.VALID, store.find(replacement.getSerialNumber()).orElseThrow().state());
    }

    @Test
    void requestSecurityToken_garbageCsr_faultInvalidCsrWithHresult() throws Exception {
        HttpResponse<byte[]> response = client.post(CES, "alice", SoapRequests.requestSecurityToken(Style.CEPCES, messageId(),
                "https://localhost" + CES, RstRequest.Type.ISSUE, RstRequest.PKCS10, new byte[] {0x30, 0x00}, null, null));
        assertEquals(500, response.statusCode());
        assertArrayEquals(new String[] {"INVALID_CSR (15)", Integer.toString(0x80090005)}, SoapClient.fault(response));
    }

    @Test
    void requestSecurityToken_unknownRequestId_faultNoRequest() throws Exception {
        HttpResponse<byte[]> response = client.post(CES, "alice", SoapRequests.queryTokenStatus(Style.CEPCES, messageId(),
                "https://localhost" + CES, "12345"));
        assertEquals(500, response.statusCode());
        assertArrayEquals(new String[] {"REQUEST_NOT_FOUND (46)", Integer.toString(0x80094002)}, SoapClient.fault(response));
    }

    @Test
    void requestSecurityToken_soap11_versionMismatchFault() throws Exception {
        HttpResponse<byte[]> response = client.post(CES, "alice", ("<e:Envelope xmlns:e=\"" + Namespaces.SOAP11
                + "\"><e:Body><x/></e:Body></e:Envelope>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(500, response.statusCode());
        assertEquals("s:VersionMismatch", SoapClient.envelope(response).body().child(Namespaces.SOAP, "Code").orElseThrow()
                .childText(Namespaces.SOAP, "Value").orElseThrow());
    }

    static X509Certificate x509(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
    }
}
