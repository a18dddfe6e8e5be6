package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcReplayCacheTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final String REALM = "SHARED.TEST";
    private static final String SERVICE = "HTTP/localhost";
    private static final EncryptionKey KEY = TicketForger.keyFromPassword(SERVICE + "@" + REALM, "svc-pw",
            EncryptionType.AES256_CTS_HMAC_SHA1_96);

    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    /** A fresh in-memory H2 database, kept while the JVM runs (DB_CLOSE_DELAY=-1). */
    private static DataSource database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:replay-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    private static ReplayCache.Key key(int n) {
        return new ReplayCache.Key("alice@EXAMPLE.COM", "HTTP/localhost@EXAMPLE.COM", 1_000 + n, n);
    }

    private KerberosAcceptor acceptor(DataSource database) {
        return KerberosAcceptor.builder()
                .addRealm(REALM, Keytabs.fromKeys(SERVICE + "@" + REALM, 2, KEY))
                .clock(clock)
                .replayCache(new JdbcReplayCache(database, clock))
                .build();
    }

    private static byte[] token() {
        return new TicketForger(REALM, SERVICE, KEY, 2).times(NOW.minusSeconds(60), NOW.plus(Duration.ofHours(8)))
                .forge().apReq().ctime(NOW).spnegoToken();
    }

    @Test
    void validate_tokenReplayedToSecondInstance_refusedAsReplay() throws Exception {
        DataSource shared = database();
        KerberosAcceptor first = acceptor(shared);
        KerberosAcceptor second = acceptor(shared);
        byte[] token = token();
        assertEquals("alice", first.validate(token).name());
        EnrollmentException replay = assertThrows(EnrollmentException.class, () -> second.validate(token));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, replay.code());
        // the second instance is sound: a fresh token passes there, and its replay fails on the first
        byte[] fresh = token();
        assertEquals("alice", second.validate(fresh).name());
        assertThrows(EnrollmentException.class, () -> first.validate(fresh));
    }

    @Test
    void validate_separateDatabases_eachAcceptsOnce() throws Exception {
        byte[] token = token();
        acceptor(database()).validate(token);
        acceptor(database()).validate(token); // no shared state: the limit of a per-instance cache
    }

    @Test
    void record_sameKeyTwice_replayed() {
        JdbcReplayCache cache = new JdbcReplayCache(database(), clock);
        Instant expiry = NOW.plusSeconds(300);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(1), expiry));
        assertEquals(ReplayCache.Outcome.REPLAYED, cache.record(key(1), expiry));
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(2), expiry));
        assertEquals(2, cache.size());
    }

    @Test
    void record_afterExpiry_recordedAgain() {
        JdbcReplayCache cache = new JdbcReplayCache(database(), clock);
        cache.record(key(1), NOW.plusSeconds(300));
        now.set(NOW.plusSeconds(301));
        assertEquals(0, cache.size());
        // the stale row is taken over (another instance may use a longer skew)
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(1), NOW.plusSeconds(600)));
        assertEquals(ReplayCache.Outcome.REPLAYED, cache.record(key(1), NOW.plusSeconds(600)));
    }

    @Test
    void record_alreadyExpired_recordedWithoutRow() {
        JdbcReplayCache cache = new JdbcReplayCache(database(), clock);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(1), NOW));
        assertEquals(0, cache.size());
    }

    @Test
    void purgeExpired_rowsOverManyWindows_oneWindowPerCall() throws Exception {
        DataSource database = database();
        JdbcReplayCache cache = new JdbcReplayCache(database, clock);
        // expiries 1 s apart over 25 s: windows of 10 s from the oldest, both ends included
        for (int i = 0; i < 25; i++) {
            cache.record(key(i), NOW.plusSeconds(1 + i));
        }
        cache.record(key(100), NOW.plusSeconds(600));
        long later = NOW.plusSeconds(100).toEpochMilli();
        try (Connection connection = database.getConnection()) {
            assertEquals(11, cache.purgeExpired(connection, later));
            assertEquals(11, cache.purgeExpired(connection, later));
            assertEquals(3, cache.purgeExpired(connection, later));
            assertEquals(0, cache.purgeExpired(connection, later));
        }
        now.set(NOW.plusSeconds(100));
        assertEquals(1, cache.size());
    }

    @Test
    void record_manyCalls_expiredRowsDeletedInTheSamePath() throws Exception {
        DataSource database = database();
        JdbcReplayCache cache = new JdbcReplayCache(database, clock);
        for (int i = 0; i < 100; i++) {
            cache.record(key(i), NOW.plusSeconds(5));
        }
        now.set(NOW.plusSeconds(20)); // past the purge interval: the next call purges
        cache.record(key(1_000), NOW.plusSeconds(300));
        try (Connection connection = database.getConnection();
                var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM kerberos_replay_cache")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
        }
    }

    @Test
    void constructor_badTableName_refused() {
        assertThrows(IllegalArgumentException.class, () -> new JdbcReplayCache(database(), clock, "x; DROP TABLE y"));
    }

    @Test
    void constructor_twoInstancesOneTable_schemaCreatedOnce() {
        DataSource database = database();
        new JdbcReplayCache(database, clock, "rc");
        JdbcReplayCache second = new JdbcReplayCache(database, clock, "rc");
        assertEquals(ReplayCache.Outcome.RECORDED, second.record(key(1), NOW.plusSeconds(1)));
    }

    @Test
    void hash_componentsShifted_differ() {
        assertNotEquals(JdbcReplayCache.hash(new ReplayCache.Key("ab", "c", 1, 2)),
                JdbcReplayCache.hash(new ReplayCache.Key("a", "bc", 1, 2)));
        assertEquals(64, JdbcReplayCache.hash(key(1)).length());
    }

    @Test
    void validate_databaseDown_refusedFailClosed() throws Exception {
        DataSource database = database();
        DataSource failing = mock(DataSource.class);
        // schema creation works, then the database goes away
        when(failing.getConnection()).thenAnswer(invocation -> database.getConnection())
                .thenThrow(new SQLTransientConnectionException("connection refused"));
        KerberosAcceptor acceptor = acceptor(failing);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> acceptor.validate(token()));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
    }

    @Test
    void constructor_databaseDown_illegalState() throws Exception {
        DataSource failing = mock(DataSource.class);
        when(failing.getConnection()).thenThrow(new SQLException("down"));
        assertThrows(IllegalStateException.class, () -> new JdbcReplayCache(failing, clock));
    }

    private static ReplayCache.Key keyOf(String client, int n) {
        return new ReplayCache.Key(client, "HTTP/localhost@EXAMPLE.COM", 1_000 + n, n);
    }

    @Test
    void record_onePrincipalOverItsShare_refusedWhileOthersStillRecord() {
        JdbcReplayCache cache = new JdbcReplayCache(database(), clock, JdbcReplayCache.DEFAULT_TABLE, 3);
        Instant expiry = NOW.plusSeconds(300);
        for (int i = 0; i < 3; i++) {
            assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("mallory@EXAMPLE.COM", i), expiry));
        }
        for (int i = 3; i < 20; i++) {
            assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, cache.record(keyOf("mallory@EXAMPLE.COM", i), expiry));
        }
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("alice@EXAMPLE.COM", 1), expiry));
        assertEquals(4, cache.size());
        now.set(NOW.plusSeconds(301));
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("mallory@EXAMPLE.COM", 3), NOW.plusSeconds(600)));
    }

    @Test
    void constructor_tableOfTheEarlierVersion_getsTheClientColumn() throws Exception {
        DataSource database = database();
        try (Connection connection = database.getConnection(); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE old_rc (entry_hash VARCHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL)");
            statement.execute("INSERT INTO old_rc VALUES ('" + "0".repeat(64) + "', " + NOW.plusSeconds(60).toEpochMilli() + ")");
        }
        JdbcReplayCache cache = new JdbcReplayCache(database, clock, "old_rc", 1);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("alice@EXAMPLE.COM", 1), NOW.plusSeconds(300)));
        assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, cache.record(keyOf("alice@EXAMPLE.COM", 2), NOW.plusSeconds(300)));
        assertEquals(2, cache.size());
    }

    /** Two instances on one database, each authenticator presented to both at once: group commit and its fallback. */
    @Test
    void record_concurrentCallsOnTwoInstances_eachAuthenticatorRecordedExactlyOnce() throws Exception {
        DataSource database = database();
        JdbcReplayCache first = new JdbcReplayCache(database, clock);
        JdbcReplayCache second = new JdbcReplayCache(database, clock);
        int keys = 400;
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.List<ReplayCache.Outcome>> outcomes =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < keys; i++) {
                for (JdbcReplayCache cache : java.util.List.of(first, second)) {
                    int n = i;
                    futures.add(pool.submit(() -> outcomes.computeIfAbsent(n, k -> java.util.Collections.synchronizedList(
                            new java.util.ArrayList<>())).add(cache.record(keyOf("user" + n % 40 + "@EXAMPLE.COM", n),
                            NOW.plusSeconds(300)))));
                }
            }
            for (var future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < keys; i++) {
            java.util.List<ReplayCache.Outcome> both = outcomes.get(i);
            assertEquals(2, both.size());
            assertEquals(1, both.stream().filter(o -> o == ReplayCache.Outcome.RECORDED).count(), "key " + i + ": " + both);
            assertEquals(1, both.stream().filter(o -> o == ReplayCache.Outcome.REPLAYED).count(), "key " + i + ": " + both);
        }
        assertEquals(keys, first.size());
        assertTrue(first.largestBatch() > 1 && second.largestBatch() > 1,
                "batches: " + first.largestBatch() + ", " + second.largestBatch());
    }

    /** A burst of one client on one instance never passes its share (it may be refused a little early). */
    @Test
    void record_concurrentCallsOfOnePrincipal_neverPassItsShareOnOneInstance() throws Exception {
        JdbcReplayCache cache = new JdbcReplayCache(database(), clock, JdbcReplayCache.DEFAULT_TABLE, 5);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.List<java.util.concurrent.Future<ReplayCache.Outcome>> futures = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                int n = i;
                futures.add(pool.submit(() -> cache.record(keyOf("mallory@EXAMPLE.COM", n), NOW.plusSeconds(300))));
            }
            int recorded = 0;
            for (var future : futures) {
                ReplayCache.Outcome outcome = future.get();
                if (outcome == ReplayCache.Outcome.RECORDED) {
                    recorded++;
                } else {
                    assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, outcome);
                }
            }
            assertTrue(recorded >= 1 && recorded <= 5, "recorded " + recorded);
            // once the burst is over, the rest of the share is there: exactly 5 in all
            int n = 1_000;
            while (cache.record(keyOf("mallory@EXAMPLE.COM", n++), NOW.plusSeconds(300)) == ReplayCache.Outcome.RECORDED) {
                recorded++;
            }
            assertEquals(5, recorded);
        } finally {
            pool.shutdown();
        }
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("alice@EXAMPLE.COM", 1), NOW.plusSeconds(300)));
    }
}
