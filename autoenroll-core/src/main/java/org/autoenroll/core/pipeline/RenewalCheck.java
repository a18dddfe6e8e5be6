package org.autoenroll.core.pipeline;

import org.autoenroll.core.internal.SharedChecks;
import java.time.Clock;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;

/**
 * When the request renews a certificate, finds it: it must be the caller's, in this customer,
 * valid and not expired. Raises {@link ErrorCode#INVALID_SERIAL} (24).
 */
final class RenewalCheck implements EnrollmentStep {
    private final CertificateStore certificates;
    private final Clock clock;

    RenewalCheck(CertificateStore certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        String renewSerial = context.request().renewSerial();
        if (renewSerial == null || renewSerial.isBlank()) {
            return chain.proceed();
        }
        context.renewing(SharedChecks.usableCertificateOf(certificates, context.customer().uri(), context.caller().principal(),
                renewSerial, clock));
        return chain.proceed();
    }
}
