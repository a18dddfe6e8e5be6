package org.autoenroll.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the directory says about a user or computer account, as read by a {@link DirectoryLookup}.
 * Immutable and thread-safe; built with {@link #builder(String, String)}.
 *
 * @since 0.1
 */
public final class DirectoryEntry {
    private final String dn;
    private final String samAccountName;
    private final SubjectType type;
    private final String userPrincipalName;
    private final String mail;
    private final List<String> smtpAddresses;
    private final String commonName;
    private final String dnsHostName;
    private final String objectSid;
    private final List<String> groups;
    private final List<String> groupSids;
    private final boolean disabled;
    private final Instant accountExpires;
    private final List<byte[]> certificates;

    private DirectoryEntry(Builder b) {
        this.dn = Objects.requireNonNull(b.dn, "dn");
        this.samAccountName = Objects.requireNonNull(b.samAccountName, "samAccountName");
        this.type = Objects.requireNonNull(b.type, "type");
        this.userPrincipalName = b.userPrincipalName;
        this.mail = b.mail;
        this.smtpAddresses = List.copyOf(b.smtpAddresses);
        this.commonName = b.commonName;
        this.dnsHostName = b.dnsHostName;
        this.objectSid = b.objectSid;
        this.groups = List.copyOf(b.groups);
        this.groupSids = List.copyOf(b.groupSids);
        this.disabled = b.disabled;
        this.accountExpires = b.accountExpires;
        this.certificates = b.certificates.stream().map(byte[]::clone).toList();
    }

    /** A builder for the entry {@code dn} whose {@code sAMAccountName} is {@code samAccountName}. */
    public static Builder builder(String dn, String samAccountName) {
        return new Builder(dn, samAccountName);
    }

    /** A builder holding this entry's values. */
    public Builder toBuilder() {
        return new Builder(dn, samAccountName).type(type).userPrincipalName(userPrincipalName).mail(mail)
                .smtpAddresses(smtpAddresses).commonName(commonName).dnsHostName(dnsHostName).objectSid(objectSid)
                .groups(groups).groupSids(groupSids).disabled(disabled).accountExpires(accountExpires)
                .certificates(certificates);
    }

    /** The entry's distinguished name (or the backend's own stable id, for directories that are not LDAP). */
    public String dn() {
        return dn;
    }

    /** {@code sAMAccountName}: {@code alice}, or {@code WS01$} for a computer. */
    public String samAccountName() {
        return samAccountName;
    }

    /** A user account, or a computer account ({@code objectClass=computer}). */
    public SubjectType type() {
        return type;
    }

    /** {@code userPrincipalName}, or null. */
    public String userPrincipalName() {
        return userPrincipalName;
    }

    /** {@code mail}, or null. */
    public String mail() {
        return mail;
    }

    public Optional<String> mailAddress() {
        return Optional.ofNullable(mail);
    }

    /** The addresses of {@code proxyAddresses} values with the {@code smtp:} prefix, without it. */
    public List<String> smtpAddresses() {
        return smtpAddresses;
    }

    /** {@code cn}, or null. */
    public String commonName() {
        return commonName;
    }

    /** A computer's {@code dNSHostName}. */
    public Optional<String> dnsHostName() {
        return Optional.ofNullable(dnsHostName);
    }

    /** The account's {@code objectSid} in S-1-... form. */
    public Optional<String> objectSid() {
        return Optional.ofNullable(objectSid);
    }

    /** DNs of the groups the account is a member of, nested ones included where the lookup resolves them. */
    public List<String> groups() {
        return groups;
    }

    /** SIDs (S-1-...) of those groups, where the directory gives them ({@code tokenGroups} on AD). */
    public List<String> groupSids() {
        return groupSids;
    }

    /** Disabled or locked out ({@code userAccountControl} ACCOUNTDISABLE, UF_LOCKOUT). */
    public boolean disabled() {
        return disabled;
    }

    /** When the account expires ({@code accountExpires}); empty when it never does. */
    public Optional<Instant> accountExpires() {
        return Optional.ofNullable(accountExpires);
    }

    /** The DER values of {@code userCertificate} (fresh copies). */
    public List<byte[]> certificates() {
        return certificates.stream().map(byte[]::clone).toList();
    }

    /** True when {@code email} is the entry's mail or one of its SMTP proxy addresses, ignoring case. */
    public boolean ownsEmail(String email) {
        return canonicalEmail(email).isPresent();
    }

    /** The entry's own spelling of {@code email}, when it owns it (ignoring case). */
    public Optional<String> canonicalEmail(String email) {
        if (email == null) {
            return Optional.empty();
        }
        if (email.equalsIgnoreCase(mail)) {
            return Optional.of(mail);
        }
        return smtpAddresses.stream().filter(email::equalsIgnoreCase).findFirst();
    }

    @Override
    public String toString() {
        return type + " " + dn;
    }

    /** Collects an entry's values. Not thread-safe. */
    public static final class Builder {
        private final String dn;
        private final String samAccountName;
        private SubjectType type = SubjectType.USER;
        private String userPrincipalName;
        private String mail;
        private List<String> smtpAddresses = List.of();
        private String commonName;
        private String dnsHostName;
        private String objectSid;
        private List<String> groups = List.of();
        private List<String> groupSids = List.of();
        private boolean disabled;
        private Instant accountExpires;
        private List<byte[]> certificates = List.of();

        private Builder(String dn, String samAccountName) {
            this.dn = dn;
            this.samAccountName = samAccountName;
        }

        public Builder type(SubjectType value) {
            type = value;
            return this;
        }

        public Builder userPrincipalName(String value) {
            userPrincipalName = value;
            return this;
        }

        public Builder mail(String value) {
            mail = value;
            return this;
        }

        public Builder smtpAddresses(List<String> value) {
            smtpAddresses = value;
            return this;
        }

        public Builder commonName(String value) {
            commonName = value;
            return this;
        }

        public Builder dnsHostName(String value) {
            dnsHostName = value;
            return this;
        }

        public Builder objectSid(String value) {
            objectSid = value;
            return this;
        }

        public Builder groups(List<String> value) {
            groups = value;
            return this;
        }

        public Builder groupSids(List<String> value) {
            groupSids = value;
            return this;
        }

        public Builder disabled(boolean value) {
            disabled = value;
            return this;
        }

        public Builder accountExpires(Instant value) {
            accountExpires = value;
            return this;
        }

        public Builder certificates(List<byte[]> value) {
            certificates = value;
            return this;
        }

        public DirectoryEntry build() {
            return new DirectoryEntry(this);
        }
    }
}
