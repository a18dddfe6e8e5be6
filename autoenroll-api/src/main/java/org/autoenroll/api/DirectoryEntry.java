package org.autoenroll.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Active Directory says about a user, as read by a {@link DirectoryLookup}.
 *
 * @param dn the entry's distinguished name
 * @param samAccountName {@code sAMAccountName}
 * @param userPrincipalName {@code userPrincipalName}, or null
 * @param mail {@code mail}, or null
 * @param smtpAddresses the addresses of {@code proxyAddresses} values with the {@code smtp:}
 *     prefix, without the prefix
 * @param commonName {@code cn}
 * @param groups DNs from {@code memberOf}
 * @param disabled {@code userAccountControl} has ACCOUNTDISABLE (0x2)
 * @param certificates the DER values of {@code userCertificate}
 */
public record DirectoryEntry(String dn, String samAccountName, String userPrincipalName, String mail,
                             List<String> smtpAddresses, String commonName, List<String> groups,
                             boolean disabled, List<byte[]> certificates) {
    public DirectoryEntry {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(samAccountName, "samAccountName");
        smtpAddresses = List.copyOf(smtpAddresses);
        groups = List.copyOf(groups);
        certificates = certificates.stream().map(byte[]::clone).toList();
    }

    public Optional<String> mailAddress() {
        return Optional.ofNullable(mail);
    }

    /** True when {@code email} is the entry's mail or one of its SMTP proxy addresses, ignoring case. */
    public boolean ownsEmail(String email) {
        if (email == null) {
            return false;
        }
        if (email.equalsIgnoreCase(mail)) {
            return true;
        }
        return smtpAddresses.stream().anyMatch(email::equalsIgnoreCase);
    }
}
