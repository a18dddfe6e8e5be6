package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.testkit.OpenSsl;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;

class OcspResponderTest {
    @TempDir
    Path dir;
    // real time: openssl checks thisUpdate/nextUpdate and the certificates against its own clock
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.now());
    private JdbcCertificateStore store;
    private BuiltInCa ca;
    private OcspResponder responder;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private void start(boolean delegated) throws Exception {
        store = JdbcCertificateStore.h2(dir.resolve("db"), clock);
        CaSettings settings = CaSettings.builder().subjectDn("CN=autoenroll test CA,O=Example")
                .keyType(CaKeyType.EC_P256).keystorePath(dir.resolve("ca").resolve("ca.p12"))
                .keystorePassword(SecretRef.literal("changeit-test".toCharArray())).baseUrl(Fixtures.BASE_URL)
                .ocspDelegatedSigner(delegated).build();
        ca = BuiltInCa.open(settings, clock);
        responder = OcspResponder.open(ca, store, clock);
    }

    private IssuedCertificate issue(String requestId, boolean record) throws Exception {
        IssuedCertificate issued = ca.sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        if (record) {
            store.recordIssued(Fixtures.record(issued, requestId), Optional.empty());
        }
        return issued;
    }

    /** openssl makes the request, the responder answers, openssl checks the answer; returns its output. */
    private String opensslRoundTrip(OpenSsl openSsl, IssuedCertificate cert, String... requestOptions) throws Exception {
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        Path certPem = OpenSsl.writePem(dir.resolve("cert.pem"), "CERTIFICATE", cert.certificate());
        Path req = dir.resolve("req.der");
        Path resp = dir.resolve("resp.der");
        List<String> args = new java.util.ArrayList<>(List.of("ocsp"));
        args.addAll(List.of(requestOptions));
        args.addAll(List.of("-issuer", caPem.toString(), "-cert", certPem.toString(), "-reqout", req.toString()));
        openSsl.runOk(dir, args.toArray(String[]::new));
        Files.write(resp, responder.respond(Files.readAllBytes(req)));
        // 1. the request file as sent and the response: openssl verifies the signature and the nonce
        String verify = openSsl.runOk(dir, "ocsp", "-reqin", req.toString(), "-respin", resp.toString(),
                "-CAfile", caPem.toString(), "-resp_text");
        // 2. the certificate's status, with the CertID built with the same hash algorithm
        List<String> status = new java.util.ArrayList<>(List.of("ocsp", "-respin", resp.toString(), "-no_nonce"));
        status.addAll(List.of(requestOptions).stream().filter(o -> !o.endsWith("nonce")).toList());
        status.addAll(List.of("-issuer", caPem.toString(), "-cert", certPem.toString(), "-CAfile", caPem.toString()));
        return verify + openSsl.runOk(dir, status.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void respond_validCertificateWithNonce_opensslSaysGoodAndVerifies(boolean delegated) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        start(delegated);
        String out = opensslRoundTrip(openSsl, issue("req-1", true), "-nonce");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("cert.pem: good"), out);
        assertTrue(out.contains("OCSP Nonce"), out);
        assertFalse(out.contains("WARNING"), out);
        assertFalse(out.contains("Nonce Verify error"), out);
        assertFalse(out.contains("no nonce in response"), out);
        assertTrue(out.contains("Responder Id: "), out);
        assertTrue(out.contains("Next Update"), out);
        if (delegated) {
            assertTrue(out.contains("OCSP Signing"), out);
            assertTrue(out.contains("OCSP No Check"), out);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void respond_revokedCertificateWithoutNonce_opensslSaysRevokedWithReason(boolean delegated) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        start(delegated);
        IssuedCertificate cert = issue("req-1", true);
        store.revoke(cert.serial(), RevocationReason.KEY_COMPROMISE, clock.instant());
        String out = opensslRoundTrip(openSsl, cert, "-no_nonce");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("cert.pem: revoked"), out);
        assertTrue(out.contains("Reason: keyCompromise"), out);
        assertTrue(out.contains("Revocation Time"), out);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void respond_serialNeverRecordedSha256CertId_opensslSaysUnknown(boolean delegated) throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        start(delegated);
        String out = opensslRoundTrip(openSsl, issue("req-1", false), "-sha256", "-nonce");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("cert.pem: unknown"), out);
        assertTrue(out.contains("Hash Algorithm: sha256"), out);
    }

    @Test
    void respond_delegatedSigner_keptInKeystoreDirAndReusedAfterRestart() throws Exception {
        start(true);
        X509CertificateHolder signer = responder.signerCertificate();
        assertTrue(Files.exists(ca.settings().ocspSignerKeystorePath()));
        assertEquals(dir.resolve("ca"), ca.settings().ocspSignerKeystorePath().getParent());
        assertTrue(signer.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.caHolder())));
        assertTrue(org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(signer.getExtensions())
                .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning));
        assertNotNull(signer.getExtension(BuiltInCa.OCSP_NOCHECK));
        OcspResponder again = OcspResponder.open(ca, store, clock);
        assertEquals(signer, again.signerCertificate());
    }

    @Test
    void respond_delegatedSignerNearExpiry_renewedAndNewOneSigns() throws Exception {
        start(true);
        X509CertificateHolder first = responder.signerCertificate();
        clock.advance(DelegatedOcspSigner.LIFETIME.minus(Duration.ofDays(5)));
        X509CertificateHolder second = responder.signerCertificate();
        assertFalse(first.getSerialNumber().equals(second.getSerialNumber()));
        IssuedCertificate cert = issue("req-1", true);
        BasicOCSPResp basic = basic(responder.respond(request(cert.serial(), null)));
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(second)));
    }

    @Test
    void respond_caSigned_responderIdIsCaKeyHashAndStatusesMatchStore() throws Exception {
        start(false);
        IssuedCertificate good = issue("req-1", true);
        IssuedCertificate revoked = issue("req-2", true);
        store.revoke(revoked.serial(), RevocationReason.SUPERSEDED, clock.instant());
        BasicOCSPResp basic = basic(responder.respond(request(List.of(good.serial(), revoked.serial(),
                BigInteger.valueOf(424242)), null)));
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.caHolder())));
        assertNotNull(basic.getResponderId().toASN1Primitive().getKeyHash());
        SingleResp[] answers = basic.getResponses();
        assertEquals(3, answers.length);
        assertEquals(null, answers[0].getCertStatus());
        RevokedStatus status = (RevokedStatus) answers[1].getCertStatus();
        assertEquals(RevocationReason.SUPERSEDED.code(), status.getRevocationReason());
        assertTrue(answers[2].getCertStatus() instanceof UnknownStatus);
        assertEquals(clock.instant().plus(OcspResponder.DEFAULT_VALIDITY).getEpochSecond(),
                answers[0].getNextUpdate().toInstant().getEpochSecond());
    }

    @Test
    void respond_onlyForeignIssuer_unauthorized() throws Exception {
        start(false);
        CertificateID foreign = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), foreignCa(), BigInteger.TEN);
        byte[] der = new OCSPReqBuilder().addRequest(foreign).build().getEncoded();
        assertEquals(OCSPRespBuilder.UNAUTHORIZED, new OCSPResp(responder.respond(der)).getStatus());
    }

    @Test
    void respond_foreignAndOwnCertIds_foreignOneUnknown() throws Exception {
        start(false);
        IssuedCertificate good = issue("req-1", true);
        var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        byte[] der = new OCSPReqBuilder().addRequest(new CertificateID(sha1, foreignCa(), good.serial()))
                .addRequest(new CertificateID(sha1, ca.caHolder(), good.serial())).build().getEncoded();
        SingleResp[] answers = basic(responder.respond(der)).getResponses();
        assertTrue(answers[0].getCertStatus() instanceof UnknownStatus);
        assertEquals(null, answers[1].getCertStatus());
    }

    @Test
    void respond_nonceEchoed_andNonceOf33BytesMalformed() throws Exception {
        start(false);
        IssuedCertificate good = issue("req-1", true);
        byte[] nonce = new byte[32];
        nonce[0] = 7;
        BasicOCSPResp basic = basic(responder.respond(request(good.serial(), nonce)));
        assertArrayEquals(new DEROctetString(nonce).getEncoded(),
                basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets());
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST,
                new OCSPResp(responder.respond(request(good.serial(), new byte[33]))).getStatus());
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST,
                new OCSPResp(responder.respond(request(good.serial(), new byte[0]))).getStatus());
    }

    @Test
    void respond_malformedInputs_malformedRequestStatus() throws Exception {
        start(false);
        byte[] deep = new byte[OcspResponder.MAX_REQUEST_BYTES];
        for (int i = 0; i + 1 < deep.length; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        for (byte[] input : List.of(new byte[0], new byte[] {0x30}, "GET / HTTP/1.1".getBytes(),
                new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, new byte[OcspResponder.MAX_REQUEST_BYTES + 1], deep,
                // a Request whose CertID is a tagged NULL: Bouncy Castle fails only when it is read
                new byte[] {0x30, 0x0a, 0x30, 0x08, 0x30, 0x06, 0x30, 0x04, (byte) 0xa0, 0x02, 0x05, 0x00})) {
            assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(responder.respond(input)).getStatus());
        }
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(responder.respond(null)).getStatus());
    }

    @Test
    void respond_moreThan20CertIds_malformedRequest() throws Exception {
        start(false);
        List<BigInteger> serials = new java.util.ArrayList<>();
        for (int i = 1; i <= OcspResponder.MAX_CERT_IDS + 1; i++) {
            serials.add(BigInteger.valueOf(i));
        }
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(responder.respond(request(serials, null))).getStatus());
    }

    @Test
    void respond_storeFails_internalError() throws Exception {
        start(false);
        CertificateStore failing = Mockito.mock(CertificateStore.class);
        Mockito.when(failing.find(Mockito.any())).thenThrow(new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "down"));
        OcspResponder broken = OcspResponder.open(ca, failing, clock);
        assertEquals(OCSPRespBuilder.INTERNAL_ERROR,
                new OCSPResp(broken.respond(request(BigInteger.TEN, null))).getStatus());
    }

    @Test
    void respondToGetPath_urlEncodedStandardAndUrlBase64_sameAnswerAsPost() throws Exception {
        start(false);
        IssuedCertificate good = issue("req-1", true);
        byte[] der = request(good.serial(), null);
        String std = Base64.getEncoder().encodeToString(der);
        String encoded = std.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
        for (String path : List.of(std, "/" + encoded, Base64.getUrlEncoder().withoutPadding().encodeToString(der))) {
            SingleResp[] answers = basic(responder.respondToGetPath(path)).getResponses();
            assertEquals(null, answers[0].getCertStatus(), path);
        }
        for (String bad : List.of("", "%zz", "not base64!", "%", "A".repeat(100_000))) {
            assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(responder.respondToGetPath(bad)).getStatus());
        }
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(responder.respondToGetPath(null)).getStatus());
    }

    private byte[] request(BigInteger serial, byte[] nonce) throws Exception {
        return request(List.of(serial), nonce);
    }

    private byte[] request(List<BigInteger> serials, byte[] nonce) throws Exception {
        var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (BigInteger serial : serials) {
            builder.addRequest(new CertificateID(sha1, ca.caHolder(), serial));
        }
        if (nonce != null) {
            builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce).getEncoded()))));
        }
        return builder.build().getEncoded();
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp resp = new OCSPResp(der);
        assertEquals(OCSPRespBuilder.SUCCESSFUL, resp.getStatus());
        return (BasicOCSPResp) resp.getResponseObject();
    }

    private X509CertificateHolder foreignCa() throws Exception {
        CaSettings other = CaSettings.builder().subjectDn("CN=other CA").keystorePath(dir.resolve("other.p12"))
                .keystorePassword(SecretRef.literal("x".toCharArray())).baseUrl(Fixtures.BASE_URL).build();
        return BuiltInCa.open(other, clock).caHolder();
    }
}
