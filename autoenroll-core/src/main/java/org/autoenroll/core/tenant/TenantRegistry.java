package org.autoenroll.core.tenant;

import java.util.List;
import java.util.Optional;
import org.autoenroll.api.DirectoryRef;

/**
 * The tenant model: customers, their organizations and the AD server records. Read-only to the
 * pipeline; implementations are thread-safe.
 */
public interface TenantRegistry {
    Optional<Customer> customer(String uri);

    Optional<Organization> organization(long id);

    /** The directory (an AD server record's reference) with this id. */
    Optional<DirectoryRef> directory(String id);

    /** The organizations a customer manages, deleted ones included. */
    List<Organization> organizationsOf(String customerUri);

    /** True when any customer or organization knows this e-mail domain. */
    boolean isKnownDomain(String domain);
}
