package org.autoenroll.ldap.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A computer account to add to a test directory, as a domain join makes one:
 * {@code ComputerSpec.builder("WS01").dnsHostName("ws01.example.com").build()} becomes
 * {@code CN=WS01,CN=Computers,<base>} with {@code sAMAccountName WS01$}, the name the machine
 * authenticates with ({@code WS01$@REALM}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ComputerSpec {
    private final String name;
    private final String dnsHostName;
    private final List<String> groups;
    private final boolean disabled;
    private final Instant accountExpires;

    private ComputerSpec(Builder b) {
        this.name = b.name;
        this.dnsHostName = b.dnsHostName;
        this.groups = List.copyOf(b.groups);
        this.disabled = b.disabled;
        this.accountExpires = b.accountExpires;
    }

    /** @param name the computer's name without {@code $} (its cn), at most 15 characters as NetBIOS allows */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The cn: {@code WS01}. */
    public String name() {
        return name;
    }

    /** {@code WS01$}. */
    public String samAccountName() {
        return name.toUpperCase(Locale.ROOT) + "$";
    }

    public Optional<String> dnsHostName() {
        return Optional.ofNullable(dnsHostName);
    }

    /** Group DNs the computer is a member of. */
    public List<String> groups() {
        return groups;
    }

    public boolean disabled() {
        return disabled;
    }

    public Optional<Instant> accountExpires() {
        return Optional.ofNullable(accountExpires);
    }

    @Override
    public String toString() {
        return "ComputerSpec[" + name + "]";
    }

    /** Collects a computer's values. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String dnsHostName;
        private final List<String> groups = new ArrayList<>();
        private boolean disabled;
        private Instant accountExpires;

        private Builder(String name) {
            if (name == null || name.isBlank() || name.length() > 15 || name.endsWith("$")) {
                throw new IllegalArgumentException("a computer name is 1-15 characters without the trailing $");
            }
            this.name = name;
        }

        /** {@code dNSHostName}, e.g. {@code ws01.example.com}. */
        public Builder dnsHostName(String value) {
            this.dnsHostName = value;
            return this;
        }

        public Builder groups(String... groupDns) {
            groups.addAll(Arrays.asList(groupDns));
            return this;
        }

        /** Sets ACCOUNTDISABLE (0x2) in userAccountControl. */
        public Builder disabled(boolean value) {
            this.disabled = value;
            return this;
        }

        public Builder accountExpires(Instant value) {
            this.accountExpires = value;
            return this;
        }

        public ComputerSpec build() {
            return new ComputerSpec(this);
        }
    }
}
