package org.autoenroll.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.OperatorCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCSP responder (RFC 6960) for the certificates of one {@link BuiltInCa}, free of any
 * transport: the HTTP layer passes the DER request of a POST ({@link #respond(byte[])}) or the
 * last path segment of a GET ({@link #respondToGetPath(String)}) and sends the returned bytes with
 * content type {@value #RESPONSE_CONTENT_TYPE}. Every input yields a DER OCSPResponse; nothing
 * is thrown.
 *
 * <p>Answers per CertID, reading the certificate's state from the {@link CertificateStore}:
 * <ul>
 *   <li>{@code good}: a certificate of this CA, recorded as valid;</li>
 *   <li>{@code revoked}: recorded as revoked, with its revocation time and reason;</li>
 *   <li>{@code unknown}: the serial was never issued by this CA, or the CertID's issuer name or
 *       key hash is not this CA's, or its hash algorithm is not SHA-1/256/384/512.</li>
 * </ul>
 * When not one CertID of a request names this CA, the response status is {@code unauthorized}
 * (RFC 6960 2.3: "not capable of responding authoritatively", as RFC 5019 2.2.3 prescribes),
 * not a signed list of unknowns. A request that does not parse, is larger than
 * {@value #MAX_REQUEST_BYTES} bytes, has no or more than {@value #MAX_CERT_IDS} CertIDs, or a
 * nonce of 0 or more than {@value #MAX_NONCE_BYTES} bytes (RFC 8954) gets {@code malformedRequest};
 * a store or signing failure gets {@code internalError}. Request signatures are not required and
 * not checked (RFC 6960 4.1.2: optional).
 *
 * <p>The response is a BasicOCSPResponse with responderID byKey (SHA-1 of the signer's public
 * key), producedAt = thisUpdate = now, nextUpdate = now + the response validity, the request's
 * nonce echoed, signed by the CA key or by the delegated OCSP signer
 * ({@link CaSettings#ocspDelegatedSigner()}), whose certificate is included.
 *
 * <p>Signed once, served again: the answer to a request with one CertID of this CA and no nonce
 * (what {@code openssl ocsp -no_nonce} and RFC 5019 GET clients send) is kept in an
 * {@link OcspResponseCache} of {@value OcspResponseCache#DEFAULT_MAX_ENTRIES} answers, keyed by
 * CertID, and served again while the certificate's status read from the store for that very
 * request is unchanged and the answer is younger than half its validity: a revocation, by this
 * instance or another sharing the database, shows in the next answer. A request with a nonce is
 * signed each time.
 *
 * <p>Thread-safe: the delegated signer renews itself under a lock; the cache locks its map.
 */
public final class OcspResponder {
    private static final Logger LOG = LoggerFactory.getLogger(OcspResponder.class);

    /** The media type of a POSTed request. */
    public static final String REQUEST_CONTENT_TYPE = "application/ocsp-request";
    /** The media type of every response. */
    public static final String RESPONSE_CONTENT_TYPE = "application/ocsp-response";
    /** Requests larger than this are refused (malformedRequest); the HTTP layer may cut there too. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** At most this many CertIDs in one request. */
    public static final int MAX_CERT_IDS = 20;
    /** RFC 8954: a nonce has 1 to 32 octets. */
    public static final int MAX_NONCE_BYTES = 32;
    /** Default time from thisUpdate to nextUpdate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

    private static final Map<ASN1ObjectIdentifier, String> HASHES = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private final CertificateStore store;
    private final Clock clock;
    private final Duration validity;
    private final OcspSigningKey caSigner;
    private final DelegatedOcspSigner delegatedSigner;
    /** This CA's issuerNameHash and issuerKeyHash per CertID hash algorithm. */
    private final Map<ASN1ObjectIdentifier, byte[][]> issuerHashes;
    private final OcspResponseCache cache = new OcspResponseCache(OcspResponseCache.DEFAULT_MAX_ENTRIES);

    private OcspResponder(BuiltInCa ca, CertificateStore store, Clock clock, Duration validity,
                          OcspSigningKey caSigner, DelegatedOcspSigner delegatedSigner) {
        this.store = store;
        this.clock = clock;
        this.validity = validity;
        this.caSigner = caSigner;
        this.delegatedSigner = delegatedSigner;
        this.issuerHashes = issuerHashes(ca.caHolder());
    }

    /** {@link #open(BuiltInCa, CertificateStore, Clock, Duration)} with {@link #DEFAULT_VALIDITY}. */
    public static OcspResponder open(BuiltInCa ca, CertificateStore store, Clock clock) throws CaStartupException {
        return open(ca, store, clock, DEFAULT_VALIDITY);
    }

    /**
     * A responder for {@code ca}'s certificates. With {@link CaSettings#ocspDelegatedSigner()} it
     * loads the delegated signer from {@link CaSettings#ocspSignerKeystorePath()}, issuing it on
     * first start.
     *
     * @param validity from thisUpdate to nextUpdate of each answer, 1 minute to 7 days
     * @throws CaStartupException when the delegated signer cannot be loaded or issued
     */
    public static OcspResponder open(BuiltInCa ca, CertificateStore store, Clock clock, Duration validity)
            throws CaStartupException {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(validity, "validity");
        if (validity.compareTo(Duration.ofMinutes(1)) < 0 || validity.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("OCSP response validity must be between 1 minute and 7 days");
        }
        if (ca.settings().ocspDelegatedSigner()) {
            return new OcspResponder(ca, store, clock, validity, null, DelegatedOcspSigner.open(ca, clock));
        }
        try {
            OcspSigningKey caKey = new OcspSigningKey(ca.caKey(), ca.caCertificate(), ca.signatureProvider(), ca.random(), false);
            return new OcspResponder(ca, store, clock, validity, caKey, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaStartupException(CaStartupException.Reason.KEYSTORE_INVALID,
                    "the CA certificate cannot sign OCSP responses: " + e.getMessage(), e);
        }
    }

    /** The certificate whose key signs the responses now (the CA's, or the delegated signer's). */
    public X509CertificateHolder signerCertificate() throws CaStartupException {
        return signingKey().certificate();
    }

    /**
     * Answers a DER OCSPRequest (the body of a POST). Never throws: every failure is an
     * OCSPResponse with an error status.
     *
     * @param derRequest the request; null, empty or oversized gives malformedRequest
     * @return a DER OCSPResponse
     */
    public byte[] respond(byte[] derRequest) {
        try {
            if (derRequest == null || derRequest.length == 0 || derRequest.length > MAX_REQUEST_BYTES) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            OCSPReq request;
            try {
                request = new OCSPReq(derRequest);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // Bouncy Castle signals bad ASN.1 with IOException and, deep inside, with runtime
                // exceptions; a pathologically nested input may overflow its recursive parser
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            return answer(request);
        } catch (RuntimeException e) {
            LOG.warn("OCSP request failed", e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /**
     * Answers an OCSP GET (RFC 6960 appendix A): {@code path} is what follows {@code /ocsp/} in
     * the request URI, still URL-encoded; standard base64 (with %2B, %2F, %3D or literal
     * {@code + / =}) and base64url are accepted. A leading slash is ignored. Never throws.
     */
    public byte[] respondToGetPath(String path) {
        byte[] der = OcspGetPath.decode(path);
        return der == null ? status(OCSPRespBuilder.MALFORMED_REQUEST) : respond(der);
    }

    private byte[] answer(OCSPReq request) {
        List<CertificateID> ids = new ArrayList<>();
        List<CertificateID> foreign = new ArrayList<>();
        Extension nonce;
        try {
            // Bouncy Castle parses the inner structures lazily: a bad CertID or extension shows
            // up here as a runtime exception (found by the fuzz test), and is the client's fault
            Req[] requests = request.getRequestList();
            if (requests.length == 0 || requests.length > MAX_CERT_IDS) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                int length = nonceLength(nonce.getExtnValue().getOctets());
                if (length < 1 || length > MAX_NONCE_BYTES) {
                    return status(OCSPRespBuilder.MALFORMED_REQUEST);
                }
            }
            for (Req req : requests) {
                CertificateID id = req.getCertID();
                id.getSerialNumber();
                ids.add(id);
                if (!isOurs(id)) {
                    foreign.add(id);
                }
            }
        } catch (RuntimeException e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        boolean anyOurs = foreign.size() < ids.size();
        if (!anyOurs) {
            return status(OCSPRespBuilder.UNAUTHORIZED);
        }
        OcspSigningKey key;
        try {
            key = signingKey();
        } catch (CaStartupException e) {
            LOG.error("no OCSP signing key: {}", e.getMessage(), e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            if (ids.size() == 1 && foreign.isEmpty() && nonce == null) {
                return cachedOrSigned(ids.get(0), key, now);
            }
            List<CertificateStatus> statuses = new ArrayList<>();
            for (CertificateID id : ids) {
                statuses.add(foreign.contains(id) ? new UnknownStatus() : statusOf(recordOf(id.getSerialNumber())));
            }
            return sign(ids, statuses, nonce, key, now);
        } catch (EnrollmentException e) {
            // the store already logged the cause
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        } catch (OCSPException | OperatorCreationException | IOException e) {
            LOG.error("cannot sign the OCSP response", e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /**
     * One CertID of this CA and no nonce (the GET of RFC 5019): the answer signed earlier when
     * {@link OcspResponseCache}'s rule allows, else a new one, kept. The status is read from the
     * store for every request either way.
     */
    private byte[] cachedOrSigned(CertificateID id, OcspSigningKey key, Instant now)
            throws EnrollmentException, OCSPException, OperatorCreationException, IOException {
        Optional<CertificateRecord> record = recordOf(id.getSerialNumber());
        if (record.isEmpty()) {
            return sign(List.of(id), List.of(new UnknownStatus()), null, key, now);
        }
        OcspResponseCache.Key cacheKey = new OcspResponseCache.Key(id.getHashAlgOID().getId(), id.getSerialNumber());
        OcspResponseCache.Status status = OcspResponseCache.Status.of(record.get());
        byte[] cached = cache.get(cacheKey, status, now, key);
        if (cached != null) {
            return cached.clone();
        }
        byte[] signed = sign(List.of(id), Collections.singletonList(statusOf(record)), null, key, now);
        cache.put(cacheKey, status, signed.clone(), now.plus(validity.dividedBy(2)), key);
        return signed;
    }

    private byte[] sign(List<CertificateID> ids, List<CertificateStatus> statuses, Extension nonce, OcspSigningKey key,
                        Instant now) throws OCSPException, OperatorCreationException, IOException {
        Date thisUpdate = Date.from(now);
        Date nextUpdate = Date.from(now.plus(validity));
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(responderId(key));
        // answers in the order asked, as clients match them by CertID anyway
        for (int i = 0; i < ids.size(); i++) {
            builder.addResponse(ids.get(i), statuses.get(i), thisUpdate, nextUpdate, null);
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(
                    new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonce.getExtnValue())));
        }
        X509CertificateHolder[] chain = {key.certificate()};
        BasicOCSPResp basic = builder.build(key.newSigner(), chain, thisUpdate);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private Optional<CertificateRecord> recordOf(BigInteger serial) throws EnrollmentException {
        if (serial.signum() <= 0 || serial.bitLength() > 160) {
            return Optional.empty();
        }
        return store.find(serial);
    }

    private static CertificateStatus statusOf(Optional<CertificateRecord> record) {
        if (record.isEmpty()) {
            return new UnknownStatus();
        }
        CertificateRecord certificate = record.get();
        if (certificate.state() != CertificateState.REVOKED) {
            return CertificateStatus.GOOD;
        }
        Instant revokedAt = certificate.revokedAt() == null ? certificate.notBefore() : certificate.revokedAt();
        CRLReason reason = certificate.revocationReason() == null
                ? null : CRLReason.lookup(certificate.revocationReason().code());
        return new RevokedStatus(new RevokedInfo(
                new ASN1GeneralizedTime(Date.from(revokedAt.truncatedTo(ChronoUnit.SECONDS))), reason));
    }

    /** The length of the nonce: the content of the OCTET STRING in extnValue, or extnValue itself. */
    static int nonceLength(byte[] extnValue) {
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(extnValue);
            if (inner instanceof ASN1OctetString octets) {
                return octets.getOctets().length;
            }
        } catch (IOException | RuntimeException e) {
            // not DER: a client that put the raw nonce into extnValue
        }
        return extnValue.length;
    }

    private boolean isOurs(CertificateID id) {
        byte[][] hashes = issuerHashes.get(id.getHashAlgOID());
        return hashes != null && MessageDigest.isEqual(hashes[0], id.getIssuerNameHash())
                && MessageDigest.isEqual(hashes[1], id.getIssuerKeyHash());
    }

    private OcspSigningKey signingKey() throws CaStartupException {
        return delegatedSigner != null ? delegatedSigner.current() : caSigner;
    }

    private static Map<ASN1ObjectIdentifier, byte[][]> issuerHashes(X509CertificateHolder ca) {
        try {
            byte[] name = ca.getSubject().getEncoded("DER");
            // RFC 6960 4.1.1: the hash of the subjectPublicKey BIT STRING's value, without tag and length
            byte[] key = ca.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
            java.util.HashMap<ASN1ObjectIdentifier, byte[][]> result = new java.util.HashMap<>();
            for (Map.Entry<ASN1ObjectIdentifier, String> hash : HASHES.entrySet()) {
                result.put(hash.getKey(), new byte[][] {
                        MessageDigest.getInstance(hash.getValue()).digest(name),
                        MessageDigest.getInstance(hash.getValue()).digest(key)});
            }
            return Map.copyOf(result);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 and SHA-2 are always available", e);
        }
    }

    /** ResponderID byKey: SHA-1 of the signer's subjectPublicKey value (RFC 6960 4.2.1). */
    private static RespID responderId(OcspSigningKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest(key.publicKeyInfo().getPublicKeyData().getBytes());
            return new RespID(new ResponderID(new DEROctetString(hash)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    /** An OCSPResponse with an error status and no body. */
    private static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            // cannot happen: two fixed bytes of ASN.1; fall back to the literal encoding
            return new byte[] {0x30, 0x03, 0x0a, 0x01, (byte) status};
        }
    }

    @Override
    public String toString() {
        return "OcspResponder[" + (delegatedSigner != null ? "delegated signer" : "CA-signed") + ", validity="
                + validity + "]";
    }

}
