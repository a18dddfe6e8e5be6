package org.autoenroll.kerberos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplayCache} in a database table, shared by every server instance that uses the same
 * database: a token accepted by one instance is refused as a replay by all the others.
 *
 * <p>Plain JDBC on a {@link DataSource}. The table (default {@value #DEFAULT_TABLE}) is created
 * by the constructor if missing: {@code entry_hash VARCHAR(64) PRIMARY KEY} (hex SHA-256 of client,
 * server, ctime and cusec: no names stored), {@code client_hash VARCHAR(64)} (hex SHA-256 of the
 * client name alone) and {@code expires_at BIGINT} (epoch milliseconds), indexed; a table of an
 * earlier version gets the {@code client_hash} column added. Each client may hold at most
 * {@code maxPerPrincipal} live rows (its share, default {@value #DEFAULT_MAX_PER_PRINCIPAL}, else
 * {@link Outcome#SHARE_EXHAUSTED}), so that one principal cannot fill the table and lock everyone
 * out; a duplicate key (SQLState class 23) means the authenticator was seen.
 *
 * <p>Group commit ({@link ReplayGroupCommit}): the concurrent calls of one instance are written in
 * one transaction (share and presence read for the whole batch, one batched INSERT, one commit),
 * and every call returns only after its batch's commit: a token is accepted only once its row is
 * durable in the shared table. A call alone is its own batch; an instance writes up to
 * {@value ReplayGroupCommit#MAX_IN_FLIGHT} batches at once. A replay racing across instances meets
 * the primary key and is refused. Within an instance the share is never passed: the batches in
 * flight count each other's calls of the same client, so a burst of one client's concurrent calls
 * may be refused a little before its share is used up (the safe side). Across instances count and
 * insert are not atomic: concurrent calls of one client on several instances may pass its share by
 * the calls in flight.
 *
 * <p>Storage bound: about 500 bytes per live row on disk (the two 64-character hashes and the
 * expiry, the row overhead and the three index entries), and at most {@code maxPerPrincipal} live
 * rows per client principal that holds a valid ticket: 500 bytes x 1,000 rows = about 0.5 MB per
 * principal at worst; at 5,000 authentications per second over the 5-minute skew, 1,500,000 rows,
 * about 750 MB. Expired rows are deleted by an indexed range delete ({@code expires_at <= t}),
 * never a scan: at most once per {@value #PURGE_INTERVAL_SECONDS} s per instance, by the caller
 * that leads a batch, and at most the rows expiring within {@value #PURGE_WINDOW_SECONDS} s of the
 * oldest one, so that no call deletes an unbounded number of rows.
 *
 * <p>A database error is raised as an unchecked {@link IllegalStateException} (the acceptor then
 * refuses the token: it fails closed). The DDL is portable SQL ({@code CREATE TABLE IF NOT EXISTS},
 * {@code CREATE INDEX IF NOT EXISTS}); tested on H2 and PostgreSQL, and usable as is on MySQL 8.
 *
 * <p>Thread-safe: the state is the database's; each batch uses its own pooled connection.
 */
public final class JdbcReplayCache implements ReplayCache {
    public static final String DEFAULT_TABLE = "kerberos_replay_cache";
    /** The default share of one client principal, as {@link InMemoryReplayCache#DEFAULT_MAX_PER_PRINCIPAL}. */
    public static final int DEFAULT_MAX_PER_PRINCIPAL = InMemoryReplayCache.DEFAULT_MAX_PER_PRINCIPAL;
    static final int PURGE_INTERVAL_SECONDS = 1;
    static final int PURGE_WINDOW_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayCache.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final Clock clock;
    private final String insertSql;
    private final String reviveSql;
    private final String oldestSql;
    private final String purgeSql;
    private final String countSql;
    private final int maxPerPrincipal;
    private final String table;
    private final AtomicLong lastPurgeMillis = new AtomicLong();
    private final ReplayGroupCommit groupCommit;

    /** On table {@value #DEFAULT_TABLE}, created if missing. */
    public JdbcReplayCache(DataSource dataSource, Clock clock) {
        this(dataSource, clock, DEFAULT_TABLE);
    }

    /**
     * @param table the table name: letters, digits and underscores only
     * @throws IllegalArgumentException for another table name
     * @throws IllegalStateException when the schema cannot be created
     */
    public JdbcReplayCache(DataSource dataSource, Clock clock, String table) {
        this(dataSource, clock, table, DEFAULT_MAX_PER_PRINCIPAL);
    }

    /**
     * @param table the table name: letters, digits and underscores only
     * @param maxPerPrincipal live rows of one client principal at most (at least 1)
     * @throws IllegalArgumentException for another table name or a share below 1
     * @throws IllegalStateException when the schema cannot be created
     */
    public JdbcReplayCache(DataSource dataSource, Clock clock, String table, int maxPerPrincipal) {
        if (maxPerPrincipal < 1) {
            throw new IllegalArgumentException("maxPerPrincipal must be positive");
        }
        this.maxPerPrincipal = maxPerPrincipal;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table name must match " + TABLE_NAME.pattern());
        }
        // the share's count inside the INSERT: one statement per call; FROM a one-row derived table
        // and typed parameters, so that H2, PostgreSQL and MySQL all take it
        this.insertSql = "INSERT INTO " + table + " (entry_hash, client_hash, expires_at)"
                + " SELECT CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS BIGINT) FROM (SELECT 1 AS one) one_row"
                + " WHERE (SELECT COUNT(*) FROM " + table + " WHERE client_hash = ? AND expires_at > ?) + ? < ?";
        this.reviveSql = "UPDATE " + table + " SET expires_at = ? WHERE entry_hash = ? AND expires_at <= ?";
        this.oldestSql = "SELECT MIN(expires_at) FROM " + table;
        this.purgeSql = "DELETE FROM " + table + " WHERE expires_at <= ?";
        this.table = table;
        this.countSql = "SELECT COUNT(*) FROM " + table + " WHERE expires_at > ?";
        createSchema(table);
        this.groupCommit = new ReplayGroupCommit(dataSource, new ReplayGroupCommit.Table() {
            @Override
            public String name() {
                return JdbcReplayCache.this.table;
            }

            @Override
            public int maxPerPrincipal() {
                return JdbcReplayCache.this.maxPerPrincipal;
            }

            @Override
            public Outcome recordAlone(Connection connection, ReplayGroupCommit.Pending pending, int othersInFlight,
                                       long nowMillis) throws SQLException {
                return JdbcReplayCache.this.recordAlone(connection, pending, othersInFlight, nowMillis);
            }

            @Override
            public String conditionalInsertSql() {
                return insertSql;
            }

            @Override
            public void bindConditionalInsert(PreparedStatement insert, ReplayGroupCommit.Pending pending, int othersInFlight,
                                              long nowMillis) throws SQLException {
                JdbcReplayCache.this.bindInsert(insert, pending, othersInFlight, nowMillis);
            }

            @Override
            public void maybePurge(Connection connection, long nowMillis) throws SQLException {
                JdbcReplayCache.this.maybePurge(connection, nowMillis);
            }
        });
    }

    private void createSchema(String table) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table
                    + " (entry_hash VARCHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + table + "_expiry ON " + table + " (expires_at)");
            statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS client_hash VARCHAR(64)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + table + "_client ON " + table + " (client_hash, expires_at)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the replay cache table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Outcome record(Key key, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now)) {
            // already expired: the skew check refuses a replay of it anyway
            return Outcome.RECORDED;
        }
        ReplayGroupCommit.Pending pending = new ReplayGroupCommit.Pending(hash(key), clientHash(key.client()),
                expiresAt.toEpochMilli());
        try {
            return groupCommit.record(pending, clock::millis);
        } catch (SQLException e) {
            LOG.warn("replay cache database error (SQLState {}): {}", e.getSQLState(), e.getMessage());
            throw new IllegalStateException("the replay cache database is unavailable", e);
        }
    }

    /**
     * One call in its own autocommitted statements: the conditional INSERT (nothing inserted: the
     * share is used up), whose duplicate key means seen.
     */
    private Outcome recordAlone(Connection connection, ReplayGroupCommit.Pending pending, int othersInFlight, long now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            bindInsert(insert, pending, othersInFlight, now);
            return insert.executeUpdate() == 1 ? Outcome.RECORDED : Outcome.SHARE_EXHAUSTED;
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
        }
        // Present: a replay, unless the row outlived its expiry and no purge removed it yet
        // (instances configured with different skews): then it is taken over.
        try (PreparedStatement revive = connection.prepareStatement(reviveSql)) {
            revive.setLong(1, pending.expiryMillis);
            revive.setString(2, pending.hash);
            revive.setLong(3, now);
            return revive.executeUpdate() == 1 ? Outcome.RECORDED : Outcome.REPLAYED;
        }
    }

    private void bindInsert(PreparedStatement insert, ReplayGroupCommit.Pending pending, int othersInFlight, long now)
            throws SQLException {
        insert.setString(1, pending.hash);
        insert.setString(2, pending.clientHash);
        insert.setLong(3, pending.expiryMillis);
        insert.setString(4, pending.clientHash);
        insert.setLong(5, now);
        insert.setInt(6, othersInFlight);
        insert.setInt(7, maxPerPrincipal);
    }

    /** The most calls one group commit has held so far (for tests and metrics). */
    int largestBatch() {
        return groupCommit.largestBatch();
    }

    /** Live (unexpired) rows, for tests and metrics. */
    public int size() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(countSql)) {
            count.setLong(1, clock.millis());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the replay cache database is unavailable", e);
        }
    }

    /**
     * Deletes the expired rows whose expiry is within {@value #PURGE_WINDOW_SECONDS} s of the
     * oldest row's: two statements on the expiry index (its first entry, then a range); returns how
     * many rows went.
     */
    int purgeExpired(Connection connection, long now) throws SQLException {
        long oldest;
        try (PreparedStatement select = connection.prepareStatement(oldestSql); ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                return 0;
            }
            oldest = rows.getLong(1);
            if (rows.wasNull() || oldest > now) {
                return 0;
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(purgeSql)) {
            delete.setLong(1, Math.min(now, oldest + PURGE_WINDOW_SECONDS * 1000L));
            return delete.executeUpdate();
        }
    }

    private void maybePurge(Connection connection, long now) throws SQLException {
        long last = lastPurgeMillis.get();
        // one batch per interval wins the purge
        if (now - last >= PURGE_INTERVAL_SECONDS * 1000L && lastPurgeMillis.compareAndSet(last, now)) {
            purgeExpired(connection, now);
        }
    }

    /** A unique-key violation, also when a batch reports it (its chained exceptions). */
    static boolean isDuplicateKey(SQLException e) {
        for (SQLException each = e; each != null; each = each.getNextException()) {
            String state = each.getSQLState();
            if (each instanceof SQLIntegrityConstraintViolationException || state != null && state.startsWith("23")) {
                return true;
            }
            if (each.getNextException() == each) {
                break;
            }
        }
        return false;
    }

    /** SHA-256 over the length-prefixed components, so no two keys share an encoding. */
    static String hash(Key key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {key.client(), key.server()}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update(intBytes(bytes.length));
                digest.update(bytes);
            }
            digest.update(longBytes(key.ctimeSeconds()));
            digest.update(intBytes(key.cusec()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** SHA-256 of the client name alone: the share is counted without storing names. */
    static String clientHash(String client) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(client.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    private static byte[] longBytes(long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (value >> (56 - 8 * i));
        }
        return out;
    }
}
