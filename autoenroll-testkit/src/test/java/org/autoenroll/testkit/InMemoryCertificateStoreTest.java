package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.RevocationReason;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store runs the store contract; and the officer and requirements queries
 * ({@code decide}, {@code findPending}, {@code findUsable}, {@code findWaiting}), which join the
 * contract once they are on the {@link CertificateStore} interface.
 */
class InMemoryCertificateStoreTest extends CertificateStoreContract {
    @Override
    protected CertificateStore newStore(Clock clock) {
        return new InMemoryCertificateStore(clock);
    }

    private InMemoryCertificateStore memory() {
        return (InMemoryCertificateStore) store;
    }

    @Test
    void decide_pendingRequest_approvedOnceWithOfficerAndTime() throws Exception {
        store.recordPending(pending("req-1", NOW));
        assertTrue(memory().decide("req-1", RequestRecord.State.APPROVED, "officer@EXAMPLE.COM", NOW.plusSeconds(9)));
        assertFalse(memory().decide("req-1", RequestRecord.State.DENIED, "other@EXAMPLE.COM", NOW.plusSeconds(10)));
        assertFalse(memory().decide("unknown", RequestRecord.State.DENIED, "other@EXAMPLE.COM", NOW));
        RequestRecord decided = store.findRequest("req-1").orElseThrow();
        assertEquals(RequestRecord.State.APPROVED, decided.state());
        assertEquals("officer@EXAMPLE.COM", decided.decidedBy());
        assertEquals(NOW.plusSeconds(9), decided.decidedAt());
        assertTrue(decided.submission().isPresent(), "an approved request keeps what the client sent");
    }

    @Test
    void decide_issuedAsDecision_illegalArgument() throws Exception {
        store.recordPending(pending("req-1", NOW));
        assertThrows(IllegalArgumentException.class,
                () -> memory().decide("req-1", RequestRecord.State.ISSUED, "officer@EXAMPLE.COM", NOW));
    }

    @Test
    void findPending_pagesOldestFirstAfterTheCursor() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.recordPending(pending("req-" + i, NOW.plusSeconds(i)));
        }
        memory().decide("req-2", RequestRecord.State.DENIED, "officer@EXAMPLE.COM", NOW);
        List<RequestRecord> first = memory().findPending(ACME, null, null, 2);
        assertEquals(List.of("req-0", "req-1"), first.stream().map(RequestRecord::id).toList());
        RequestRecord last = first.get(1);
        List<RequestRecord> next = memory().findPending(null, last.createdAt(), last.id(), 10);
        assertEquals(List.of("req-3", "req-4"), next.stream().map(RequestRecord::id).toList());
        assertTrue(memory().findPending(OTHER, null, null, 10).isEmpty());
    }

    @Test
    void findUsable_validUnexpiredOfTheProfile_newestFirstAndLimited() throws Exception {
        store.recordIssued(certificate(1, "alice@EXAMPLE.COM", NOW.minus(Duration.ofDays(400))), Optional.empty());
        store.recordIssued(certificate(2, "alice@EXAMPLE.COM", NOW.minus(Duration.ofDays(2))), Optional.empty());
        store.recordIssued(certificate(3, "alice@EXAMPLE.COM", NOW.minus(Duration.ofDays(1))), Optional.empty());
        store.recordIssued(certificate(4, "alice@EXAMPLE.COM", NOW), Optional.empty());
        store.revoke(BigInteger.valueOf(4), RevocationReason.KEY_COMPROMISE, NOW);
        assertEquals(List.of(BigInteger.valueOf(3), BigInteger.TWO), memory().findUsable(ACME, "alice@EXAMPLE.COM", "user", NOW, 5)
                .stream().map(r -> r.serial()).toList());
        assertEquals(1, memory().findUsable(ACME, "alice@EXAMPLE.COM", "user", NOW, 1).size());
        assertTrue(memory().findUsable(ACME, "alice@EXAMPLE.COM", "computer", NOW, 5).isEmpty());
    }

    @Test
    void findWaiting_pendingAndApprovedNewestFirst() throws Exception {
        store.recordPending(pending("req-a", NOW));
        store.recordPending(pending("req-b", NOW.plusSeconds(1)));
        store.recordPending(pending("req-c", NOW.plusSeconds(2)));
        memory().decide("req-b", RequestRecord.State.APPROVED, "officer@EXAMPLE.COM", NOW);
        memory().decide("req-c", RequestRecord.State.DENIED, "officer@EXAMPLE.COM", NOW);
        assertEquals(List.of("req-b", "req-a"), memory().findWaiting(ACME, "alice@EXAMPLE.COM", 10).stream()
                .map(RequestRecord::id).toList());
    }

    @Test
    void queries_limitOutsideOneToThousand_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> memory().findPending(null, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> memory().findWaiting(ACME, "alice@EXAMPLE.COM", 1001));
        assertThrows(IllegalArgumentException.class, () -> memory().findUsable(ACME, "alice@EXAMPLE.COM", "user", NOW, -1));
    }

    @Test
    void decide_blankOfficer_illegalArgumentAndStillPending() throws Exception {
        store.recordPending(pending("req-1", NOW));
        assertThrows(IllegalArgumentException.class, () -> memory().decide("req-1", RequestRecord.State.APPROVED, " ", NOW));
        assertEquals(RequestRecord.State.PENDING, store.findRequest("req-1").orElseThrow().state());
    }
}
