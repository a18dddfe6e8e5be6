package org.autoenroll.ldap;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LdapDirectoryLookup} talks to Active Directory: timeouts, pool size and the largest
 * LDAP message it accepts. Build with {@link #builder()} or start from {@link #defaults()} and use
 * the {@code with...} methods.
 *
 * <p>Immutable and thread-safe.
 */
public final class LdapSettings {
    /** Upper bounds that keep a misconfiguration from turning into an unbounded wait or allocation. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    static final int MAX_POOL_SIZE = 1_000;
    static final int MIN_ENTRY_BYTES = 4 * 1024;
    static final int MAX_ENTRY_BYTES = 64 * 1024 * 1024;

    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final int poolSize;
    private final int maxEntryBytes;
    private final boolean nestedGroups;
    private final boolean startTls;

    private LdapSettings(Builder b) {
        this.startTls = b.startTls;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.poolSize = b.poolSize;
        this.maxEntryBytes = b.maxEntryBytes;
        this.nestedGroups = b.nestedGroups;
    }

    /** Connect 5 s, response 10 s, 8 connections per AD server, 4 MiB per LDAP message, nested groups resolved. */
    public static LdapSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values. */
    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).responseTimeout(responseTimeout)
                .poolSize(poolSize).maxEntryBytes(maxEntryBytes).nestedGroups(nestedGroups).startTls(startTls);
    }

    public LdapSettings withConnectTimeout(Duration value) {
        return toBuilder().connectTimeout(value).build();
    }

    public LdapSettings withResponseTimeout(Duration value) {
        return toBuilder().responseTimeout(value).build();
    }

    public LdapSettings withPoolSize(int value) {
        return toBuilder().poolSize(value).build();
    }

    public LdapSettings withMaxEntryBytes(int value) {
        return toBuilder().maxEntryBytes(value).build();
    }

    public LdapSettings withNestedGroups(boolean value) {
        return toBuilder().nestedGroups(value).build();
    }

    /** How long to wait for a TCP (and TLS) connection to one host before trying the next. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the answer to one bind or search. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** Most connections kept open per AD server. */
    public int poolSize() {
        return poolSize;
    }

    /** Largest LDAP message (hence entry) read from the server; a larger one fails the lookup. */
    public int maxEntryBytes() {
        return maxEntryBytes;
    }

    /**
     * True when {@code DirectoryEntry.groups()} holds the groups the user belongs to through other
     * groups as well as the direct ones: on Active Directory with the in-chain matching rule
     * (1.2.840.113556.1.4.1941), elsewhere by a bounded walk over the groups' {@code memberOf}.
     * False: the user's own {@code memberOf} only, one search per lookup.
     */
    public boolean nestedGroups() {
        return nestedGroups;
    }

    /**
     * Whether connections to AD servers whose record is not LDAPS are upgraded with StartTLS
     * (RFC 4511 4.14) before the bind, under the same trust and host name checks as LDAPS
     * (default false). A server that refuses StartTLS is unavailable (13), never used in clear.
     */
    public boolean startTls() {
        return startTls;
    }

    @Override
    public String toString() {
        return "LdapSettings[connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", poolSize=" + poolSize + ", maxEntryBytes=" + maxEntryBytes + ", nestedGroups=" + nestedGroups
                + ", startTls=" + startTls + "]";
    }

    /** Collects values; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofSeconds(10);
        private int poolSize = 8;
        private int maxEntryBytes = 4 * 1024 * 1024;
        private boolean nestedGroups = true;
        private boolean startTls;

        private Builder() {
        }

        /** Upgrade plain LDAP connections with StartTLS; see {@link LdapSettings#startTls()}. */
        public Builder startTls(boolean value) {
            this.startTls = value;
            return this;
        }

        /** Resolve nested group membership (default true); see {@link LdapSettings#nestedGroups()}. */
        public Builder nestedGroups(boolean value) {
            this.nestedGroups = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
            return this;
        }

        public Builder responseTimeout(Duration value) {
            this.responseTimeout = Objects.requireNonNull(value, "responseTimeout");
            return this;
        }

        public Builder poolSize(int value) {
            this.poolSize = value;
            return this;
        }

        public Builder maxEntryBytes(int value) {
            this.maxEntryBytes = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value out of range */
        public LdapSettings build() {
            checkTimeout("connectTimeout", connectTimeout);
            checkTimeout("responseTimeout", responseTimeout);
            if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
                throw new IllegalArgumentException("poolSize must be 1-" + MAX_POOL_SIZE + ", was " + poolSize);
            }
            if (maxEntryBytes < MIN_ENTRY_BYTES || maxEntryBytes > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("maxEntryBytes must be " + MIN_ENTRY_BYTES + "-" + MAX_ENTRY_BYTES
                        + ", was " + maxEntryBytes);
            }
            return new LdapSettings(this);
        }

        private static void checkTimeout(String name, Duration value) {
            if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(name + " must be positive and at most " + MAX_TIMEOUT + ", was " + value);
            }
            if (value.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
            }
        }
    }
}
