package org.autoenroll.wstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.soap.SoapReader;
import org.autoenroll.wstep.testkit.SoapRequests;
import org.autoenroll.wstep.testkit.SoapRequests.Style;
import org.autoenroll.wstep.testkit.WindowsRequests;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CesServiceTest {
    static final String CES_URL = "https://ca.example.com/Test-CA_CES_Kerberos/service.svc/CES";
    static final AuthenticatedPrincipal ALICE = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);

    private final TestPki pki = new TestPki();
    private final PkiBackend backend = new PkiBackend(pki);
    private final KeyPair key = TestPki.newKey();

    private CesService service(boolean renewalOnly) {
        return new CesService(new CesSettings("demo", CES_URL, CepSettings.Authentication.KERBEROS, renewalOnly), backend,
                new InMemoryRequestIds(), new SoapReader());
    }

    private static SoapElement rstr(SoapAnswer answer) throws Exception {
        assertEquals(200, answer.status(), () -> new String(answer.body(), StandardCharsets.UTF_8));
        SoapEnvelope envelope = new SoapReader().readEnvelope(answer.body());
        assertEquals(RstRequest.RESPONSE_ACTION, envelope.action().orElseThrow());
        SoapElement collection = envelope.body();
        assertTrue(collection.is(Namespaces.WST, "RequestSecurityTokenResponseCollection"));
        assertEquals(1, collection.children().size());
        return collection.children().get(0);
    }

    private static List<String> names(SoapElement e) {
        return e.children().stream().map(c -> c.localName()).toList();
    }

    private static long requestId(SoapElement rstr) {
        long id = Long.parseLong(rstr.childText(Namespaces.WSTEP, "RequestID").orElseThrow());
        assertTrue(id > 0 && id <= Integer.MAX_VALUE, "RequestID " + id);
        return id;
    }

    private static X509Certificate issuedCertificate(SoapElement rstr) throws Exception {
        String base64 = rstr.child(Namespaces.WST, "RequestedSecurityToken").orElseThrow()
                .child(Namespaces.WSSE, "BinarySecurityToken").orElseThrow().text();
        assertTrue(!base64.contains("\n") && !base64.contains("\r"), "one line");
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void issue_pkcs10_answersRstrcInAdCsOrder(Style style) throws Exception {
        byte[] csr = WindowsRequests.pkcs10(key, "CN=alice", "CorpUser");
        SoapElement rstr = rstr(service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(style,
                "urn:uuid:aaaa", CES_URL, RstRequest.Type.ISSUE, RstRequest.PKCS10, csr,
                style == Style.WINDOWS ? "CorpUser" : null, null), Optional.empty()));
        assertEquals(List.of("TokenType", "DispositionMessage", "BinarySecurityToken", "RequestedSecurityToken", "RequestID"),
                names(rstr));
        assertEquals(RstRequest.X509V3, rstr.childText(Namespaces.WST, "TokenType").orElseThrow());
        assertEquals("Issued", rstr.childText(Namespaces.WSTEP, "DispositionMessage").orElseThrow());
        X509Certificate certificate = issuedCertificate(rstr);
        assertEquals(key.getPublic(), certificate.getPublicKey());
        SoapElement pkcs7 = rstr.child(Namespaces.WSSE, "BinarySecurityToken").orElseThrow();
        assertEquals(RstRequest.PKCS7, pkcs7.attribute("ValueType").orElseThrow());
        CMSSignedData certsOnly = new CMSSignedData(Base64.getDecoder().decode(pkcs7.trimmedText()));
        assertEquals(2, certsOnly.getCertificates().getMatches(null).size());
        assertTrue(certsOnly.getSignerInfos().getSigners().isEmpty());
        assertEquals(0x82, Base64.getDecoder().decode(pkcs7.trimmedText())[1] & 0xff, "DER, definite length");
        requestId(rstr);

        EnrollmentRequest sent = backend.requests.get(0);
        assertEquals(style == Style.WINDOWS ? "CorpUser" : null, sent.template());
        assertEquals("demo", sent.customerUri());
        assertEquals("alice@example.com", sent.email());
        assertNull(sent.renewSerial());
        assertTrue(sent.csrPem().startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"));
    }

    @Test
    void issue_cmcPkiData_asWindowsSendsIt_issuesForTheInnerRequest() throws Exception {
        byte[] csr = WindowsRequests.pkcs10(key, "CN=alice", "CorpUser");
        SoapElement rstr = rstr(service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:b", CES_URL, RstRequest.Type.ISSUE, RstRequest.PKCS7, WindowsRequests.cmc(key, csr), "CorpUser",
                null), Optional.empty()));
        assertEquals(key.getPublic(), issuedCertificate(rstr).getPublicKey());
        assertNull(backend.requests.get(0).renewSerial());
    }

    @Test
    void issue_machineCaller_sendsNoEmail() throws Exception {
        AuthenticatedPrincipal machine = AuthenticatedPrincipal.of("WS01$", "EXAMPLE.COM", null);
        rstr(service(false).requestSecurityToken(machine, SoapRequests.requestSecurityToken(Style.CEPCES, "urn:uuid:m", CES_URL,
                RstRequest.Type.ISSUE, RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=ws01", null), null, null),
                Optional.empty()));
        assertNull(backend.requests.get(0).email());
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void pending_thenQueryTokenStatus_returnsTheCertificateOnceApproved(Style style) throws Exception {
        CesService service = service(false);
        byte[] csr = WindowsRequests.pkcs10(key, "CN=alice", "NeedsApproval");
        SoapElement pending = rstr(service.requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:p", CES_URL, RstRequest.Type.ISSUE, RstRequest.PKCS10, csr, "NeedsApproval", null), Optional.empty()));
        assertEquals(List.of("TokenType", "DispositionMessage", "RequestedSecurityToken", "RequestID"), names(pending));
        assertEquals(CES_URL, pending.child(Namespaces.WST, "RequestedSecurityToken").orElseThrow()
                .child(Namespaces.WSSE, "SecurityTokenReference").orElseThrow()
                .child(Namespaces.WSSE, "Reference").orElseThrow().attribute("URI").orElseThrow());
        long wire = requestId(pending);

        SoapElement still = rstr(service.requestSecurityToken(ALICE,
                SoapRequests.queryTokenStatus(style, "urn:uuid:q1", CES_URL, Long.toString(wire)), Optional.empty()));
        assertEquals(RstrWriter.PENDING, still.childText(Namespaces.WSTEP, "DispositionMessage").orElseThrow());
        assertEquals(wire, requestId(still));

        backend.approve(backend.onlyPendingId());
        SoapElement issued = rstr(service.requestSecurityToken(ALICE,
                SoapRequests.queryTokenStatus(style, "urn:uuid:q2", CES_URL, Long.toString(wire)), Optional.empty()));
        assertEquals(wire, requestId(issued));
        assertEquals(key.getPublic(), issuedCertificate(issued).getPublicKey());
    }

    @Test
    void renewal_signedWithTheOldKey_renewsThatSerial() throws Exception {
        KeyPair oldKey = TestPki.newKey();
        X509Certificate old = pki.issue(oldKey.getPublic(), "CN=alice", BigInteger.valueOf(0x5eed));
        byte[] renewal = WindowsRequests.renewal(WindowsRequests.pkcs10(key, "CN=alice", "CorpUser"), old, oldKey.getPrivate());
        rstr(service(true).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS, "urn:uuid:r", CES_URL,
                RstRequest.Type.RENEW, RstRequest.PKCS7, renewal, "CorpUser", null), Optional.of(BigInteger.valueOf(0x5eed))));
        assertEquals("5eed", backend.requests.get(0).renewSerial());
    }

    @Test
    void renewalOnlyEndpoint_newRequest_faultRenewalOnly() throws Exception {
        SoapAnswer answer = service(true).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:n", CES_URL, RstRequest.Type.ISSUE, RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=alice", null),
                null, null), Optional.empty());
        Faults.assertFault(answer, ErrorCode.RENEWAL_ONLY, Hresults.CERTSRV_E_ENROLL_DENIED, "urn:uuid:n");
        assertTrue(backend.requests.isEmpty());
    }

    @Test
    void clientCertificate_renewingAnotherCertificate_faultRenewalOnly() throws Exception {
        KeyPair oldKey = TestPki.newKey();
        X509Certificate other = pki.issue(oldKey.getPublic(), "CN=alice", BigInteger.valueOf(77));
        byte[] renewal = WindowsRequests.renewal(WindowsRequests.pkcs10(key, "CN=alice", null), other, oldKey.getPrivate());
        SoapAnswer answer = service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:c", CES_URL, RstRequest.Type.RENEW, RstRequest.PKCS7, renewal, null, null), Optional.of(BigInteger.TEN));
        Faults.assertFault(answer, ErrorCode.RENEWAL_ONLY, Hresults.CERTSRV_E_ENROLL_DENIED, "urn:uuid:c");
        assertTrue(backend.requests.isEmpty());
    }

    @Test
    void clientCertificate_barePkcs10_renewsTheClientCertificate() throws Exception {
        rstr(service(true).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.CEPCES, "urn:uuid:cc", CES_URL,
                RstRequest.Type.ISSUE, RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=alice", null), null, null),
                Optional.of(BigInteger.valueOf(0xabc))));
        assertEquals("abc", backend.requests.get(0).renewSerial());
    }

    @Test
    void renewal_forgedSignature_faultInvalidCsr() throws Exception {
        KeyPair oldKey = TestPki.newKey();
        X509Certificate old = pki.issue(oldKey.getPublic(), "CN=alice", BigInteger.valueOf(5));
        // signed with another key than the certificate's
        byte[] forged = WindowsRequests.renewal(WindowsRequests.pkcs10(key, "CN=alice", null), old, TestPki.newKey().getPrivate());
        SoapAnswer answer = service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:f", CES_URL, RstRequest.Type.RENEW, RstRequest.PKCS7, forged, null, null), Optional.empty());
        Faults.assertFault(answer, ErrorCode.INVALID_CSR, Hresults.NTE_BAD_DATA, "urn:uuid:f");
        assertTrue(backend.requests.isEmpty());
    }

    @Test
    void renew_withoutOldKeySignature_faultInvalidCsr() throws Exception {
        SoapAnswer answer = service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:g", CES_URL, RstRequest.Type.RENEW, RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=alice", null),
                null, null), Optional.empty());
        Faults.assertFault(answer, ErrorCode.INVALID_CSR, Hresults.NTE_BAD_DATA, "urn:uuid:g");
    }

    @Test
    void templateDenied_faultCarriesCertsrvTemplateDenied() throws Exception {
        SoapAnswer answer = service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:d", CES_URL, RstRequest.Type.ISSUE, RstRequest.PKCS10, WindowsRequests.pkcs10(key, "CN=alice", null),
                "Forbidden", null), Optional.empty());
        Faults.assertFault(answer, ErrorCode.TEMPLATE_DENIED, 0x80094012, "urn:uuid:d");
    }

    @Test
    void queryTokenStatus_unknownRequestId_faultNoRequest() throws Exception {
        SoapAnswer answer = service(false).requestSecurityToken(ALICE,
                SoapRequests.queryTokenStatus(Style.CEPCES, "urn:uuid:u", CES_URL, "4711"), Optional.empty());
        SoapElement detail = Faults.assertFault(answer, ErrorCode.REQUEST_NOT_FOUND, Hresults.CERTSRV_E_NO_REQUEST, "urn:uuid:u");
        assertEquals("4711", detail.childText(Namespaces.WSTEP, "RequestID").orElseThrow());
    }

    @Test
    void garbageToken_faultInvalidCsr_andNothingEnrolled() throws Exception {
        SoapAnswer answer = service(false).requestSecurityToken(ALICE, SoapRequests.requestSecurityToken(Style.CEPCES,
                "urn:uuid:x", CES_URL, RstRequest.Type.ISSUE, RstRequest.PKCS10, new byte[] {0x30, 0x03, 1, 2, 3}, null, null),
                Optional.empty());
        Faults.assertFault(answer, ErrorCode.INVALID_CSR, Hresults.NTE_BAD_DATA, "urn:uuid:x");
        assertTrue(backend.requests.isEmpty());
    }

    @Test
    void requestIdZero_senderFault() throws Exception {
        SoapAnswer answer = service(false).requestSecurityToken(ALICE,
                SoapRequests.queryTokenStatus(Style.WINDOWS, "urn:uuid:z", CES_URL, "0"), Optional.empty());
        assertEquals(500, answer.status());
        SoapElement code = new SoapReader().readEnvelope(answer.body()).body().child(Namespaces.SOAP, "Code").orElseThrow();
        assertEquals("s:Sender", code.childText(Namespaces.SOAP, "Value").orElseThrow());
    }
}
