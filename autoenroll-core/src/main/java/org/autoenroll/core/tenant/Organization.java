package org.autoenroll.core.tenant;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An organization of a customer: the e-mail domains it holds and the AD server its users live in.
 *
 * @param id the number clients send as {@code orgId}
 * @param customerUri the customer that manages it
 * @param domains its e-mail domains, lower case
 * @param adServerId its AD server, or null to use the customer's default
 * @param deleted a deleted organization matches no request (code 8)
 */
public record Organization(long id, String customerUri, List<String> domains, String adServerId, boolean deleted) {
    public Organization {
        Objects.requireNonNull(customerUri, "customerUri");
        domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean holdsDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    public Optional<String> boundAdServerId() {
        return Optional.ofNullable(adServerId);
    }
}
