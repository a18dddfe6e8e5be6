package org.autoenroll.core.pipeline;

import org.autoenroll.core.internal.SharedChecks;
import java.util.Optional;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * Chooses the AD server and the organization.
 *
 * <p>With an organization named in the request: its AD server, else the customer's default; the
 * ticket's realm must be that server's Windows domain. Without one: among the customer's AD
 * servers (its default and those its organizations are bound to), the one whose Windows domain is
 * the ticket's realm, then the organization bound to it that holds the e-mail's domain.
 *
 * <p>Raises {@link ErrorCode#AD_SERVER_NOT_FOUND} (9: nothing bound),
 * {@link ErrorCode#WINDOWS_DOMAIN_MISMATCH} (10: the named organization's server is of another
 * domain), {@link ErrorCode#NO_SUITABLE_ORGANIZATION} (11: no organization bound to the chosen
 * server holds the domain) and {@link ErrorCode#NO_MATCHED_AD_SERVER} (12: none of the customer's
 * servers is of the ticket's domain, or a bound server is not configured).
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
        String realm = context.caller().realm();
        Optional<Organization> named = context.organizationIfKnown();
        DirectoryRef server;
        Organization organization;
        if (named.isPresent()) {
            organization = named.get();
            server = configured(serverIdOf(organization, customer).orElseThrow(AdServerSelection::nothingBound));
            if (!server.windowsDomain().equalsIgnoreCase(realm)) {
                throw new EnrollmentException(ErrorCode.WINDOWS_DOMAIN_MISMATCH, "the ticket's realm " + realm
                        + " is not the Windows domain " + server.windowsDomain() + " of AD server " + server.id());
            }
        } else {
            server = SharedChecks.adServerForRealm(tenants, customer, realm);
            organization = organizationBoundTo(customer, server, context.emailDomain());
        }
        context.adServer(server);
        context.organization(organization);
        return chain.proceed();
    }

    private Organization organizationBoundTo(Customer customer, DirectoryRef server, String emailDomain) throws EnrollmentException {
        for (Organization organization : tenants.organizationsOf(customer.uri())) {
            if (!organization.deleted() && serverIdOf(organization, customer).filter(server.id()::equals).isPresent()
                    && organization.holdsDomain(emailDomain)) {
                return organization;
            }
        }
        throw new EnrollmentException(ErrorCode.NO_SUITABLE_ORGANIZATION,
                "no organization of the customer holding the email's domain is bound to AD server " + server.id());
    }

    private static Optional<String> serverIdOf(Organization organization, Customer customer) {
        return organization.boundAdServerId().or(() -> Optional.ofNullable(customer.defaultAdServerId()));
    }

    private DirectoryRef configured(String id) throws EnrollmentException {
        return tenants.directory(id).orElseThrow(() -> new EnrollmentException(ErrorCode.NO_MATCHED_AD_SERVER,
                "the bound AD server " + id + " is not configured"));
    }

    private static EnrollmentException nothingBound() {
        return new EnrollmentException(ErrorCode.AD_SERVER_NOT_FOUND,
                "neither the organization nor the customer is bound to an AD server");
    }
}
