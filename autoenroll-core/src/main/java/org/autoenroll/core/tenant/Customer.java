package org.autoenroll.core.tenant;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A customer of the certificate manager: the tenant a request names by its URI.
 *
 * @param uri the identifier clients send as {@code customerUri}
 * @param enabled a disabled customer's requests are refused (code 3)
 * @param authorizedDomains the e-mail domains this customer may enroll, lower case
 * @param defaultAdServerId the AD server used when the organization names none, or null
 */
public record Customer(String uri, boolean enabled, List<String> authorizedDomains, String defaultAdServerId) {
    public Customer {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("customer uri must not be blank");
        }
        authorizedDomains = authorizedDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean authorizes(String domain) {
        return authorizedDomains.contains(Objects.requireNonNull(domain).toLowerCase(Locale.ROOT));
    }
}
