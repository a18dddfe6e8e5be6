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
        IssuedCertificate issued = signer.sign(CheckedSigningRequest.of(context));
        certificates.recordIssued(CertificateRecord.issued(issued, context.customer().uri(), context.caller().principal(),
                context.email(), context.requestId(), context.profile().name()),
                context.renewing().map(CertificateRecord::serial));
        return EnrollmentResult.issued(context.requestId(), issued);
    }
}
