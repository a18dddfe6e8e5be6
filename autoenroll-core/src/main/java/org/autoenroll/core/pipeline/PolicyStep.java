package org.autoenroll.core.pipeline;

import java.time.Clock;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;

/**
 * Asks the {@link EnrollmentPolicy}: a refusal raises its code, a pending decision records the
 * request (with what the client sent, so that it can run again once approved) and answers
 * pending, an issue decision hands on with the chosen profile. Reads no holdings: the cost of a
 * decision does not grow with what the caller holds.
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
        EnrollmentPolicy.Decision decision = policy.decide(new EnrollmentPolicy.Request(context.caller(), customerUri,
                context.organization().id(), context.entry(), context.requestedTemplate().or(context.csr()::templateHint),
                context.csr().key(), context.renewing(), context.approved()));
        if (decision instanceof EnrollmentPolicy.Refuse refuse) {
            throw new EnrollmentException(refuse.code(), refuse.detail());
        }
        if (decision instanceof EnrollmentPolicy.Pend pend) {
            EnrollmentRequest sent = context.request();
            certificates.recordPending(RequestRecord.pending(context.requestId(), customerUri, context.caller().principal(),
                    clock.instant(), new RequestRecord.Submitted(pend.profile().name(), sent.orgId(), sent.email(),
                            sent.commonName(), sent.csrPem(), sent.renewSerial())));
            return EnrollmentResult.pending(context.requestId());
        }
        context.profile(((EnrollmentPolicy.Issue) decision).profile());
        return chain.proceed();
    }
}
