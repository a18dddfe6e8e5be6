package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.ca.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store contract on a real PostgreSQL 15 that this class starts (one server for the class,
 * one schema per test), plus what several server instances on one database must get right: two
 * {@link JdbcCertificateStore}s on the same schema stand for two instances.
 */
class PostgresCertificateStoreTest extends JdbcCertificateStoreContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresServer server;
    private PGSimpleDataSource dataSource;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected JdbcCertificateStore openStore() throws Exception {
        if (dataSource == null) {
            dataSource = server.newSchema("t" + SCHEMAS.incrementAndGet());
        }
        // each store is one server instance with its own pool
        return JdbcCertificateStore.pooled(dataSource, 10, clock);
    }

    @Test
    void postgresql_factoryWithUrl_opensAndUsesPostgresDialect() throws Exception {
        try (JdbcCertificateStore other = JdbcCertificateStore.postgresql(server.jdbcUrl()
                + "?currentSchema=" + server.newSchema("url" + SCHEMAS.incrementAndGet()).getCurrentSchema(),
                "postgres", null, 4, clock)) {
            assertEquals("POSTGRESQL", other.dialect());
            other.recordIssued(cert(9), Optional.empty());
            assertTrue(other.find(BigInteger.valueOf(9)).isPresent());
        }
    }

    @Test
    void open_fourInstancesAtOnceOnEmptyDatabase_eachMigrationAppliedOnce() throws Exception {
        PGSimpleDataSource fresh = server.newSchema("m" + SCHEMAS.incrementAndGet());
        List<Callable<JdbcCertificateStore>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(() -> new JdbcCertificateStore(fresh, clock));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<JdbcCertificateStore> started : pool.invokeAll(starts)) {
                started.get().close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = fresh.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_version")) {
            rs.next();
            assertEquals(Schema.VERSION, rs.getInt(1));
            assertEquals(Schema.VERSION, rs.getInt(2));
            assertEquals(Schema.VERSION, rs.getInt(3));
        }
    }

    @Test
    void recordIssued_fiftyConcurrentRenewalsAcrossTwoInstances_exactlyOneWinsOldRevokedOnce() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        try (JdbcCertificateStore second = openStore()) {
            JdbcCertificateStore[] instances = {store, second};
            int renewals = 50;
            ExecutorService pool = Executors.newFixedThreadPool(renewals);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ErrorCode>> results = new ArrayList<>();
            try {
                for (int i = 0; i < renewals; i++) {
                    CertificateRecord renewal = cert(1000 + i);
                    JdbcCertificateStore instance = instances[i % 2];
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            instance.recordIssued(renewal, Optional.of(BigInteger.ONE));
                            return null;
                        } catch (EnrollmentException e) {
                            return e.code();
                        }
                    }));
                }
                start.countDown();
                int wins = 0;
                for (Future<ErrorCode> result : results) {
                    ErrorCode code = result.get();
                    if (code == null) {
                        wins++;
                    } else {
                        assertEquals(ErrorCode.INVALID_SERIAL, code);
                    }
                }
                assertEquals(1, wins);
            } finally {
                pool.shutdownNow();
            }
            List<CertificateRecord> all = second.findByOwner(ACME, "alice@EXAMPLE.COM");
            assertEquals(2, all.size(), "the old certificate and exactly one renewal");
            assertEquals(1, all.stream().filter(r -> r.state() == CertificateState.VALID).count());
            CertificateRecord old = store.find(BigInteger.ONE).orElseThrow();
            assertEquals(CertificateState.REVOKED, old.state());
            assertEquals(RevocationReason.SUPERSEDED, old.revocationReason());
            assertEquals(1, second.revokedCount());
            List<BigInteger> onCrl = new ArrayList<>();
            store.forEachRevoked(r -> onCrl.add(r.serial()));
            assertEquals(List.of(BigInteger.ONE), onCrl);
        }
    }

    @Test
    void recordIssued_randomSerialsFromTwoInstancesConcurrently_allRecordedNoneLost() throws Exception {
        try (JdbcCertificateStore second = openStore()) {
            JdbcCertificateStore[] instances = {store, second};
            SecureRandom random = new SecureRandom();
            int count = 200;
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<BigInteger>> results = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    JdbcCertificateStore instance = instances[i % 2];
                    BigInteger serial = BuiltInCa.newSerial(random);
                    String owner = "user" + i + "@EXAMPLE.COM";
                    results.add(pool.submit(() -> {
                        instance.recordIssued(Fixtures.fakeRecord(serial, owner, NOW), Optional.empty());
                        return serial;
                    }));
                }
                Set<BigInteger> serials = new HashSet<>();
                for (Future<BigInteger> result : results) {
                    serials.add(result.get());
                }
                assertEquals(count, serials.size());
                for (BigInteger serial : serials) {
                    assertTrue(instances[serial.testBit(0) ? 0 : 1].find(serial).isPresent());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void recordIssued_sameSerialFromTwoInstancesAtOnce_exactlyOneRecorded() throws Exception {
        try (JdbcCertificateStore second = openStore()) {
            for (int round = 0; round < 10; round++) {
                BigInteger serial = BigInteger.valueOf(5000 + round);
                CertificateRecord a = Fixtures.fakeRecord(serial, "a@EXAMPLE.COM", NOW);
                CertificateRecord b = new CertificateRecord(serial, a.customerUri(), "b@EXAMPLE.COM", "b@example.com",
                        "req-b-" + round, a.profile(), a.der(), a.notBefore(), a.notAfter(), a.state(), null, null, null);
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Future<ErrorCode> first = pool.submit(() -> attempt(start, store, a));
                    Future<ErrorCode> other = pool.submit(() -> attempt(start, second, b));
                    start.countDown();
                    ErrorCode one = first.get();
                    ErrorCode two = other.get();
                    assertTrue((one == null) != (two == null), one + " / " + two);
                    assertEquals(ErrorCode.ENROLLMENT_FAILED, one == null ? two : one);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    private static ErrorCode attempt(CountDownLatch start, JdbcCertificateStore instance, CertificateRecord record)
            throws InterruptedException {
        start.await();
        try {
            instance.recordIssued(record, Optional.empty());
            return null;
        } catch (EnrollmentException e) {
            return e.code();
        }
    }
}
