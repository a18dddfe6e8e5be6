package org.autoenroll.ldap.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user to add to an {@link InMemoryActiveDirectory}: {@code UserSpec.builder("alice").mail(...).build()}.
 * Unset values are absent from the entry, except {@code cn} (defaults to the sAMAccountName) and
 * {@code userPrincipalName} (defaults to {@code sAMAccountName@dns.domain} of the base DN).
 *
 * <p>Immutable and thread-safe.
 */
public final class UserSpec {
    private final String samAccountName;
    private final String commonName;
    private final String mail;
    private final String userPrincipalName;
    private final boolean defaultUserPrincipalName;
    private final List<String> proxyAddresses;
    private final List<String> groups;
    private final boolean disabled;
    private final List<byte[]> certificates;
    private final List<byte[]> binaryCertificates;
    private final char[] password;
    private final Instant accountExpires;

    private UserSpec(Builder b) {
        this.samAccountName = b.samAccountName;
        this.commonName = b.commonName == null ? b.samAccountName : b.commonName;
        this.mail = b.mail;
        this.userPrincipalName = b.userPrincipalName;
        this.defaultUserPrincipalName = b.defaultUserPrincipalName;
        this.proxyAddresses = List.copyOf(b.proxyAddresses);
        this.groups = List.copyOf(b.groups);
        this.disabled = b.disabled;
        this.certificates = b.certificates.stream().map(byte[]::clone).toList();
        this.binaryCertificates = b.binaryCertificates.stream().map(byte[]::clone).toList();
        this.password = b.password == null ? null : b.password.clone();
        this.accountExpires = b.accountExpires;
    }

    /** @param samAccountName the logon name, which is also the Kerberos principal name */
    public static Builder builder(String samAccountName) {
        return new Builder(samAccountName);
    }

    public String samAccountName() {
        return samAccountName;
    }

    public String commonName() {
        return commonName;
    }

    public Optional<String> mail() {
        return Optional.ofNullable(mail);
    }

    /** The explicit UPN, or empty when the default applies or the entry has none. */
    public Optional<String> userPrincipalName() {
        return Optional.ofNullable(userPrincipalName);
    }

    /** True when the directory should derive the UPN from the sAMAccountName and its DNS domain. */
    public boolean defaultUserPrincipalName() {
        return defaultUserPrincipalName;
    }

    /** Raw values, prefixes included ({@code SMTP:alice@example.com}, {@code X400:...}). */
    public List<String> proxyAddresses() {
        return proxyAddresses;
    }

    /** Group DNs written to memberOf. */
    public List<String> groups() {
        return groups;
    }

    public boolean disabled() {
        return disabled;
    }

    /** DER certificates stored as {@code userCertificate}. */
    public List<byte[]> certificates() {
        return certificates.stream().map(byte[]::clone).toList();
    }

    /** DER certificates stored as {@code userCertificate;binary}. */
    public List<byte[]> binaryCertificates() {
        return binaryCertificates.stream().map(byte[]::clone).toList();
    }

    /** The user's own LDAP password (userPassword), when the user should be able to bind. */
    public Optional<char[]> password() {
        return Optional.ofNullable(password).map(char[]::clone);
    }

    /** When the account expires ({@code accountExpires}); empty: never (the attribute is absent). */
    public Optional<Instant> accountExpires() {
        return Optional.ofNullable(accountExpires);
    }

    @Override
    public String toString() {
        return "UserSpec[" + samAccountName + "]";
    }

    /** Collects a user's values. Not thread-safe. */
    public static final class Builder {
        private final String samAccountName;
        private String commonName;
        private String mail;
        private String userPrincipalName;
        private boolean defaultUserPrincipalName = true;
        private final List<String> proxyAddresses = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        private boolean disabled;
        private final List<byte[]> certificates = new ArrayList<>();
        private final List<byte[]> binaryCertificates = new ArrayList<>();
        private char[] password;
        private Instant accountExpires;

        private Builder(String samAccountName) {
            if (samAccountName == null || samAccountName.isBlank()) {
                throw new IllegalArgumentException("sAMAccountName must not be blank");
            }
            this.samAccountName = samAccountName;
        }

        /** The cn, which is also the entry's RDN under CN=Users. */
        public Builder cn(String value) {
            this.commonName = Objects.requireNonNull(value, "cn");
            return this;
        }

        public Builder mail(String value) {
            this.mail = value;
            return this;
        }

        /** An explicit UPN; null for an entry without one. */
        public Builder userPrincipalName(String value) {
            this.userPrincipalName = value;
            this.defaultUserPrincipalName = false;
            return this;
        }

        /** Raw proxyAddresses values with their prefixes, e.g. {@code SMTP:alice@example.com}. */
        public Builder proxyAddresses(String... values) {
            proxyAddresses.addAll(Arrays.asList(values));
            return this;
        }

        /** Group DNs for memberOf (see {@link InMemoryActiveDirectory#addGroup}). */
        public Builder groups(String... groupDns) {
            groups.addAll(Arrays.asList(groupDns));
            return this;
        }

        /** Sets ACCOUNTDISABLE (0x2) in userAccountControl. */
        public Builder disabled(boolean value) {
            this.disabled = value;
            return this;
        }

        public Builder certificate(byte[] der) {
            certificates.add(der.clone());
            return this;
        }

        /** Stored with the {@code ;binary} option, as RFC 4523 servers return it. */
        public Builder binaryCertificate(byte[] der) {
            binaryCertificates.add(der.clone());
            return this;
        }

        public Builder password(char[] value) {
            this.password = value.clone();
            return this;
        }

        /** Written as {@code accountExpires} (a FILETIME); null for none. */
        public Builder accountExpires(Instant value) {
            this.accountExpires = value;
            return this;
        }

        public UserSpec build() {
            return new UserSpec(this);
        }
    }
}
