package org.autoenroll.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A person as the certificate manager keeps it, synchronized from the directory at each enrollment.
 *
 * @param customerUri the customer the person belongs to
 * @param principal the Kerberos principal, {@code alice@EXAMPLE.COM}
 * @param email the e-mail address
 * @param commonName the directory's {@code cn}
 * @param syncedAt when it was last synchronized
 *
 * @since 0.1
 */
public record Person(String customerUri, String principal, String email, String commonName, Instant syncedAt) {
    public Person {
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(syncedAt, "syncedAt");
    }
}
