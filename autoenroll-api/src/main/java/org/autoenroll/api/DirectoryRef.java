package org.autoenroll.api;

import java.util.Locale;
import java.util.Objects;

/**
 * An opaque reference to one tenant's directory, as the pipeline hands it to a
 * {@link DirectoryLookup}: an id the lookup was configured with, and the Windows domain (Kerberos
 * realm) whose users it holds. How to reach it (LDAP hosts, an HR database, a SCIM service) is the
 * lookup's business.
 *
 * @param id the directory's id, unique among the configured directories (an AD server record's id)
 * @param windowsDomain the realm in upper case
 * @since 0.2
 */
public record DirectoryRef(String id, String windowsDomain) {
    public DirectoryRef {
        Objects.requireNonNull(id, "id");
        windowsDomain = Objects.requireNonNull(windowsDomain, "windowsDomain").toUpperCase(Locale.ROOT);
    }
}
