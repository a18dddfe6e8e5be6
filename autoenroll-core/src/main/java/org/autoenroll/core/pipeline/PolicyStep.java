package org.autoenroll.core.pipeline;

import java.time.Clock;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.EnrollmentResult;

/**
 * Asks the {@link EnrollmentPolicy}: a refusal raises its code, a pending decision records the
 * request and answers pending, an issue decision hands on with the chosen profile.
 */
final class PolicyStep implements EnrollmentStep {
    private final EnrollmentPolicy policy;
    private final CertificateStore certificates;
    private final Clock clock;

    PolicyStep(EnrollmentPolicy policy, CertificateStore certificates, Clock clock) {
        this.policy = policy;
        this.certificates = certificates;
        this.clock = clock;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        String customerUri = context.customer().uri();
        String owner = context.caller().principal();
        EnrollmentPolicy.Decision decision = policy.decide(new EnrollmentPolicy.Request(context.caller(), customerUri,
                context.organization().id(), context.entry(), certificates.findByOwner(customerUri, owner),
                context.renewing()));
        if (decision instanceof EnrollmentPolicy.Refuse refuse) {
            throw new EnrollmentException(refuse.code(), refuse.detail());
        }
        if (decision instanceof EnrollmentPolicy.Pend) {
            certificates.recordPending(new RequestRecord(context.requestId(), customerUri, owner,
                    RequestRecord.State.PENDING, null, clock.instant()));
            return EnrollmentResult.pending(context.requestId());
        }
        context.profile(((EnrollmentPolicy.Issue) decision).profile());
        return chain.proceed();
    }
}
