package org.autoenroll.core.pipeline;

import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.core.EnrollmentResult;

/**
 * The last step: has the CA sign the checked request with names from the directory, records the
 * certificate (and revokes the renewed one) in one transaction, and only then answers issued.
 * Raises {@link ErrorCode#CERTIFICATE_ISSUANCE_FAILED} (25) via the signer, and
 * {@link ErrorCode#INVALID_SERIAL} (24) or {@link ErrorCode#ENROLLMENT_FAILED} (30) via the store.
 * A certificate that could not be recorded is never returned.
 */
final class SignAndRecord implements EnrollmentStep {
    private final CertificateSigner signer;
    private final CertificateStore certificates;

    SignAndRecord(CertificateSigner signer, CertificateStore certificates) {
        this.signer = signer;
        this.certificates = certificates;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        org.autoenroll.api.SigningRequest request = CheckedSigningRequest.of(context);
        IssuedCertificate issued = signer.sign(request);
        requireRequestedKey(issued, request);
        certificates.recordIssued(CertificateRecord.issued(issued, context.customer().uri(), context.caller().principal(),
                context.email(), context.requestId(), context.profile().name()),
                context.renewing().map(CertificateRecord::serial));
        return EnrollmentResult.issued(context.requestId(), issued);
    }

    /**
     * The certificate must carry the key the caller proved it holds: checked for every signer (the
     * signature over the certificate is not re-checked here: a CA signing with a key it holds made
     * it, and a remote CA's answer is verified where it arrives and by the directory clean-up).
     */
    private static void requireRequestedKey(IssuedCertificate issued, org.autoenroll.api.SigningRequest request)
            throws EnrollmentException {
        boolean same;
        try {
            same = org.bouncycastle.asn1.x509.Certificate.getInstance(issued.certificate()).getSubjectPublicKeyInfo()
                    .equals(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded()));
        } catch (RuntimeException e) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, "the CA's certificate does not parse");
        }
        if (!same) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the CA's certificate " + org.autoenroll.core.internal.Serials.format(issued.serial())
                            + " does not carry the requested public key");
        }
    }
}
