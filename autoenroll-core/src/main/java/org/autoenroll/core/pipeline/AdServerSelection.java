package org.autoenroll.core.pipeline;

import java.util.Optional;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * Chooses the AD server: the organization's, else the customer's default. The caller's ticket must
 * come from that server's Windows domain, and an organization must be bound to it. Raises
 * {@link ErrorCode#AD_SERVER_NOT_FOUND} (9), {@link ErrorCode#NO_MATCHED_AD_SERVER} (12),
 * {@link ErrorCode#WINDOWS_DOMAIN_MISMATCH} (10) and {@link ErrorCode#NO_SUITABLE_ORGANIZATION} (11).
 */
final class AdServerSelection implements EnrollmentStep {
    private final TenantRegistry tenants;

    AdServerSelection(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        Customer customer = context.customer();
        Optional<Organization> named = context.organizationIfKnown();
        String serverId = named.flatMap(Organization::boundAdServerId).orElse(customer.defaultAdServerId());
        if (serverId == null) {
            throw new EnrollmentException(ErrorCode.AD_SERVER_NOT_FOUND,
                    "neither the organization nor the customer is bound to an AD server");
        }
        AdServer server = tenants.adServer(serverId).orElseThrow(() -> new EnrollmentException(
                ErrorCode.NO_MATCHED_AD_SERVER, "the bound AD server " + serverId + " is not configured"));
        if (!server.windowsDomain().equalsIgnoreCase(context.caller().realm())) {
            throw new EnrollmentException(ErrorCode.WINDOWS_DOMAIN_MISMATCH, "the ticket's realm " + context.caller().realm()
                    + " is not the AD server's Windows domain " + server.windowsDomain());
        }
        Organization organization = named.isPresent() ? named.get() : boundOrganization(customer, server, context.emailDomain());
        context.adServer(server);
        context.organization(organization);
        return chain.proceed();
    }

    private Organization boundOrganization(Customer customer, AdServer server, String emailDomain) throws EnrollmentException {
        for (Organization organization : tenants.organizationsOf(customer.uri())) {
            String bound = organization.boundAdServerId().orElse(customer.defaultAdServerId());
            if (!organization.deleted() && server.id().equals(bound) && organization.holdsDomain(emailDomain)) {
                return organization;
            }
        }
        throw new EnrollmentException(ErrorCode.NO_SUITABLE_ORGANIZATION,
                "no organization of the customer holding the email's domain is bound to AD server " + server.id());
    }
}
