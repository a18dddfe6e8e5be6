package org.autoenroll.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An Active Directory server record, as the seed guide's certificate manager keeps them: the
 * Windows domain it serves, where to reach it, and how to bind.
 *
 * @param id a stable identifier, unique among the records
 * @param windowsDomain the Kerberos realm / Windows DNS domain in upper case, e.g. {@code EXAMPLE.COM}
 * @param hosts one or more hosts, tried in order
 * @param useSsl LDAPS rather than plain LDAP
 * @param usersBaseDn where users are searched, e.g. {@code CN=Users,DC=example,DC=com}
 * @param bindDn the service account to bind as; anonymous access is refused
 * @param bindPassword where the service account's password is kept
 *
 * @since 0.1
 */
public record AdServer(String id, String windowsDomain, List<LdapEndpoint> hosts, boolean useSsl,
                       String usersBaseDn, String bindDn, SecretRef bindPassword) {
    public AdServer {
        Objects.requireNonNull(id, "id");
        windowsDomain = Objects.requireNonNull(windowsDomain, "windowsDomain").toUpperCase(Locale.ROOT);
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("AD server " + id + " needs at least one host");
        }
        Objects.requireNonNull(usersBaseDn, "usersBaseDn");
        if (bindDn == null || bindDn.isBlank() || bindPassword == null) {
            throw new IllegalArgumentException("AD server " + id + " needs a bind DN and password: anonymous access is refused");
        }
    }

    /** The opaque reference the pipeline hands a {@link DirectoryLookup} for this record. */
    public DirectoryRef ref() {
        return new DirectoryRef(id, windowsDomain);
    }
}
