package org.autoenroll.server;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.internal.SharedChecks;
import org.autoenroll.core.policy.CallerIdentities;
import org.autoenroll.core.policy.TemplateCatalog;
import org.autoenroll.core.tenant.TenantRegistry;
import org.autoenroll.wstep.CallerTemplates;

/**
 * What CEP offers a caller: the templates of the catalogue (configured and AD's) for the caller's
 * kind of account as the directory says it, on which its identities (PAC SIDs, else the
 * directory's, nested groups, Authenticated Users) have the Enroll or Autoenroll right, deny
 * beating allow: the same rules as the enrollment policy and the requirements list. Samba's client
 * enrolls in every template it is offered, so a template without a right is never listed.
 * Thread-safe.
 */
final class CatalogCallerTemplates implements CallerTemplates {
    private final TemplateCatalog catalog;
    private final TenantRegistry tenants;
    private final DirectoryLookup directory;

    CatalogCallerTemplates(TemplateCatalog catalog, TenantRegistry tenants, DirectoryLookup directory) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public List<OfferedTemplate> offeredTo(AuthenticatedPrincipal caller, String customerUri) throws EnrollmentException {
        var customer = SharedChecks.customer(tenants, customerUri);
        DirectoryEntry entry = directory.findUser(SharedChecks.adServerForRealm(tenants, customer, caller.realm()), caller);
        Set<String> identities = CallerIdentities.of(caller, entry);
        return catalog.offered().stream()
                .filter(t -> t.subjectType() == entry.type())
                .map(t -> new OfferedTemplate(t, t.grants(AccessRule.Right.ENROLL, identities),
                        t.autoenrollEnabled() && t.grants(AccessRule.Right.ENROLL, identities)
                                && t.grants(AccessRule.Right.AUTOENROLL, identities)))
                .filter(o -> o.enroll() || o.autoenroll())
                .toList();
    }
}
