package org.autoenroll.core.pipeline;

import org.autoenroll.core.internal.SharedChecks;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * Finds the customer the request names. Raises {@link ErrorCode#NO_CUSTOMER_URI} (1),
 * {@link ErrorCode#CUSTOMER_INVALID} (2) and {@link ErrorCode#CUSTOMER_DISABLED} (3).
 */
final class CustomerCheck implements EnrollmentStep {
    private final TenantRegistry tenants;

    CustomerCheck(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        context.customer(SharedChecks.customer(tenants, context.request().customerUri()));
        return chain.proceed();
    }
}
