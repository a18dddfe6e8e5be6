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
 * earlier version gets the {@code client_hash} column added. {@link #record} counts the client's
 * live rows (its share: at most {@code maxPerPrincipal}, default
 * {@value #DEFAULT_MAX_PER_PRINCIPAL}, else {@link Outcome#SHARE_EXHAUSTED}, so that one principal
 * cannot fill the table and lock everyone out), then is one INSERT: a duplicate key (SQLState
 * class 23) means the authenticator was seen. Count and insert are not one transaction: concurrent
 * calls of one client may pass the share by at most the number of calls in flight.
 *
 * <p>Storage bound: about 500 bytes per live row on disk (the two 64-character hashes and the
 * expiry, the row overhead and the three index entries), and at most {@code maxPerPrincipal} live
 * rows per client principal that holds a valid ticket: 500 bytes x 1,000 rows = about 0.5 MB per
 * principal at worst, 500 bytes x (principals x 1,000) in all; in practice a client holds one row
 * per authentication within the clock skew. Expired rows are deleted in the same code path: every
 * {@value #PURGE_EVERY_CALLS}th call, or when {@value #PURGE_INTERVAL_SECONDS} s have passed since the
 * last purge, at most {@value #PURGE_BATCH} rows (one bounded SELECT and one batched DELETE), so
 * no call does unbounded work and the deletions outpace the insertions four to one.
 *
 * <p>A database error is raised as an unchecked {@link IllegalStateException} (the acceptor then
 * refuses the token: it fails closed). The DDL is portable SQL ({@code CREATE TABLE IF NOT EXISTS},
 * {@code CREATE INDEX IF NOT EXISTS}); tested on H2, and usable as is on PostgreSQL and MySQL 8.
 *
 * <p>Thread-safe: the state is the database's; each call uses its own pooled connection.
 */
public final class JdbcReplayCache implements ReplayCache {
    public static final String DEFAULT_TABLE = "kerberos_replay_cache";
    /** The default share of one client principal, as {@link InMemoryReplayCache#DEFAULT_MAX_PER_PRINCIPAL}. */
    public static final int DEFAULT_MAX_PER_PRINCIPAL = InMemoryReplayCache.DEFAULT_MAX_PER_PRINCIPAL;
    static final int PURGE_EVERY_CALLS = 64;
    static final int PURGE_BATCH = 256;
    static final int PURGE_INTERVAL_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayCache.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final Clock clock;
    private final String insertSql;
    private final String reviveSql;
    private final String expiredSql;
    private final String deleteSql;
    private final String countSql;
    private final String shareSql;
    private final int maxPerPrincipal;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong lastPurgeMillis = new AtomicLong();

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
        this.insertSql = "INSERT INTO " + table + " (entry_hash, client_hash, expires_at) VALUES (?, ?, ?)";
        this.shareSql = "SELECT COUNT(*) FROM " + table + " WHERE client_hash = ? AND expires_at > ?";
        this.reviveSql = "UPDATE " + table + " SET expires_at = ? WHERE entry_hash = ? AND expires_at <= ?";
        this.expiredSql = "SELECT entry_hash FROM " + table + " WHERE expires_at <= ?";
        this.deleteSql = "DELETE FROM " + table + " WHERE entry_hash = ? AND expires_at <= ?";
        this.countSql = "SELECT COUNT(*) FROM " + table + " WHERE expires_at > ?";
        createSchema(table);
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
        String hash = hash(key);
        String clientHash = clientHash(key.client());
        try (Connection connection = dataSource.getConnection()) {
            maybePurge(connection, now);
            if (liveRowsOf(connection, clientHash, now) >= maxPerPrincipal) {
                return Outcome.SHARE_EXHAUSTED;
            }
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                insert.setString(1, hash);
                insert.setString(2, clientHash);
                insert.setLong(3, expiresAt.toEpochMilli());
                insert.executeUpdate();
                return Outcome.RECORDED;
            } catch (SQLException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            // Present: a replay, unless the row outlived its expiry and no purge removed it yet
            // (instances configured with different skews): then it is taken over.
            try (PreparedStatement revive = connection.prepareStatement(reviveSql)) {
                revive.setLong(1, expiresAt.toEpochMilli());
                revive.setString(2, hash);
                revive.setLong(3, now.toEpochMilli());
                return revive.executeUpdate() == 1 ? Outcome.RECORDED : Outcome.REPLAYED;
            }
        } catch (SQLException e) {
            LOG.warn("replay cache database error (SQLState {}): {}", e.getSQLState(), e.getMessage());
            throw new IllegalStateException("the replay cache database is unavailable", e);
        }
    }

    private int liveRowsOf(Connection connection, String clientHash, Instant now) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(shareSql)) {
            count.setString(1, clientHash);
            count.setLong(2, now.toEpochMilli());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
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

    /** Deletes up to {@value #PURGE_BATCH} expired rows now; returns how many. */
    int purgeExpired(Connection connection, Instant now) throws SQLException {
        List<String> expired = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(expiredSql)) {
            select.setMaxRows(PURGE_BATCH);
            select.setLong(1, now.toEpochMilli());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next() && expired.size() < PURGE_BATCH) {
                    expired.add(rows.getString(1));
                }
            }
        }
        if (expired.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
            for (String hash : expired) {
                delete.setString(1, hash);
                delete.setLong(2, now.toEpochMilli());
                delete.addBatch();
            }
            delete.executeBatch();
        }
        return expired.size();
    }

    private void maybePurge(Connection connection, Instant now) throws SQLException {
        long call = calls.incrementAndGet();
        long last = lastPurgeMillis.get();
        // one caller per interval wins the time-driven purge; the count-driven one keeps pace under load
        boolean byTime = now.toEpochMilli() - last >= PURGE_INTERVAL_SECONDS * 1000L
                && lastPurgeMillis.compareAndSet(last, now.toEpochMilli());
        if (byTime || call % PURGE_EVERY_CALLS == 0) {
            purgeExpired(connection, now);
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        if (e instanceof SQLIntegrityConstraintViolationException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
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
