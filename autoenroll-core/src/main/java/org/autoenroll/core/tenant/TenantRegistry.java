package org.autoenroll.core.tenant;

import java.util.List;
import java.util.Optional;
import org.autoenroll.api.AdServer;

/**
 * The tenant model: customers, their organizations and the AD server records. Read-only to the
 * pipeline; implementations are thread-safe.
 */
public interface TenantRegistry {
    Optional<Customer> customer(String uri);

    Optional<Organization> organization(long id);

    Optional<AdServer> adServer(String id);

    /** The organizations a customer manages, deleted ones included. */
    List<Organization> organizationsOf(String customerUri);

    /** True when any customer or organization knows this e-mail domain. */
    boolean isKnownDomain(String domain);
}
