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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.testkit.OpenSsl;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of signed OCSP answers ({@link OcspResponseCache}): a GET-style request (one CertID,
 * no nonce) is signed once and served again, byte for byte, until the store says another status,
 * half the validity has passed, or the signer changed; requests with a nonce are signed each time.
 */
class OcspResponderCacheTest {
    @TempDir
    Path dir;
    // real time: openssl checks thisUpdate/nextUpdate against its own clock
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.now());
    private final List<JdbcCertificateStore> stores = new ArrayList<>();
    private BuiltInCa ca;

    @AfterEach
    void close() {
        stores.forEach(JdbcCertificateStore::close);
    }

    /** One server instance: its own CA object, store object and responder, on the shared database and CA keystore. */
    private record Instance(BuiltInCa ca, JdbcCertificateStore store, OcspResponder responder) {
    }

    private Instance instance(boolean delegated) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:ocsp-cache-" + dir.getFileName() + ";DB_CLOSE_DELAY=-1");
        JdbcCertificateStore store = new JdbcCertificateStore(h2, clock);
        stores.add(store);
        CaSettings settings = CaSettings.builder().subjectDn("CN=autoenroll test CA,O=Example")
                .keyType(CaKeyType.EC_P256).keystorePath(dir.resolve("ca").resolve("ca.p12"))
                .keystorePassword(SecretRef.literal("changeit-test".toCharArray())).baseUrl(Fixtures.BASE_URL)
                .ocspDelegatedSigner(delegated).build();
        BuiltInCa instanceCa = BuiltInCa.open(settings, clock);
        ca = instanceCa;
        return new Instance(instanceCa, store, OcspResponder.open(instanceCa, store, clock));
    }

    private IssuedCertificate issue(Instance instance, String requestId) throws Exception {
        IssuedCertificate issued = instance.ca().sign(Fixtures.request(Fixtures.ecKey().getPublic()));
        instance.store().recordIssued(Fixtures.record(issued, requestId), Optional.empty());
        return issued;
    }

    @Test
    void getTwice_secondAnswerIsTheFirstOneServedAgain() throws Exception {
        Instance server = instance(false);
        IssuedCertificate good = issue(server, "req-1");
        byte[] first = server.responder().respond(request(good.serial(), null));
        clock.advance(Duration.ofSeconds(90));
        byte[] second = server.responder().respond(request(good.serial(), null));
        // signed afresh, producedAt would be 90 s later (and an ECDSA signature differs anyway)
        assertArrayEquals(first, second);
        assertEquals(null, basic(second).getResponses()[0].getCertStatus());
        second[second.length - 1] ^= 1;
        assertArrayEquals(first, server.responder().respond(request(good.serial(), null)), "callers get a copy");
    }

    @Test
    void cachedGood_thenRevoked_nextAnswerSaysRevoked() throws Exception {
        Instance server = instance(false);
        IssuedCertificate cert = issue(server, "req-1");
        assertEquals(null, single(server.responder().respond(request(cert.serial(), null))).getCertStatus());
        assertEquals(null, single(server.responder().respond(request(cert.serial(), null))).getCertStatus());
        assertTrue(server.store().revoke(cert.serial(), RevocationReason.KEY_COMPROMISE, clock.instant()));
        RevokedStatus status = (RevokedStatus) single(server.responder().respond(request(cert.serial(), null))).getCertStatus();
        assertEquals(RevocationReason.KEY_COMPROMISE.code(), status.getRevocationReason());
    }

    @Test
    void cachedGoodOnSecondInstance_revokedThroughTheFirst_secondInstanceSaysRevoked() throws Exception {
        Instance first = instance(false);
        Instance second = instance(false);
        IssuedCertificate cert = issue(first, "req-1");
        byte[] cached = second.responder().respond(request(cert.serial(), null));
        assertArrayEquals(cached, second.responder().respond(request(cert.serial(), null)));
        assertEquals(null, single(cached).getCertStatus());
        // the first instance's revocation path: its own store object, the shared database
        assertTrue(first.store().revoke(cert.serial(), RevocationReason.SUPERSEDED, clock.instant()));
        RevokedStatus status = (RevokedStatus) single(second.responder().respond(request(cert.serial(), null))).getCertStatus();
        assertEquals(RevocationReason.SUPERSEDED.code(), status.getRevocationReason());
    }

    @Test
    void answerOlderThanHalfItsValidity_signedAgainWithANewThisUpdate() throws Exception {
        Instance server = instance(false);
        IssuedCertificate good = issue(server, "req-1");
        SingleResp first = single(server.responder().respond(request(good.serial(), null)));
        clock.advance(OcspResponder.DEFAULT_VALIDITY.dividedBy(2).minusSeconds(1));
        assertEquals(first.getThisUpdate(), single(server.responder().respond(request(good.serial(), null))).getThisUpdate());
        clock.advance(Duration.ofSeconds(1));
        SingleResp renewed = single(server.responder().respond(request(good.serial(), null)));
        assertEquals(first.getThisUpdate().toInstant().plus(OcspResponder.DEFAULT_VALIDITY.dividedBy(2)),
                renewed.getThisUpdate().toInstant());
    }

    @Test
    void requestsWithNonces_eachSignedWithItsOwnNonce() throws Exception {
        Instance server = instance(false);
        IssuedCertificate good = issue(server, "req-1");
        byte[] one = server.responder().respond(request(good.serial(), new byte[] {1, 2, 3}));
        byte[] two = server.responder().respond(request(good.serial(), new byte[] {4, 5, 6}));
        assertFalse(Arrays.equals(one, two));
        assertArrayEquals(new DEROctetString(new byte[] {4, 5, 6}).getEncoded(),
                basic(two).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets());
        assertTrue(basic(two).isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.caHolder())));
    }

    @Test
    void unknownSerials_notCached() throws Exception {
        Instance server = instance(false);
        for (int i = 1; i <= 50; i++) {
            server.responder().respond(request(BigInteger.valueOf(1_000_000 + i), null));
        }
        IssuedCertificate good = issue(server, "req-1");
        server.responder().respond(request(good.serial(), null));
        assertEquals(1, cacheOf(server.responder()).size());
    }

    @Test
    void cache_boundedLeastRecentlyUsedOut() {
        OcspResponseCache cache = new OcspResponseCache(3);
        OcspResponseCache.Status good = OcspResponseCache.Status.of(record(CertificateState.VALID));
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        for (int i = 1; i <= 3; i++) {
            cache.put(key(i), good, new byte[] {(byte) i}, now.plusSeconds(60), null);
        }
        assertNotNull(cache.get(key(1), good, now, null));
        cache.put(key(4), good, new byte[] {4}, now.plusSeconds(60), null);
        assertEquals(3, cache.size());
        assertEquals(null, cache.get(key(2), good, now, null));
        assertNotNull(cache.get(key(1), good, now, null));
        assertEquals(null, cache.get(key(4), good, now.plusSeconds(60), null));
        assertEquals(null, cache.get(key(3), OcspResponseCache.Status.of(record(CertificateState.REVOKED)), now, null));
        assertEquals(1, cache.size());
    }

    @Test
    void cachedAnswer_opensslVerifiesIt() throws Exception {
        OpenSsl openSsl = OpenSsl.require();
        Instance server = instance(true);
        IssuedCertificate cert = issue(server, "req-1");
        Path caPem = OpenSsl.writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());
        Path certPem = OpenSsl.writePem(dir.resolve("cert.pem"), "CERTIFICATE", cert.certificate());
        Path req = dir.resolve("req.der");
        // as `openssl ocsp` forms a GET request: SHA-1 CertID, no nonce
        openSsl.runOk(dir, "ocsp", "-no_nonce", "-issuer", caPem.toString(), "-cert", certPem.toString(), "-reqout",
                req.toString());
        byte[] first = server.responder().respondToGetPath(
                java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(req)));
        Path resp = Files.write(dir.resolve("resp.der"),
                server.responder().respondToGetPath(java.util.Base64.getUrlEncoder().encodeToString(Files.readAllBytes(req))));
        assertArrayEquals(first, Files.readAllBytes(resp));
        String out = openSsl.runOk(dir, "ocsp", "-reqin", req.toString(), "-respin", resp.toString(), "-issuer",
                caPem.toString(), "-cert", certPem.toString(), "-CAfile", caPem.toString(), "-no_nonce");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("cert.pem: good"), out);
    }

    private static OcspResponseCache.Key key(int serial) {
        return new OcspResponseCache.Key("1.3.14.3.2.26", BigInteger.valueOf(serial));
    }

    private static CertificateRecord record(CertificateState state) {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        return new CertificateRecord(BigInteger.TEN, "demo", "alice@EXAMPLE.COM", null, "req-1", "User", new byte[] {1},
                at, at.plusSeconds(3600), state, state == CertificateState.REVOKED ? RevocationReason.KEY_COMPROMISE : null,
                state == CertificateState.REVOKED ? at : null, null);
    }

    private static OcspResponseCache cacheOf(OcspResponder responder) throws Exception {
        var field = OcspResponder.class.getDeclaredField("cache");
        field.setAccessible(true);
        return (OcspResponseCache) field.get(responder);
    }

    private byte[] request(BigInteger serial, byte[] nonce) throws Exception {
        var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(new CertificateID(sha1, ca.caHolder(), serial));
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

    private static SingleResp single(byte[] der) throws Exception {
        SingleResp[] answers = basic(der).getResponses();
        assertEquals(1, answers.length);
        return answers[0];
    }
}
