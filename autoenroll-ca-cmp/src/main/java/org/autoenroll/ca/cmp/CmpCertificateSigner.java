package org.autoenroll.ca.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cmp.CertConfirmContent;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.CertStatus;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.CertificateConfirmationContentBuilder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CertificateSigner} that has a CMP CA sign each request (RFC 4210, the lightweight
 * profile of RFC 9483, over HTTP as RFC 6712): EJBCA, OpenSSL's CMP server, any CA that speaks CMP.
 * autoenroll acts as the RA: the pipeline has checked the caller, the CSR and the names.
 *
 * <p>One enrollment is two exchanges: a p10cr (the client's PKCS#10 as it came) or a cr (a template
 * from the checked names), answered by a cp; then a certConf, answered by a pkiConf. Every answer
 * must be protected as configured ({@link CmpProtection}), belong to our transaction and echo our
 * nonce. The certificate is believed only when it carries the requested public key and the
 * requested subject, is signed by the configured issuing CA and is valid now: a CA can answer
 * wrongly. A certificate that fails these checks is rejected in the certConf and the request
 * fails. Every failure is {@link ErrorCode#CERTIFICATE_ISSUANCE_FAILED} (25) with a detail that
 * names what went wrong; neither the secret nor a key ever appears in it or in the log.
 *
 * <p>Not supported: polling (status waiting), encrypted certificates, implicit confirmation.
 * Thread-safe: each call is its own transaction.
 *
 * @since 0.1
 */
public final class CmpCertificateSigner implements CertificateSigner {
    private static final Logger LOG = LoggerFactory.getLogger(CmpCertificateSigner.class);
    /** How far the certificate's notBefore may lie ahead of our clock. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Which CMP request carries the enrollment. */
    public enum RequestType {
        /** The client's PKCS#10 itself (RFC 4210 p10cr): the CA sees exactly what the client signed. */
        P10CR,
        /** A CRMF template built from the directory's names, POP "RA verified" (RFC 4210 cr). */
        CR
    }

    private final CmpHttpTransport transport;
    private final CmpProtection protection;
    private final RequestType requestType;
    private final List<X509Certificate> caChain;
    private final GeneralName recipient;
    private final Clock clock;
    private final Provider provider;
    private final SecureRandom random;

    private CmpCertificateSigner(Builder builder) {
        this.transport = new CmpHttpTransport(builder.server, builder.connectTimeout, builder.exchangeTimeout, builder.tls);
        this.protection = builder.protection;
        this.requestType = builder.requestType;
        this.caChain = List.copyOf(builder.caChain);
        this.recipient = new GeneralName(builder.recipient != null ? new X500Name(builder.recipient)
                : X500Name.getInstance(caChain.get(0).getSubjectX500Principal().getEncoded()));
        this.clock = builder.clock;
        this.provider = builder.provider;
        this.random = builder.random;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
        try {
            IssuedCertificate issued = enroll(request);
            LOG.info("request {}: CMP server {} issued serial {}", request.requestId(), transport.server(),
                    issued.serial().toString(16).toUpperCase(java.util.Locale.ROOT));
            return issued;
        } catch (CmpFailure e) {
            LOG.warn("request {}: CMP enrollment at {} failed: {}", request.requestId(), transport.server(), e.getMessage());
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> caChain() {
        List<byte[]> chain = new ArrayList<>();
        for (X509Certificate certificate : caChain) {
            try {
                chain.add(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("the configured CA certificate does not encode", e);
            }
        }
        return chain;
    }

    private IssuedCertificate enroll(SigningRequest request) throws CmpFailure {
        byte[] transactionId = nonce();
        byte[] requestNonce = nonce();
        CmpMessages.Outgoing outgoing = requestType == RequestType.P10CR ? CmpMessages.p10cr(request) : CmpMessages.cr(request);
        ProtectedPKIMessage answer = exchange(outgoing.body(), transactionId, requestNonce, null);
        CertResponse response = CmpMessages.grantedResponse(answer);
        BigInteger certReqId = response.getCertReqId().getValue();
        BigInteger expectedId = requestType == RequestType.CR ? BigInteger.ZERO : null;
        if (expectedId != null ? !certReqId.equals(expectedId) : certReqId.signum() != 0 && !certReqId.equals(BigInteger.ONE.negate())) {
            throw new CmpFailure("the CMP answer is for certReqId " + certReqId + ", not for our request");
        }
        X509CertificateHolder holder = CmpMessages.certificate(response);
        String problem = problemWith(holder, request, outgoing.subject());
        confirm(holder, certReqId, problem, transactionId, answer.getHeader().getSenderNonce().getOctets());
        if (problem != null) {
            throw new CmpFailure(problem);
        }
        X509Certificate certificate = toX509(holder);
        byte[] der;
        try {
            der = holder.getEncoded();
        } catch (IOException e) {
            throw new CmpFailure("the certificate from the CMP server does not encode", e);
        }
        return new IssuedCertificate(certificate.getSerialNumber(), der, caChain(),
                certificate.getSubjectX500Principal().getName(), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    /** Why the certificate must not be accepted, or null when it is the one we asked for. */
    private String problemWith(X509CertificateHolder certificate, SigningRequest request, X500Name askedSubject) {
        SubjectPublicKeyInfo asked = SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded());
        if (!certificate.getSubjectPublicKeyInfo().equals(asked)) {
            return "the CMP server answered with a certificate (serial " + certificate.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT)
                    + ") for another public key than the request's";
        }
        if (!certificate.getSubject().equals(askedSubject)) {
            return "the CMP server answered with a certificate for subject '" + certificate.getSubject()
                    + "', but the request asked for '" + askedSubject + "'";
        }
        X509Certificate issuer = caChain.get(0);
        try {
            if (!certificate.getIssuer().equals(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()))
                    || !certificate.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(provider).build(issuer))) {
                return "the certificate from the CMP server is not signed by the configured issuing CA "
                        + issuer.getSubjectX500Principal().getName();
            }
        } catch (OperatorCreationException | org.bouncycastle.cert.CertException | RuntimeException e) {
            return "the signature of the certificate from the CMP server cannot be checked: " + e.getMessage();
        }
        Instant now = clock.instant();
        if (certificate.getNotAfter().toInstant().isBefore(now)
                || certificate.getNotBefore().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            return "the certificate from the CMP server is not valid now (" + certificate.getNotBefore().toInstant()
                    + " to " + certificate.getNotAfter().toInstant() + ")";
        }
        return null;
    }

    /** certConf accepting the certificate, or rejecting it with {@code problem}; then the pkiConf. */
    private void confirm(X509CertificateHolder certificate, BigInteger certReqId, String problem, byte[] transactionId,
                         byte[] recipNonce) throws CmpFailure {
        CertStatus status;
        try {
            CertStatus accepted = new CertificateConfirmationContentBuilder().addAcceptedCertificate(certificate, certReqId)
                    .build(new JcaDigestCalculatorProviderBuilder().setProvider(provider).build())
                    .toASN1Structure().toCertStatusArray()[0];
            status = problem == null ? accepted : new CertStatus(accepted.getCertHash().getOctets(), certReqId,
                    new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(problem),
                            new PKIFailureInfo(PKIFailureInfo.badCertTemplate)), accepted.getHashAlg());
        } catch (CMPException | OperatorCreationException e) {
            throw new CmpFailure("cannot build the certConf", e);
        }
        PKIBody body = new PKIBody(PKIBody.TYPE_CERT_CONFIRM, CertConfirmContent.getInstance(new DERSequence(status)));
        try {
            ProtectedPKIMessage answer = exchange(body, transactionId, nonce(), recipNonce);
            if (answer.getBody().getType() != PKIBody.TYPE_CONFIRM) {
                throw new CmpFailure("the CMP server answered the certConf with body type " + answer.getBody().getType()
                        + (answer.getBody().getType() == PKIBody.TYPE_ERROR ? " (error)" : "") + ", not pkiConf");
            }
        } catch (CmpFailure e) {
            if (problem != null) {
                return; // the enrollment fails anyway, for the reason that matters
            }
            throw e;
        }
    }

    private ProtectedPKIMessage exchange(PKIBody body, byte[] transactionId, byte[] senderNonce, byte[] recipNonce)
            throws CmpFailure {
        ProtectedPKIMessageBuilder builder = new ProtectedPKIMessageBuilder(PKIHeader.CMP_2000, protection.sender(), recipient)
                .setMessageTime(Date.from(clock.instant()))
                .setTransactionID(transactionId)
                .setSenderNonce(senderNonce)
                .setBody(body);
        if (recipNonce != null) {
            builder.setRecipNonce(recipNonce);
        }
        byte[] der;
        try {
            der = protection.protect(builder, provider, random).toASN1Structure().getEncoded();
        } catch (IOException e) {
            throw new CmpFailure("cannot encode the CMP request", e);
        }
        ProtectedPKIMessage answer = CmpMessages.parse(transport.exchange(der), transactionId, senderNonce);
        protection.verify(answer, provider);
        return answer;
    }

    private X509Certificate toX509(X509CertificateHolder holder) throws CmpFailure {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new CmpFailure("the certificate from the CMP server does not parse", e);
        }
    }

    private byte[] nonce() {
        byte[] value = new byte[16];
        random.nextBytes(value);
        return value;
    }

    @Override
    public String toString() {
        return "CMP CA at " + transport.server() + " (" + requestType + ", " + protection + ")";
    }

    /** Settings of a {@link CmpCertificateSigner}; {@link #build()} checks them all. Not thread-safe. */
    public static final class Builder {
        private URI server;
        private CmpProtection protection;
        private RequestType requestType = RequestType.P10CR;
        private List<X509Certificate> caChain = List.of();
        private String recipient;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration exchangeTimeout = Duration.ofSeconds(30);
        private SSLContext tls;
        private Clock clock = Clock.systemUTC();
        private Provider provider = new BouncyCastleProvider();
        private SecureRandom random = new SecureRandom();

        private Builder() {
        }

        /** The CMP endpoint, {@code http://ca.example.com:8080/ejbca/publicweb/cmp/autoenroll} or https. Required. */
        public Builder server(URI value) {
            server = value;
            return this;
        }

        /** How messages are protected both ways. Required. */
        public Builder protection(CmpProtection value) {
            protection = value;
            return this;
        }

        /** {@link RequestType#P10CR} unless set. */
        public Builder requestType(RequestType value) {
            requestType = Objects.requireNonNull(value, "requestType");
            return this;
        }

        /** The issuing CA's certificate first, then its issuers: what issued certificates must be signed by. Required. */
        public Builder caChain(List<X509Certificate> value) {
            caChain = List.copyOf(value);
            return this;
        }

        /** The recipient DN in the header; the issuing CA's subject unless set. */
        public Builder recipient(String rfc4514) {
            recipient = rfc4514;
            return this;
        }

        /** Bounds on connecting (default 5 s) and on each whole exchange (default 30 s). */
        public Builder timeouts(Duration connect, Duration exchange) {
            connectTimeout = positive(connect, "connect timeout");
            exchangeTimeout = positive(exchange, "exchange timeout");
            return this;
        }

        /** The TLS context for an https endpoint; the JVM's default trust unless set. */
        public Builder tls(SSLContext value) {
            tls = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The JCA provider for MACs, signatures and digests; a private Bouncy Castle instance unless set. */
        public Builder provider(Provider value) {
            provider = Objects.requireNonNull(value, "provider");
            return this;
        }

        public Builder random(SecureRandom value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** @throws IllegalStateException naming what is missing or wrong */
        public CmpCertificateSigner build() {
            List<String> missing = new ArrayList<>();
            if (server == null) {
                missing.add("server");
            }
            if (protection == null) {
                missing.add("protection");
            }
            if (caChain.isEmpty()) {
                missing.add("caChain");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("CMP signer: missing " + String.join(", ", missing));
            }
            if (!Arrays.asList("http", "https").contains(String.valueOf(server.getScheme()).toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalStateException("CMP signer: server must be an http or https URI, not " + server);
            }
            return new CmpCertificateSigner(this);
        }

        private static Duration positive(Duration value, String what) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return value;
        }
    }
}
