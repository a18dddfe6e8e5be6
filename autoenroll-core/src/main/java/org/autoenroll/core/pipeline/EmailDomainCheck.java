package org.autoenroll.core.pipeline;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * The e-mail's domain must be known, and authorized for the customer. Raises
 * {@link ErrorCode#NO_MATCHED_DOMAIN} (4) and {@link ErrorCode#DOMAIN_UNAUTHORIZED} (5).
 */
final class EmailDomainCheck implements EnrollmentStep {
    private final TenantRegistry tenants;

    EmailDomainCheck(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        String domain = context.emailDomain();
        if (!tenants.isKnownDomain(domain)) {
            throw new EnrollmentException(ErrorCode.NO_MATCHED_DOMAIN, "no customer or organization has the email's domain");
        }
        if (!context.customer().authorizes(domain)) {
            throw new EnrollmentException(ErrorCode.DOMAIN_UNAUTHORIZED, "the email's domain is not authorized for this customer");
        }
        return chain.proceed();
    }
}
