package org.autoenroll.core.tenant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.autoenroll.api.DirectoryRef;

/**
 * A tenant model held in memory, checked whole at construction: every reference to a customer or
 * a directory must resolve, and identifiers must be unique. Directories are opaque references
 * ({@link DirectoryRef}): what they are (AD over LDAP, an HR database) is the lookup's business.
 * Immutable and thread-safe.
 */
public final class InMemoryTenantRegistry implements TenantRegistry {
    private final Map<String, Customer> customers;
    private final Map<Long, Organization> organizations;
    private final Map<String, DirectoryRef> directories;
    private final Set<String> knownDomains = new HashSet<>();

    /**
     * @throws IllegalArgumentException naming the first inconsistency found
     */
    public InMemoryTenantRegistry(List<Customer> customers, List<Organization> organizations, List<DirectoryRef> directories) {
        this.directories = index(directories, DirectoryRef::id, "directory id");
        this.customers = index(customers, Customer::uri, "customer uri");
        this.organizations = index(organizations, Organization::id, "organization id");
        for (Customer customer : customers) {
            if (customer.defaultAdServerId() != null && !this.directories.containsKey(customer.defaultAdServerId())) {
                throw new IllegalArgumentException("customer " + customer.uri() + ": default AD server "
                        + customer.defaultAdServerId() + " is not defined");
            }
            knownDomains.addAll(customer.authorizedDomains());
        }
        for (Organization organization : organizations) {
            if (!this.customers.containsKey(organization.customerUri())) {
                throw new IllegalArgumentException("organization " + organization.id() + ": customer "
                        + organization.customerUri() + " is not defined");
            }
            if (organization.adServerId() != null && !this.directories.containsKey(organization.adServerId())) {
                throw new IllegalArgumentException("organization " + organization.id() + ": AD server "
                        + organization.adServerId() + " is not defined");
            }
            knownDomains.addAll(organization.domains());
        }
    }

    private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key, String what) {
        Map<K, V> map = new LinkedHashMap<>();
        for (V value : values) {
            if (map.putIfAbsent(key.apply(value), value) != null) {
                throw new IllegalArgumentException("duplicate " + what + ": " + key.apply(value));
            }
        }
        return Map.copyOf(map);
    }

    @Override
    public Optional<Customer> customer(String uri) {
        return Optional.ofNullable(customers.get(uri));
    }

    @Override
    public Optional<Organization> organization(long id) {
        return Optional.ofNullable(organizations.get(id));
    }

    @Override
    public Optional<DirectoryRef> directory(String id) {
        return Optional.ofNullable(directories.get(id));
    }

    @Override
    public List<Organization> organizationsOf(String customerUri) {
        List<Organization> result = new ArrayList<>();
        for (Organization organization : organizations.values()) {
            if (organization.customerUri().equals(customerUri)) {
                result.add(organization);
            }
        }
        result.sort((a, b) -> Long.compare(a.id(), b.id()));
        return result;
    }

    @Override
    public boolean isKnownDomain(String domain) {
        return knownDomains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
