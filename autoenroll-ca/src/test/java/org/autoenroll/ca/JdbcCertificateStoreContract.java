package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.Person;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.RevocationReason;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every database behind {@link JdbcCertificateStore} must show; run against H2
 * ({@link JdbcCertificateStoreTest}) and a real PostgreSQL ({@link PostgresCertificateStoreTest}).
 */
abstract class JdbcCertificateStoreContract {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final String ACME = "urn:customer:acme";
    private static final String OTHER = "urn:customer:other";

    @TempDir
    Path dir;
    final Fixtures.MutableClock clock = new Fixtures.MutableClock(NOW);
    JdbcCertificateStore store;

    /** A store on this test's database; called again, a second store on the same database. */
    protected abstract JdbcCertificateStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static CertificateRecord cert(long serial) {
        return Fixtures.fakeRecord(BigInteger.valueOf(serial), "alice@EXAMPLE.COM", NOW);
    }

    @Test
    void recordIssued_thenReopen_recordPresentWithState() throws Exception {
        CertificateRecord record = cert(1001);
        store.recordIssued(record, Optional.empty());
        store.close();

        store = openStore();
        CertificateRecord found = store.find(record.serial()).orElseThrow();
        assertEquals(CertificateState.VALID, found.state());
        assertEquals(ACME, found.customerUri());
        assertEquals("alice@EXAMPLE.COM", found.owner());
        assertEquals("alice@example.com", found.email());
        assertEquals("req-1001", found.requestId());
        assertEquals("user", found.profile());
        assertArrayEquals(record.der(), found.der());
        assertEquals(record.notBefore(), found.notBefore());
        assertEquals(record.notAfter(), found.notAfter());
        RequestRecord request = store.findRequest("req-1001").orElseThrow();
        assertEquals(RequestRecord.State.ISSUED, request.state());
        assertEquals(record.serial(), request.serial());
    }

    @Test
    void recordIssued_largeSerial_roundTrips() throws Exception {
        BigInteger serial = BigInteger.ONE.shiftLeft(158).add(BigInteger.valueOf(12345));
        store.recordIssued(Fixtures.fakeRecord(serial, "alice@EXAMPLE.COM", NOW), Optional.empty());
        assertEquals(serial, store.find(serial).orElseThrow().serial());
    }

    @Test
    void recordIssued_supersedes_oldRevokedAsSuperseded() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        clock.advance(Duration.ofHours(1));
        store.recordIssued(cert(2), Optional.of(BigInteger.ONE));

        CertificateRecord old = store.find(BigInteger.ONE).orElseThrow();
        assertEquals(CertificateState.REVOKED, old.state());
        assertEquals(RevocationReason.SUPERSEDED, old.revocationReason());
        assertEquals(NOW.plus(Duration.ofHours(1)), old.revokedAt());
        assertEquals(CertificateState.VALID, store.find(BigInteger.TWO).orElseThrow().state());
    }

    @Test
    void recordIssued_secondSupersedeOfSameSerial_invalidSerialAndNothingRecorded() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        store.recordIssued(cert(2), Optional.of(BigInteger.ONE));

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(cert(3), Optional.of(BigInteger.ONE)));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
        assertTrue(store.find(BigInteger.valueOf(3)).isEmpty());
        assertTrue(store.findRequest("req-3").isEmpty());
    }

    @Test
    void recordIssued_supersedesUnknownSerial_invalidSerial() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(cert(3), Optional.of(BigInteger.valueOf(999))));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
        assertTrue(e.detail().contains("certificate 3E7 "), "serials in details as the API writes them (hex): " + e.detail());
    }

    @Test
    void recordIssued_supersedesAnotherOwnersCertificate_invalidSerialAndItStaysValid() throws Exception {
        store.recordIssued(Fixtures.fakeRecord(BigInteger.ONE, "bob@EXAMPLE.COM", NOW), Optional.empty());
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(cert(2), Optional.of(BigInteger.ONE)));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
        assertEquals(CertificateState.VALID, store.find(BigInteger.ONE).orElseThrow().state());
    }

    @Test
    void recordIssued_duplicateSerial_enrollmentFailed() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        CertificateRecord again = Fixtures.fakeRecord(BigInteger.ONE, "alice@EXAMPLE.COM", NOW.plusSeconds(5));
        CertificateRecord sameSerialOtherRequest = new CertificateRecord(again.serial(), again.customerUri(), again.owner(),
                again.email(), "req-other", again.profile(), again.der(), again.notBefore(), again.notAfter(),
                again.state(), null, null, null);
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(sameSerialOtherRequest, Optional.empty()));
        assertEquals(ErrorCode.ENROLLMENT_FAILED, e.code());
        assertTrue(store.findRequest("req-other").isEmpty());
    }

    @Test
    void recordIssued_twentyConcurrentRenewalsOfOneSerial_exactlyOneWins() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        int threads = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ErrorCode>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                CertificateRecord renewal = cert(100 + i);
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.recordIssued(renewal, Optional.of(BigInteger.ONE));
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
        List<CertificateRecord> all = store.findByOwner(ACME, "alice@EXAMPLE.COM");
        assertEquals(2, all.size(), "the old certificate and exactly one renewal");
        assertEquals(1, all.stream().filter(r -> r.state() == CertificateState.VALID).count());
    }

    @Test
    void recordIssued_concurrentRenewalsOfDifferentSerials_allSucceed() throws Exception {
        for (int i = 1; i <= 10; i++) {
            store.recordIssued(cert(i), Optional.empty());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                CertificateRecord renewal = cert(100 + i);
                BigInteger old = BigInteger.valueOf(i);
                results.add(pool.submit(() -> {
                    store.recordIssued(renewal, Optional.of(old));
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10, store.revokedCount());
    }

    @Test
    void recordPending_thenIssued_requestBecomesIssued() throws Exception {
        store.recordPending(ApprovalStoreContract.pending("req-7", ACME, "alice@EXAMPLE.COM", NOW));
        RequestRecord pending = store.findRequest("req-7").orElseThrow();
        assertEquals(RequestRecord.State.PENDING, pending.state());
        assertEquals(NOW, pending.createdAt());

        clock.advance(Duration.ofMinutes(10));
        store.recordIssued(cert(7), Optional.empty());
        RequestRecord issued = store.findRequest("req-7").orElseThrow();
        assertEquals(RequestRecord.State.ISSUED, issued.state());
        assertEquals(BigInteger.valueOf(7), issued.serial());
        assertEquals(NOW, issued.createdAt());
    }

    @Test
    void recordPending_sameIdTwice_enrollmentFailed() throws Exception {
        RequestRecord request = ApprovalStoreContract.pending("req-8", ACME, "alice@EXAMPLE.COM", NOW);
        store.recordPending(request);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> store.recordPending(request));
        assertEquals(ErrorCode.ENROLLMENT_FAILED, e.code());
    }

    @Test
    void findRequest_unknown_empty() throws Exception {
        assertTrue(store.findRequest("nope").isEmpty());
        assertTrue(store.find(BigInteger.TEN).isEmpty());
    }

    @Test
    void findByOwner_newestFirstAndOnlyThatOwnerAndCustomer() throws Exception {
        store.recordIssued(Fixtures.fakeRecord(BigInteger.ONE, "alice@EXAMPLE.COM", NOW), Optional.empty());
        store.recordIssued(Fixtures.fakeRecord(BigInteger.TWO, "alice@EXAMPLE.COM", NOW.plusSeconds(60)), Optional.empty());
        store.recordIssued(Fixtures.fakeRecord(BigInteger.TEN, "bob@EXAMPLE.COM", NOW), Optional.empty());

        List<CertificateRecord> alice = store.findByOwner(ACME, "alice@EXAMPLE.COM");
        assertEquals(List.of(BigInteger.TWO, BigInteger.ONE), alice.stream().map(CertificateRecord::serial).toList());
        assertTrue(store.findByOwner(OTHER, "alice@EXAMPLE.COM").isEmpty());
    }

    @Test
    void revoke_validCertificate_trueThenFalse() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        assertTrue(store.revoke(BigInteger.ONE, RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(30)));
        assertFalse(store.revoke(BigInteger.ONE, RevocationReason.UNSPECIFIED, NOW.plusSeconds(60)));
        assertFalse(store.revoke(BigInteger.TEN, RevocationReason.UNSPECIFIED, NOW));
        CertificateRecord revoked = store.find(BigInteger.ONE).orElseThrow();
        assertEquals(RevocationReason.KEY_COMPROMISE, revoked.revocationReason());
        assertEquals(NOW.plusSeconds(30), revoked.revokedAt());
    }

    @Test
    void forEachRevoked_mixedStates_streamsOnlyRevokedInSerialOrder() throws Exception {
        // more revoked rows than one fetch (256)
        for (int i = 1; i <= 300; i++) {
            store.recordIssued(cert(i), Optional.empty());
            if (i % 10 != 0) {
                store.revoke(BigInteger.valueOf(i), RevocationReason.CESSATION_OF_OPERATION, NOW);
            }
        }
        List<BigInteger> seen = new ArrayList<>();
        store.forEachRevoked(record -> {
            assertEquals(CertificateState.REVOKED, record.state());
            seen.add(record.serial());
        });
        assertEquals(270, seen.size());
        assertEquals(BigInteger.ONE, seen.get(0));
        assertEquals(BigInteger.valueOf(299), seen.get(269));
        assertEquals(270, store.revokedCount());
    }

    @Test
    void forEachRevocation_manyRows_streamsSerialTimeReasonInOrderAndSince() throws Exception {
        // more rows than one fetch (4096), inserted in bulk; every reason, times over a day
        long inserted = org.autoenroll.ca.testkit.RevokedRows.insert(store.dataSource(), 5000, 7, NOW);
        store.recordIssued(cert(1), Optional.empty());
        store.revoke(BigInteger.ONE, RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(60));
        List<BigInteger> serials = new ArrayList<>();
        java.util.Map<BigInteger, RevocationReason> reasons = new java.util.HashMap<>();
        store.forEachRevocation(null, (serial, at, reason) -> {
            serials.add(serial);
            reasons.put(serial, reason);
            assertTrue(!at.isAfter(NOW.plusSeconds(60)), at.toString());
        });
        assertEquals(inserted + 1, serials.size());
        assertEquals(inserted + 1, store.revokedCount());
        List<BigInteger> sorted = new ArrayList<>(serials);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, serials);
        assertEquals(RevocationReason.KEY_COMPROMISE, reasons.get(BigInteger.ONE));
        assertEquals(RevocationReason.values().length, new java.util.HashSet<>(reasons.values()).size());

        List<BigInteger> recent = new ArrayList<>();
        store.forEachRevocation(NOW, (serial, at, reason) -> recent.add(serial));
        assertEquals(List.of(BigInteger.ONE), recent);
    }

    @Test
    void forEachRevocation_sinkThrows_ioExceptionPropagates() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        store.revoke(BigInteger.ONE, RevocationReason.KEY_COMPROMISE, NOW);
        assertThrows(java.io.IOException.class, () -> store.forEachRevocation(null, (serial, at, reason) -> {
            throw new java.io.IOException("disk full");
        }));
        // the connection went back usable
        assertEquals(1, store.revokedCount());
    }

    @Test
    void recordStatus_knownSerial_stored() throws Exception {
        store.recordIssued(cert(1), Optional.empty());
        store.recordStatus(BigInteger.ONE, ReportedStatus.INSTALLED, NOW.plusSeconds(5));
        assertEquals(ReportedStatus.INSTALLED, store.find(BigInteger.ONE).orElseThrow().reportedStatus());
    }

    @Test
    void recordStatus_unknownSerial_invalidSerial() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordStatus(BigInteger.TEN, ReportedStatus.INSTALLED, NOW));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
        assertTrue(e.detail().endsWith("serial A"), e.detail());
    }

    @Test
    void sync_newPerson_thenFoundAndUpdated() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        clock.advance(Duration.ofDays(1));
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice.smith@example.com", "Alice Smith", NOW.plusSeconds(99)));

        Person found = store.find(ACME, "alice@EXAMPLE.COM").orElseThrow();
        assertEquals("alice.smith@example.com", found.email());
        assertEquals("Alice Smith", found.commonName());
        assertEquals(NOW.plusSeconds(99), found.syncedAt());
        assertTrue(store.find(OTHER, "alice@EXAMPLE.COM").isEmpty());
    }

    @Test
    void sync_principalOfAnotherCustomer_personMismatchAndNothingChanges() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.sync(new Person(OTHER, "alice@EXAMPLE.COM", "alice@other.com", "Alice", NOW)));
        assertEquals(ErrorCode.PERSON_MISMATCH, e.code());
        assertEquals("alice@example.com", store.find(ACME, "alice@EXAMPLE.COM").orElseThrow().email());
    }

    @Test
    void sync_emailOfAnotherCustomersPerson_personMismatch() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.sync(new Person(OTHER, "mallory@OTHER.COM", "Alice@Example.com", "Mallory", NOW)));
        assertEquals(ErrorCode.PERSON_MISMATCH, e.code());
        assertTrue(store.find(OTHER, "mallory@OTHER.COM").isEmpty());
    }

    @Test
    void sync_emailMovedToRenamedAccountOfSameCustomer_movesToNewPrincipal() throws Exception {
        store.sync(new Person(ACME, "alice@EXAMPLE.COM", "alice@example.com", "Alice", NOW));
        store.sync(new Person(ACME, "asmith@EXAMPLE.COM", "alice@example.com", "Alice Smith", NOW));
        assertTrue(store.find(ACME, "alice@EXAMPLE.COM").isEmpty());
        assertEquals("alice@example.com", store.find(ACME, "asmith@EXAMPLE.COM").orElseThrow().email());
    }

    @Test
    void sync_concurrentFirstSyncOfOnePerson_allSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Person>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> store.sync(new Person(ACME, "carol@EXAMPLE.COM", "carol@example.com", "Carol", NOW))));
            }
            for (Future<Person> result : results) {
                assertEquals("carol@EXAMPLE.COM", result.get().principal());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Works while the schema is created, then fails every connection: the database went down. */
    /** H2 in memory that fails every new connection once {@code failing} is set. */
    static final class FailingDataSource implements DataSource {
        final AtomicBoolean failing = new AtomicBoolean(false);
        private final JdbcDataSource h2 = new JdbcDataSource();

        FailingDataSource() {
            h2.setURL("jdbc:h2:mem:failing" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (failing.get()) {
                throw new SQLException("database down");
            }
            return h2.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    @Test
    void storageFails_eachOperation_reportsItsCode() throws Exception {
        FailingDataSource dataSource = new FailingDataSource();
        JdbcCertificateStore broken = new JdbcCertificateStore(dataSource, clock);
        dataSource.failing.set(true);

        assertEquals(ErrorCode.ENROLLMENT_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.recordIssued(cert(1), Optional.empty())).code());
        assertEquals(ErrorCode.ENROLLMENT_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.find(BigInteger.ONE)).code());
        assertEquals(ErrorCode.ENROLLMENT_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.findByOwner(ACME, "a")).code());
        assertEquals(ErrorCode.ENROLLMENT_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.revoke(BigInteger.ONE, RevocationReason.UNSPECIFIED, NOW)).code());
        assertEquals(ErrorCode.ENROLLMENT_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.forEachRevoked(r -> { })).code());
        assertEquals(ErrorCode.PERSON_SYNC_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.sync(new Person(ACME, "a", "a@example.com", "A", NOW))).code());
        assertEquals(ErrorCode.STATUS_PROCESSING_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.find(ACME, "a")).code());
        assertEquals(ErrorCode.STATUS_PROCESSING_FAILED, assertThrows(EnrollmentException.class,
                () -> broken.recordStatus(BigInteger.ONE, ReportedStatus.INSTALLED, NOW)).code());
        broken.close();
    }

    @Test
    void open_sameDatabaseTwice_schemaCreatedOnce() throws Exception {
        try (JdbcCertificateStore second = openStore()) {
            store.recordIssued(cert(5), Optional.empty());
            assertTrue(second.find(BigInteger.valueOf(5)).isPresent());
        }
    }
}
