package org.autoenroll.ldap;

import com.unboundid.asn1.ASN1Integer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TemplateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate templates from Active Directory: the {@code pKICertificateTemplate} objects under
 * {@code CN=Certificate Templates,CN=Public Key Services,CN=Services,<configuration NC>}, each
 * mapped whole by {@link AdTemplateMapper} (rights from {@code nTSecurityDescriptor} by
 * {@link SecurityDescriptors}) or skipped with one log line naming the template and the attribute.
 * The security descriptor is asked for with the LDAP_SERVER_SD_FLAGS control (DACL only), which
 * lets an account that is not an administrator read it.
 *
 * <p>{@link #templates()} answers from a copy: {@link #start()} reads once, then the copy is
 * refreshed every {@code refreshInterval} on the executor given (this class starts no thread). A
 * failed refresh keeps the last copy; a copy older than {@code maxAge} is no longer used (rights may
 * have been withdrawn since), and until a read succeeds {@link #templates()} raises
 * {@link ErrorCode#AD_UNAVAILABLE}. Reads share the pools, failover and error mapping of the
 * {@link LdapDirectoryLookup} given.
 *
 * <p>Thread-safe. {@link #close()} stops the refresh (the executor stays the caller's).
 */
public final class AdTemplateSource implements TemplateSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdTemplateSource.class);
    /** LDAP_SERVER_SD_FLAGS_OID (MS-ADTS 3.1.1.3.4.1.11). */
    static final String SD_FLAGS_OID = "1.2.840.113556.1.4.801";
    /** DACL_SECURITY_INFORMATION: the owner, group and SACL are not asked for. */
    static final int DACL_SECURITY_INFORMATION = 0x4;
    static final String TEMPLATES_RDNS = "CN=Certificate Templates,CN=Public Key Services,CN=Services,";
    /** Far more templates than any forest holds (AD CS ships ~30). */
    static final int MAX_TEMPLATES = 1_000;

    private final LdapDirectoryLookup lookup;
    private final AdServer server;
    private final Duration refreshInterval;
    private final Duration maxAge;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final String configuredConfigurationDn;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot;
    private volatile String configurationDn;
    private ScheduledFuture<?> refresh;
    private boolean closed;

    private record Snapshot(List<CertificateTemplate> templates, Instant readAt) {
    }

    private AdTemplateSource(Builder b) {
        this.lookup = b.lookup;
        this.server = b.server;
        this.refreshInterval = b.refreshInterval;
        this.maxAge = b.maxAge;
        this.clock = b.clock;
        this.executor = b.executor;
        this.configuredConfigurationDn = b.configurationDn;
    }

    /**
     * @param lookup whose pools (and settings) the reads use
     * @param server the AD server record to read from; its bind account needs only read access
     * @param executor runs the scheduled refreshes; stays the caller's to shut down
     */
    public static Builder builder(LdapDirectoryLookup lookup, AdServer server, ScheduledExecutorService executor) {
        return new Builder(lookup, server, executor);
    }

    /**
     * Reads the templates once and schedules the refresh. A failed first read is logged, not
     * thrown: the schedule keeps trying, and {@link #templates()} raises 13 until one succeeds.
     */
    public synchronized void start() {
        if (closed || refresh != null) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        refreshQuietly();
        long millis = refreshInterval.toMillis();
        refresh = executor.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<CertificateTemplate> templates() throws EnrollmentException {
        Snapshot current = snapshot;
        if (current == null) {
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                    "certificate templates of AD server " + server.id() + " have not been read yet");
        }
        Duration age = Duration.between(current.readAt(), clock.instant());
        if (age.compareTo(maxAge) > 0) {
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "certificate templates of AD server " + server.id()
                    + " were last read " + age.toMinutes() + " minutes ago (more than " + maxAge.toMinutes() + ")");
        }
        return current.templates();
    }

    /** When the copy {@link #templates()} answers from was read; empty before the first read. */
    public Optional<Instant> lastRead() {
        Snapshot current = snapshot;
        return current == null ? Optional.empty() : Optional.of(current.readAt());
    }

    /**
     * Reads the templates now and replaces the copy.
     *
     * @return the templates read (those that could not be read whole are left out and logged)
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot be read;
     *     the previous copy stays
     */
    public List<CertificateTemplate> refresh() throws EnrollmentException {
        List<CertificateTemplate> read = lookup.execute(server, "template search", this::read);
        snapshot = new Snapshot(read, clock.instant());
        return read;
    }

    /** Stops the scheduled refresh. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (refresh != null) {
            refresh.cancel(false);
        }
    }

    private void refreshQuietly() {
        try {
            int count = refresh().size();
            LOG.debug("AD server {}: {} certificate templates read", server.id(), count);
        } catch (EnrollmentException e) {
            LOG.warn("AD server {}: certificate templates not refreshed: {}", server.id(), e.detail());
        } catch (RuntimeException e) {
            // never let an unexpected failure end the schedule
            LOG.warn("AD server {}: certificate templates not refreshed: {}", server.id(), e.toString());
        }
    }

    private List<CertificateTemplate> read(LDAPInterface connection) throws LDAPException {
        String base = TEMPLATES_RDNS + configurationDn(connection);
        long responseTimeout = lookup.settings().responseTimeout().toMillis();
        SearchRequest request = new SearchRequest(base, SearchScope.ONE, DereferencePolicy.NEVER, MAX_TEMPLATES,
                AccountSearch.timeLimitSeconds(lookup.settings()), false,
                Filter.createEqualityFilter("objectClass", "pKICertificateTemplate"), AdTemplateMapper.ATTRIBUTES);
        request.setResponseTimeoutMillis(responseTimeout);
        request.setFollowReferrals(false);
        request.addControl(sdFlagsControl());
        List<SearchResultEntry> entries;
        try {
            entries = connection.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                report(base, "no such container: no certificate templates in this forest");
                return List.of();
            }
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw e;
            }
            report(base, "more than " + MAX_TEMPLATES + " templates: the rest are left out");
            entries = e.getSearchEntries();
        }
        List<CertificateTemplate> templates = new ArrayList<>(entries.size());
        for (SearchResultEntry entry : entries) {
            try {
                templates.add(AdTemplateMapper.map(entry));
            } catch (AdTemplateMapper.Unreadable e) {
                report(AdTemplateMapper.nameOf(entry), "skipped: " + e.getMessage());
            }
        }
        return List.copyOf(templates);
    }

    /** One warning per template and reason; repeats at each refresh go to debug. */
    private void report(String template, String what) {
        if (reported.size() < 10_000 && reported.add(template + "\n" + what)) {
            LOG.warn("AD server {}: certificate template {} {}", server.id(), template, what);
        } else {
            LOG.debug("AD server {}: certificate template {} {}", server.id(), template, what);
        }
    }

    /** The configuration naming context: configured, or the root DSE's configurationNamingContext. */
    private String configurationDn(LDAPInterface connection) throws LDAPException {
        if (configuredConfigurationDn != null) {
            return configuredConfigurationDn;
        }
        String known = configurationDn;
        if (known != null) {
            return known;
        }
        String value = RootDse.configurationNamingContext(connection, lookup.settings().responseTimeout(),
                "configure the configuration DN");
        configurationDn = value;
        return value;
    }

    /** LDAP_SERVER_SD_FLAGS: SEQUENCE { flags INTEGER } asking for the DACL only; not critical. */
    static Control sdFlagsControl() {
        return new Control(SD_FLAGS_OID, false,
                new ASN1OctetString(new ASN1Sequence(new ASN1Integer(DACL_SECURITY_INFORMATION)).encode()));
    }

    /** Options for an {@link AdTemplateSource}. Not thread-safe. */
    public static final class Builder {
        private final LdapDirectoryLookup lookup;
        private final AdServer server;
        private final ScheduledExecutorService executor;
        private Duration refreshInterval = Duration.ofMinutes(15);
        private Duration maxAge = Duration.ofHours(24);
        private Clock clock = Clock.systemUTC();
        private String configurationDn;

        private Builder(LdapDirectoryLookup lookup, AdServer server, ScheduledExecutorService executor) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            this.server = Objects.requireNonNull(server, "server");
            this.executor = Objects.requireNonNull(executor, "executor");
        }

        /** How often the copy is read again (default 15 minutes; at least 1 second). */
        public Builder refreshInterval(Duration value) {
            this.refreshInterval = Objects.requireNonNull(value, "refreshInterval");
            return this;
        }

        /** How old a copy may be and still be used when refreshes fail (default 24 hours). */
        public Builder maxAge(Duration value) {
            this.maxAge = Objects.requireNonNull(value, "maxAge");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** {@code CN=Configuration,DC=example,DC=com}; by default read from the root DSE. */
        public Builder configurationDn(String value) {
            this.configurationDn = Objects.requireNonNull(value, "configurationDn");
            return this;
        }

        public AdTemplateSource build() {
            if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("refreshInterval must be at least 1 second");
            }
            if (maxAge.compareTo(refreshInterval) < 0) {
                throw new IllegalArgumentException("maxAge must not be shorter than refreshInterval");
            }
            return new AdTemplateSource(this);
        }
    }
}
