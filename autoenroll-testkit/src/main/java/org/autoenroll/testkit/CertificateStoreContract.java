package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.RevocationReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline, the CRL and the status reports need from every {@link CertificateStore}:
 * atomic writes, a supersede that revokes in the same transaction and lets exactly one of
 * concurrent renewals win, {@code INVALID_SERIAL} (24) where the interface says so. Extend it with
 * the store under test:
 *
 * <pre>{@code
 * class MyStoreTest extends CertificateStoreContract {
 *     protected CertificateStore newStore(Clock clock) { return new MyStore(freshDatabase(), clock); }
 * }
 * }</pre>
 *
 * The certificates' DER is a placeholder: a store keeps the bytes and never parses them.
 *
 * @since 0.1
 */
public abstract class CertificateStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    protected static final String ACME = "urn:customer:acme";
    protected static final String OTHER = "urn:customer:other";

    /** The store's clock: supersede revocations happen at its time. Fixed at {@link #NOW} + 1 hour. */
    protected final Clock clock = Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    protected CertificateStore store;

    /** A new, empty store that takes its time from {@code clock}; called before each test. */
    protected abstract CertificateStore newStore(Clock clock) throws Exception;

    /** Releases the store after each test (closes it when it is {@link AutoCloseable}). */
    protected void closeStore(CertificateStore value) throws Exception {
        if (value instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(clock);
    }

    @AfterEach
    void releaseStore() throws Exception {
        closeStore(store);
    }

    /** A valid certificate record of {@code owner} at ACME, issued at {@code notBefore}, request "req-" + serial. */
    protected static CertificateRecord certificate(long serial, String owner, Instant notBefore) {
        IssuedCertificate issued = new IssuedCertificate(BigInteger.valueOf(serial), new byte[] {0x30, 0x01, (byte) serial},
                List.of(), "CN=" + owner, notBefore, notBefore.plus(Duration.ofDays(365)));
        return CertificateRecord.issued(issued, ACME, owner, "alice@example.com", "req-" + serial, "user");
    }

    protected static CertificateRecord certificate(long serial) {
        return certificate(serial, "alice@EXAMPLE.COM", NOW);
    }

    protected static RequestRecord pending(String id, Instant createdAt) {
        return RequestRecord.pending(id, ACME, "alice@EXAMPLE.COM", createdAt, new RequestRecord.Submitted("user", "1",
                "alice@example.com", null, "-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n", null));
    }

    @Test
    public void recordIssued_thenFind_recordAndIssuedRequestAsWritten() throws Exception {
        CertificateRecord record = certificate(1001);
        store.recordIssued(record, Optional.empty());
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
    public void recordIssued_largeSerial_roundTrips() throws Exception {
        BigInteger serial = BigInteger.ONE.shiftLeft(158).add(BigInteger.valueOf(12345));
        CertificateRecord small = certificate(7);
        store.recordIssued(new CertificateRecord(serial, ACME, small.owner(), small.email(), "req-large", "user", small.der(),
                small.notBefore(), small.notAfter(), CertificateState.VALID, null, null, null), Optional.empty());
        assertEquals(serial, store.find(serial).orElseThrow().serial());
    }

    @Test
    public void recordIssued_supersedes_oldRevokedAsSupersededAtTheStoresTime() throws Exception {
        store.recordIssued(certificate(1), Optional.empty());
        store.recordIssued(certificate(2), Optional.of(BigInteger.ONE));
        CertificateRecord old = store.find(BigInteger.ONE).orElseThrow();
        assertEquals(CertificateState.REVOKED, old.state());
        assertEquals(RevocationReason.SUPERSEDED, old.revocationReason());
        assertEquals(clock.instant(), old.revokedAt());
        assertEquals(CertificateState.VALID, store.find(BigInteger.TWO).orElseThrow().state());
    }

    @Test
    public void recordIssued_secondSupersedeOfTheSameSerial_invalidSerialAndNothingRecorded() throws Exception {
        store.recordIssued(certificate(1), Optional.empty());
        store.recordIssued(certificate(2), Optional.of(BigInteger.ONE));
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(certificate(3), Optional.of(BigInteger.ONE)));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
        assertTrue(store.find(BigInteger.valueOf(3)).isEmpty());
        assertTrue(store.findRequest("req-3").isEmpty());
    }

    @Test
    public void recordIssued_supersedesUnknownSerial_invalidSerial() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(certificate(3), Optional.of(BigInteger.valueOf(999))));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
    }

    @Test
    public void recordIssued_supersedesAnotherOwnersCertificate_invalidSerialAndItStaysValid() throws Exception {
        store.recordIssued(certificate(1, "bob@EXAMPLE.COM", NOW), Optional.empty());
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordIssued(certificate(2), Optional.of(BigInteger.ONE)));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
        assertEquals(CertificateState.VALID, store.find(BigInteger.ONE).orElseThrow().state());
    }

    @Test
    public void recordIssued_duplicateSerial_enrollmentFailedAndNothingRecorded() throws Exception {
        store.recordIssued(certificate(1), Optional.empty());
        CertificateRecord again = certificate(1);
        CertificateRecord otherRequest = new CertificateRecord(again.serial(), ACME, again.owner(), again.email(), "req-other",
                "user", again.der(), again.notBefore(), again.notAfter(), CertificateState.VALID, null, null, null);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> store.recordIssued(otherRequest, Optional.empty()));
        assertEquals(ErrorCode.ENROLLMENT_FAILED, e.code());
        assertTrue(store.findRequest("req-other").isEmpty());
    }

    @Test
    public void recordIssued_twentyConcurrentRenewalsOfOneSerial_exactlyOneWins() throws Exception {
        store.recordIssued(certificate(1), Optional.empty());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ErrorCode>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                CertificateRecord renewal = certificate(100 + i);
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
    public void recordPending_thenFindRequest_pendingWithWhatTheClientSent() throws Exception {
        store.recordPending(pending("req-7", NOW));
        RequestRecord found = store.findRequest("req-7").orElseThrow();
        assertEquals(RequestRecord.State.PENDING, found.state());
        assertEquals(NOW, found.createdAt());
        assertEquals("user", found.submission().orElseThrow().template());
        assertTrue(found.submission().orElseThrow().csrPem().contains("CERTIFICATE REQUEST"));
    }

    @Test
    public void recordPending_thenIssued_requestBecomesIssuedAndKeepsItsCreationTime() throws Exception {
        store.recordPending(pending("req-7", NOW.minus(Duration.ofDays(2))));
        store.recordIssued(certificate(7), Optional.empty());
        RequestRecord issued = store.findRequest("req-7").orElseThrow();
        assertEquals(RequestRecord.State.ISSUED, issued.state());
        assertEquals(BigInteger.valueOf(7), issued.serial());
        assertEquals(NOW.minus(Duration.ofDays(2)), issued.createdAt());
    }

    @Test
    public void recordPending_sameIdTwice_enrollmentFailed() throws Exception {
        store.recordPending(pending("req-8", NOW));
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> store.recordPending(pending("req-8", NOW)));
        assertEquals(ErrorCode.ENROLLMENT_FAILED, e.code());
    }

    @Test
    public void find_unknown_empty() throws Exception {
        assertTrue(store.findRequest("nope").isEmpty());
        assertTrue(store.find(BigInteger.TEN).isEmpty());
    }

    @Test
    public void findByOwner_newestFirstAndOnlyThatOwnerAndCustomer() throws Exception {
        store.recordIssued(certificate(1, "alice@EXAMPLE.COM", NOW), Optional.empty());
        store.recordIssued(certificate(2, "alice@EXAMPLE.COM", NOW.plusSeconds(60)), Optional.empty());
        store.recordIssued(certificate(10, "bob@EXAMPLE.COM", NOW), Optional.empty());
        List<CertificateRecord> alice = store.findByOwner(ACME, "alice@EXAMPLE.COM");
        assertEquals(List.of(BigInteger.TWO, BigInteger.ONE), alice.stream().map(CertificateRecord::serial).toList());
        assertTrue(store.findByOwner(OTHER, "alice@EXAMPLE.COM").isEmpty());
    }

    @Test
    public void revoke_validCertificate_trueOnceWithReasonAndTime() throws Exception {
        store.recordIssued(certificate(1), Optional.empty());
        assertTrue(store.revoke(BigInteger.ONE, RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(30)));
        assertFalse(store.revoke(BigInteger.ONE, RevocationReason.UNSPECIFIED, NOW.plusSeconds(60)));
        assertFalse(store.revoke(BigInteger.TEN, RevocationReason.UNSPECIFIED, NOW));
        CertificateRecord revoked = store.find(BigInteger.ONE).orElseThrow();
        assertEquals(CertificateState.REVOKED, revoked.state());
        assertEquals(RevocationReason.KEY_COMPROMISE, revoked.revocationReason());
        assertEquals(NOW.plusSeconds(30), revoked.revokedAt());
    }

    @Test
    public void forEachRevoked_mixedStates_handsOnEveryRevokedAndNothingElse() throws Exception {
        for (int i = 1; i <= 30; i++) {
            store.recordIssued(certificate(i), Optional.empty());
            if (i % 3 != 0) {
                store.revoke(BigInteger.valueOf(i), RevocationReason.CESSATION_OF_OPERATION, NOW);
            }
        }
        List<BigInteger> seen = new ArrayList<>();
        store.forEachRevoked(record -> {
            assertEquals(CertificateState.REVOKED, record.state());
            seen.add(record.serial());
        });
        assertEquals(20, seen.size());
        assertEquals(20, seen.stream().distinct().count());
        assertTrue(seen.stream().noneMatch(serial -> serial.intValue() % 3 == 0), seen.toString());
    }

    /** The directory clean-up's one question: which of these serials are revoked (superseded included). */
    @Test
    public void revokedAmong_mixedUnknownAndSupersededSerials_exactlyTheRevokedOnes() throws Exception {
        List<BigInteger> asked = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            store.recordIssued(certificate(i), Optional.empty());
            if (i % 7 == 0) {
                store.revoke(BigInteger.valueOf(i), RevocationReason.KEY_COMPROMISE, NOW);
            }
            asked.add(BigInteger.valueOf(i));
        }
        store.recordIssued(certificate(301), Optional.of(BigInteger.valueOf(1)));
        asked.add(BigInteger.valueOf(999_999));

        java.util.Set<BigInteger> revoked = store.revokedAmong(asked);

        java.util.Set<BigInteger> expected = new java.util.HashSet<>();
        expected.add(BigInteger.ONE);
        for (int i = 7; i <= 300; i += 7) {
            expected.add(BigInteger.valueOf(i));
        }
        assertEquals(expected, revoked);
        assertTrue(store.revokedAmong(List.of()).isEmpty());
    }

    @Test
    public void recordStatus_knownSerial_storedAndStateKept() throws Exception {
        store.recordIssued(certificate(1), Optional.empty());
        store.revoke(BigInteger.ONE, RevocationReason.KEY_COMPROMISE, NOW);
        store.recordStatus(BigInteger.ONE, ReportedStatus.INSTALLED, NOW.plusSeconds(5));
        CertificateRecord found = store.find(BigInteger.ONE).orElseThrow();
        assertEquals(ReportedStatus.INSTALLED, found.reportedStatus());
        assertEquals(CertificateState.REVOKED, found.state());
    }

    @Test
    public void recordStatus_unknownSerial_invalidSerial() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> store.recordStatus(BigInteger.TEN, ReportedStatus.INSTALLED, NOW));
        assertEquals(ErrorCode.INVALID_SERIAL, e.code());
    }
}
