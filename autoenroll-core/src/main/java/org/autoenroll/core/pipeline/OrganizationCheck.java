package org.autoenroll.core.pipeline;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * When the request names an organization, finds it and checks it is the customer's, not deleted,
 * and holds the e-mail's domain. Raises {@link ErrorCode#ORGID_INVALID} (6),
 * {@link ErrorCode#NO_ORGANIZATION_FOUND} (7) and {@link ErrorCode#NO_MATCHED_ORGANIZATION} (8).
 * Without an orgId, {@link AdServerSelection} picks the organization.
 */
final class OrganizationCheck implements EnrollmentStep {
    private static final int MAX_ORGID_DIGITS = 18;

    private final TenantRegistry tenants;

    OrganizationCheck(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        String orgId = context.request().orgId();
        if (orgId == null || orgId.isBlank()) {
            return chain.proceed();
        }
        orgId = orgId.strip();
        if (orgId.length() > MAX_ORGID_DIGITS || !orgId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new EnrollmentException(ErrorCode.ORGID_INVALID, "orgId is not a number");
        }
        Organization organization = tenants.organization(Long.parseLong(orgId)).orElseThrow(
                () -> new EnrollmentException(ErrorCode.NO_ORGANIZATION_FOUND, "no organization has this orgId"));
        if (!organization.customerUri().equals(context.customer().uri())) {
            throw new EnrollmentException(ErrorCode.NO_MATCHED_ORGANIZATION, "the organization is not managed by this customer");
        }
        if (organization.deleted()) {
            throw new EnrollmentException(ErrorCode.NO_MATCHED_ORGANIZATION, "the organization has been deleted");
        }
        if (!organization.holdsDomain(context.emailDomain())) {
            throw new EnrollmentException(ErrorCode.NO_MATCHED_ORGANIZATION, "the organization does not hold the email's domain");
        }
        context.organization(organization);
        return chain.proceed();
    }
}
