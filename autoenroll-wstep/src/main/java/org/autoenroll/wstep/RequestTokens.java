package org.autoenroll.wstep;

import java.io.IOException;
import java.math.BigInteger;
import java.security.Provider;
import java.util.Collection;
import java.util.Optional;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.Store;

/**
 * Turns the BinarySecurityToken of an Issue or Renew into the PKCS#10 the pipeline checks:
 * a bare PKCS#10; or a PKCS#7 SignedData holding a PKCS#10 (Windows' renewal form) or a CMC
 * PKIData (RFC 5272, Windows' usual form) with one TaggedCertificationRequest, possibly wrapped
 * once more in an outer SignedData. Every signer is verified. A signer whose certificate is in the
 * SignedData and whose key is not the request's own is the certificate being renewed
 * (key-based renewal: the old key signs the new request). Anything else is
 * {@link ErrorCode#INVALID_CSR}. Stateless; Bouncy Castle is used as a provider object, never
 * registered in the JVM.
 */
final class RequestTokens {
    private static final Provider BC = new BouncyCastleProvider();
    private static final ASN1ObjectIdentifier PKI_DATA = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.12.2");
    private static final int MAX_NESTING = 2;

    /**
     * The request inside a token.
     *
     * @param csr the PKCS#10
     * @param renewing the serial of the certificate whose key signed it, for a renewal
     */
    record Decoded(PKCS10CertificationRequest csr, Optional<BigInteger> renewing) {
    }

    private RequestTokens() {
    }

    static Decoded decode(String valueType, byte[] token) throws EnrollmentException {
        try {
            if (RstRequest.PKCS10.equals(valueType)) {
                return new Decoded(new PKCS10CertificationRequest(token), Optional.empty());
            }
            return signedData(token, 0);
        } catch (IOException | CMSException | RuntimeException e) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the BinarySecurityToken is not a readable "
                    + (RstRequest.PKCS10.equals(valueType) ? "PKCS#10 request" : "PKCS#7/CMC request"));
        }
    }

    private static Decoded signedData(byte[] der, int depth) throws CMSException, IOException, EnrollmentException {
        CMSSignedData signed = new CMSSignedData(der);
        if (signed.getSignedContent() == null) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the PKCS#7 request has no content");
        }
        ASN1ObjectIdentifier contentType = signed.getSignedContentType();
        byte[] content = (byte[]) signed.getSignedContent().getContent();
        Decoded inner;
        if (contentType.equals(CMSObjectIdentifiers.data)) {
            inner = new Decoded(new PKCS10CertificationRequest(content), Optional.empty());
        } else if (contentType.equals(PKI_DATA)) {
            inner = new Decoded(fromPkiData(PKIData.getInstance(content)), Optional.empty());
        } else if (contentType.equals(CMSObjectIdentifiers.signedData) && depth + 1 < MAX_NESTING) {
            inner = signedData(content, depth + 1);
        } else {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the PKCS#7 request holds neither a PKCS#10 nor CMC PKIData");
        }
        Optional<BigInteger> renewing = inner.renewing();
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the PKCS#7 request is not signed");
        }
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certificates = signed.getCertificates();
        for (SignerInformation signer : signers) {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = certificates.getMatches(signer.getSID());
            try {
                if (!matches.isEmpty()) {
                    X509CertificateHolder certificate = matches.iterator().next();
                    if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(certificate))) {
                        throw new EnrollmentException(ErrorCode.INVALID_CSR, "a signature of the PKCS#7 request does not verify");
                    }
                    if (!certificate.getSubjectPublicKeyInfo().equals(inner.csr().getSubjectPublicKeyInfo())) {
                        if (renewing.isPresent() && !renewing.get().equals(certificate.getSerialNumber())) {
                            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the request is signed by two different certificates");
                        }
                        renewing = Optional.of(certificate.getSerialNumber());
                    }
                } else if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC)
                        .build(new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(inner.csr()).setProvider(BC).getPublicKey()))) {
                    throw new EnrollmentException(ErrorCode.INVALID_CSR, "the PKCS#7 request's signature is not by the request's key");
                }
            } catch (OperatorCreationException | java.security.GeneralSecurityException e) {
                throw new EnrollmentException(ErrorCode.INVALID_CSR, "a signature of the PKCS#7 request cannot be checked");
            }
        }
        return new Decoded(inner.csr(), renewing);
    }

    private static PKCS10CertificationRequest fromPkiData(PKIData data) throws IOException, EnrollmentException {
        TaggedRequest[] requests = data.getReqSequence();
        if (requests.length != 1 || requests[0].getTagNo() != TaggedRequest.TCR) {
            throw new EnrollmentException(ErrorCode.INVALID_CSR, "the CMC request must hold exactly one PKCS#10 request");
        }
        TaggedCertificationRequest tcr = TaggedCertificationRequest.getInstance(requests[0].getValue());
        return new PKCS10CertificationRequest(tcr.getCertificationRequest().getEncoded());
    }
}
