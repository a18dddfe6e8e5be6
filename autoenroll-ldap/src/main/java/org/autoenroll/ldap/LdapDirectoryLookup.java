package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.GetEntryLDAPConnectionPoolHealthCheck;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.LdapEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a user or computer in Active Directory with the UnboundID LDAP SDK: binds as the AD server
 * record's service account (never anonymously), searches {@code usersBaseDn} for one {@code user}
 * entry (not a computer) whose {@code sAMAccountName} is the principal's name or whose
 * {@code userPrincipalName} is {@code name@REALM}, or, for a machine principal {@code WS01$}, one
 * {@code computer} entry of that {@code sAMAccountName}, searched from the domain root
 * ({@link AccountSearch}), and maps it to a
 * {@link DirectoryEntry} with its SID, DNS host name, expiry and group SIDs ({@link GroupSids}). With
 * {@link LdapSettings#nestedGroups()} (the default) the entry's groups include those reached through
 * other groups: asked of Active Directory with its in-chain matching rule, walked over
 * {@code memberOf} elsewhere (bounded in depth and count). {@link DirectoryEntry#disabled()} is true
 * for a disabled <em>or locked-out</em> account (ACCOUNTDISABLE; UF_LOCKOUT in
 * {@code userAccountControl} or {@code msDS-User-Account-Control-Computed}; else {@code lockoutTime > 0}).
 *
 * <p>Keeps one connection pool per AD server id, created on first use, failing over across the
 * record's hosts in order; LDAPS uses the JVM's default trust store unless an
 * {@link SSLSocketFactory} is given, and always checks the host name. Raises
 * {@link ErrorCode#AD_UNAVAILABLE} (13) when a host cannot be reached, bound or searched, and
 * {@link ErrorCode#NO_VALID_USER_IN_AD} (17) when no single entry matches.
 *
 * <p>Thread-safe; {@link #close()} closes every pool.
 */
public final class LdapDirectoryLookup implements DirectoryLookup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectoryLookup.class);

    /** Longer than any sAMAccountName (20) or UPN prefix AD accepts; refused before any LDAP traffic. */
    static final int MAX_PRINCIPAL_NAME_CHARS = AccountSearch.MAX_PRINCIPAL_NAME_CHARS;
    /** Pooled connections are renewed this often so that, after a failover, traffic returns to the first host. */
    private static final long MAX_CONNECTION_AGE_MILLIS = 15 * 60 * 1000L;
    private static final long HEALTH_CHECK_INTERVAL_MILLIS = 60_000L;

    private final LdapSettings settings;
    private final SSLSocketFactory sslSocketFactory;
    private final Function<DirectoryRef, Optional<AdServer>> servers;
    private final ConcurrentMap<String, ServerPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** LDAPS connections trust what the JVM's default trust store trusts. */
    public LdapDirectoryLookup(LdapSettings settings) {
        this(settings, null);
    }

    /**
     * @param sslSocketFactory used for LDAPS connections (e.g. built over a private trust store);
     *     null for the JVM default. Never pass a trust-all factory: host names are checked, the
     *     chain must be checked by the factory.
     */
    public LdapDirectoryLookup(LdapSettings settings, SSLSocketFactory sslSocketFactory) {
        this(settings, sslSocketFactory, ref -> Optional.empty());
    }

    /**
     * @param servers the AD server record a {@link DirectoryRef} names (by its id), as the tenant
     *     configuration keeps them
     */
    public LdapDirectoryLookup(LdapSettings settings, SSLSocketFactory sslSocketFactory,
                               Function<DirectoryRef, Optional<AdServer>> servers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sslSocketFactory = sslSocketFactory;
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    @Override
    public DirectoryEntry findUser(DirectoryRef directory, AuthenticatedPrincipal principal) throws EnrollmentException {
        return findUser(server(directory), principal);
    }

    /** The AD server record {@code directory} names. */
    AdServer server(DirectoryRef directory) throws EnrollmentException {
        Objects.requireNonNull(directory, "directory");
        return servers.apply(directory).filter(s -> s.windowsDomain().equals(directory.windowsDomain()))
                .orElseThrow(() -> new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                        "no AD server record " + directory.id() + " of domain " + directory.windowsDomain() + " is configured"));
    }

    /** Looks the caller up on this AD server record (the LDAP-specific form of {@link #findUser(DirectoryRef, AuthenticatedPrincipal)}). */
    public DirectoryEntry findUser(AdServer server, AuthenticatedPrincipal principal) throws EnrollmentException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(principal, "principal");
        String name = principal.name();
        AccountSearch.checkName(name);
        return withPool(server, "search", (pool, connections) -> AccountSearch.find(connections, server, principal,
                settings, () -> pool.isActiveDirectory(connections)));
    }

    /** Something done with one AD server's pooled, bound connections. */
    @FunctionalInterface
    interface PooledOperation<T> {
        T run(LDAPConnectionPool connections) throws LDAPException, EnrollmentException;
    }

    /**
     * Runs {@code operation} on the AD server's pool (created on first use), with the same retry
     * and error mapping as a lookup: for {@link LdapDirectoryPublisher} and others in this package
     * that must share the pools.
     *
     * @param what names the operation in an error detail, e.g. {@code "modify"}
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when no host can be reached or bound,
     *     or the operation fails with an LDAP error; what {@code operation} throws itself
     */
    <T> T execute(AdServer server, String what, PooledOperation<T> operation) throws EnrollmentException {
        Objects.requireNonNull(server, "server");
        return withPool(server, what, (pool, connections) -> operation.run(connections));
    }

    /** LdapSettings of this lookup, for users of {@link #execute}. */
    LdapSettings settings() {
        return settings;
    }

    private interface PoolOperation<T> {
        T run(ServerPool pool, LDAPConnectionPool connections) throws LDAPException, EnrollmentException;
    }

    private <T> T withPool(AdServer server, String what, PoolOperation<T> operation) throws EnrollmentException {
        // A connection that died under the pool can fail the first operation even with the pool's own
        // retry (result 81 after a failover): try once more, on a fresh connection.
        for (int attempt = 1; ; attempt++) {
            ServerPool pool = poolFor(server);
            LDAPConnectionPool connections;
            try {
                connections = pool.get(server);
            } catch (LDAPException e) {
                // Building a pool already tried every host that refused a connection; a pool closed under us,
                // or a host that died between connect and bind (81, e.g. during a failover), deserves another go.
                if (attempt == 1 && (pool.isClosed() || e.getResultCode() == ResultCode.SERVER_DOWN)) {
                    continue;
                }
                throw unavailable(server, "connect", e);
            }
            try {
                return operation.run(pool, connections);
            } catch (LDAPException e) {
                ResultCode code = e.getResultCode();
                if (code == ResultCode.INVALID_CREDENTIALS) {
                    // A new pooled connection was refused: the password may have been rotated, rebuild next time.
                    discard(server.id(), pool);
                }
                if (attempt == 1 && isConnectionLevel(code)) {
                    LOG.debug("AD server {}: {} on first attempt, retrying", server.id(), code);
                    continue;
                }
                throw unavailable(server, what, e);
            }
        }
    }

    /** Closes every pool; later lookups fail with {@link ErrorCode#AD_UNAVAILABLE}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (String id : pools.keySet()) {
            ServerPool pool = pools.remove(id);
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Results after which the connection is gone: worth one retry on another connection. */
    private static boolean isConnectionLevel(ResultCode code) {
        return code == ResultCode.SERVER_DOWN || code == ResultCode.CONNECT_ERROR
                || (code != ResultCode.TIMEOUT && code != ResultCode.INVALID_CREDENTIALS && !code.isConnectionUsable());
    }

    /** The detail names the stage, the result and the hosts; never the password or the server's diagnostic text. */
    private static EnrollmentException unavailable(AdServer server, String stage, LDAPException e) {
        ResultCode code = e.getResultCode();
        boolean connecting = stage.equals("connect");
        String what;
        if (code == ResultCode.TIMEOUT) {
            what = connecting ? "timeout during connect or bind" : "timeout during " + stage;
        } else if (code == ResultCode.INVALID_CREDENTIALS || code == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
            what = "bind as " + server.bindDn() + " refused";
        } else if (code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN) {
            what = connecting ? (server.useSsl() ? "cannot connect (or TLS handshake or host name check failed)" : "cannot connect")
                    : "connection lost during " + stage;
        } else if (connecting) {
            what = "bind as " + server.bindDn() + " failed";
        } else if (stage.equals("search")) {
            what = "search under " + server.usersBaseDn() + " failed";
        } else {
            what = stage + " failed";
        }
        EnrollmentException failure = new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "AD server " + server.id() + " "
                + server.hosts() + ": " + what + " (result " + code.intValue() + " " + code.getName() + ")", e);
        LOG.warn("{}", failure.detail());
        return failure;
    }

    private ServerPool poolFor(AdServer server) throws EnrollmentException {
        PoolKey key = PoolKey.of(server);
        while (true) {
            if (closed) {
                throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "AD server " + server.id() + ": the directory lookup is closed");
            }
            ServerPool existing = pools.get(server.id());
            if (existing != null && existing.key.equals(key)) {
                return existing;
            }
            ServerPool fresh = new ServerPool(key);
            boolean installed = existing == null
                    ? pools.putIfAbsent(server.id(), fresh) == null
                    : pools.replace(server.id(), existing, fresh);
            if (installed) {
                if (existing != null) {
                    // The record changed (hosts, TLS, bind account): connections to the old one are dropped.
                    existing.close();
                }
                if (closed) {
                    close();
                }
                return fresh;
            }
        }
    }

    private void discard(String id, ServerPool pool) {
        if (pools.remove(id, pool)) {
            pool.close();
        }
    }

    /**
     * One AD server record's connection pool as operators watch it.
     *
     * @param availableConnections connections idle in the pool now
     * @param maxConnections the most it keeps
     * @param failedCheckouts attempts to get a connection that failed, since the pool was built
     */
    public record PoolState(String adServerId, int availableConnections, int maxConnections, long failedCheckouts) {
    }

    /**
     * The pools built so far, one per AD server record in use (a record not asked yet has none).
     * Never waits for a pool being built, so a metrics scrape does not hang on an unreachable server.
     */
    public List<PoolState> poolStates() {
        List<PoolState> states = new java.util.ArrayList<>();
        pools.forEach((id, serverPool) -> serverPool.state(id).ifPresent(states::add));
        return states;
    }

    /**
     * What identifies a pool: a record with other hosts, TLS, bind DN or secret reference gets a new
     * one. Literal secrets all show as the same reference, so records rebuilt per call do not churn
     * pools; a changed literal password is picked up when a bind with the old one fails.
     */
    private record PoolKey(List<LdapEndpoint> hosts, boolean ssl, String bindDn, String secretReference) {
        static PoolKey of(AdServer server) {
            return new PoolKey(server.hosts(), server.useSsl(), server.bindDn(), server.bindPassword().toString());
        }
    }

    /** One AD server's pool, built on first use under its own lock so that other servers never wait for it. */
    private final class ServerPool {
        private final PoolKey key;
        /** Volatile for {@link #state}, which reads it without waiting for a pool being built. */
        private volatile LDAPConnectionPool pool;
        private boolean poolClosed;
        /** Read from the root DSE on the first lookup that needs it; null until then. */
        private volatile Boolean activeDirectory;

        ServerPool(PoolKey key) {
            this.key = key;
        }

        synchronized boolean isClosed() {
            return poolClosed;
        }

        /** The pool's counts, or empty before it is built or after it is closed. */
        Optional<PoolState> state(String adServerId) {
            LDAPConnectionPool current = pool;
            if (current == null || current.isClosed()) {
                return Optional.empty();
            }
            return Optional.of(new PoolState(adServerId, current.getCurrentAvailableConnections(),
                    current.getMaximumAvailableConnections(), current.getConnectionPoolStatistics().getNumFailedCheckouts()));
        }

        synchronized LDAPConnectionPool get(AdServer server) throws LDAPException, EnrollmentException {
            if (poolClosed) {
                // Closed under us (record replaced, lookup closed): report as a lost connection so the caller retries.
                throw new LDAPException(ResultCode.SERVER_DOWN, "pool closed");
            }
            if (pool == null) {
                pool = build(server);
            }
            return pool;
        }

        /** Whether the server announces Active Directory (and so the in-chain rule); asked once per pool. */
        boolean isActiveDirectory(LDAPConnectionPool connections) throws LDAPException {
            Boolean known = activeDirectory;
            if (known == null) {
                // Racing lookups may both ask; the answer is the same, so no lock is held over the search.
                known = GroupResolver.isActiveDirectory(connections, settings.responseTimeout().toMillis());
                activeDirectory = known;
            }
            return known;
        }

        synchronized void close() {
            poolClosed = true;
            if (pool != null) {
                pool.close();
                pool = null;
            }
        }

        private LDAPConnectionPool build(AdServer server) throws LDAPException, EnrollmentException {
            String bindDn = server.bindDn();
            if (bindDn == null || bindDn.isBlank()) {
                throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                        "AD server " + server.id() + ": empty bind DN, anonymous bind refused");
            }
            SimpleBindRequest bind = new SimpleBindRequest(bindDn, password(server));
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
            options.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
            options.setMaxMessageSize(settings.maxEntryBytes());
            options.setFollowReferrals(false);
            options.setAbandonOnTimeout(true);
            SocketFactory sockets = SocketFactory.getDefault();
            PostConnectProcessor startTls = null;
            if (server.useSsl()) {
                sockets = sslSockets(server);
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(false));
            } else if (settings.startTls()) {
                // the same trust and host name check as LDAPS, before the bind sends the password
                startTls = new StartTLSPostConnectProcessor((SSLSocketFactory) sslSockets(server));
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(false));
            }
            String[] addresses = server.hosts().stream().map(LdapEndpoint::host).toArray(String[]::new);
            int[] ports = server.hosts().stream().mapToInt(LdapEndpoint::port).toArray();
            FailoverServerSet hosts = new FailoverServerSet(addresses, ports, sockets, options);
            // One connection at once proves that some host answers and accepts the bind.
            LDAPConnectionPool created = new LDAPConnectionPool(hosts, bind, 1, settings.poolSize(), startTls);
            created.setConnectionPoolName("autoenroll-ad-" + server.id());
            created.setRetryFailedOperationsDueToInvalidConnections(true);
            created.setMaxWaitTimeMillis(settings.responseTimeout().toMillis());
            created.setMaxConnectionAgeMillis(MAX_CONNECTION_AGE_MILLIS);
            // idle connections are read-checked in the background (root DSE) and after any failure, so a
            // host that went away is noticed before an enrollment needs it
            created.setHealthCheck(new GetEntryLDAPConnectionPoolHealthCheck(null, settings.responseTimeout().toMillis(),
                    false, false, false, false, true, true));
            created.setHealthCheckIntervalMillis(HEALTH_CHECK_INTERVAL_MILLIS);
            LOG.debug("AD server {}: pool of up to {} connections to {}", server.id(), settings.poolSize(), server.hosts());
            return created;
        }

        private SocketFactory sslSockets(AdServer server) throws EnrollmentException {
            if (sslSocketFactory != null) {
                return sslSocketFactory;
            }
            try {
                return SSLContext.getDefault().getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                        "AD server " + server.id() + ": no default TLS context for LDAPS", e);
            }
        }
    }

    /**
     * The bind password as UTF-8 bytes, for the pool to bind new connections with. The resolved
     * characters and the encoder's buffer are cleared; the bytes live as long as the pool.
     */
    private static byte[] password(AdServer server) throws EnrollmentException {
        char[] chars;
        try {
            chars = server.bindPassword().resolve();
        } catch (IOException e) {
            // The IOException names the variable or file, never the value.
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                    "AD server " + server.id() + ": bind password " + server.bindPassword() + " cannot be read: " + e.getMessage());
        }
        try {
            if (chars.length == 0) {
                throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                        "AD server " + server.id() + ": empty bind password, anonymous bind refused");
            }
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            Arrays.fill(encoded.array(), (byte) 0);
            return bytes;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
