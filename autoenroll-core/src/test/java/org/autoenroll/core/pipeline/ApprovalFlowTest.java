package org.autoenroll.core.pipeline;

import static org.autoenroll.core.pipeline.PipelineTest.CSR;
import static org.autoenroll.core.pipeline.PipelineTest.CUST;
import static org.autoenroll.core.pipeline.PipelineTest.PROFILE;
import static org.autoenroll.core.pipeline.PipelineTest.TENANTS;
import static org.autoenroll.core.pipeline.PipelineTest.caller;
import static org.autoenroll.core.pipeline.PipelineTest.entry;
import static org.autoenroll.core.pipeline.PipelineTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pending requests: approved ones run the pipeline again when collected, denied and expired ones are refused. */
class ApprovalFlowTest {
    final Instant start = Instant.parse("2026-11-28T12:00:00Z");
    Clock clock = Clock.fixed(start, ZoneOffset.UTC);
    final Map<String, DirectoryEntry> directory = new HashMap<>(Map.of("alice", entry("alice", "alice@example.com", "Alice Example", false)));
    InMemoryStores stores;

    /** Pends unless approved, as a template with manager approval does. */
    static final EnrollmentPolicy APPROVAL = request -> request.approved()
            ? new EnrollmentPolicy.Issue(PROFILE) : new EnrollmentPolicy.Pend(PROFILE, "manager approval");

    @BeforeEach
    void setUp() {
        stores = new InMemoryStores();
    }

    EnrollmentService service() throws Exception {
        return EnrollmentService.builder().tenants(TENANTS).directory((server, principal) -> {
            DirectoryEntry found = directory.get(principal.name());
            if (found == null) {
                throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "not found");
            }
            return found;
        }).policy(APPROVAL).signer(new TestSigner(clock)).certificates(stores).persons(stores).clock(clock).build();
    }

    String pend() throws Exception {
        EnrollmentResult result = service().enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR));
        assertEquals(EnrollmentResult.Status.PENDING, result.status());
        RequestRecord recorded = stores.findRequest(result.requestId()).orElseThrow();
        assertEquals(CSR, recorded.submitted().csrPem(), "what the client sent is kept for the approval");
        return result.requestId();
    }

    @Test
    void collect_approved_runsThePipelineAgainAndIssuesUnderTheSameRequestId() throws Exception {
        String id = pend();
        assertTrue(stores.decide(id, RequestRecord.State.APPROVED, "officer-olga", start));
        EnrollmentResult collected = service().collect(caller("alice"), id);
        assertEquals(EnrollmentResult.Status.ISSUED, collected.status());
        assertEquals(id, collected.requestId());
        assertEquals(1, stores.certificates.size());
        assertEquals(RequestRecord.State.ISSUED, stores.findRequest(id).orElseThrow().state());
        assertEquals(EnrollmentResult.Status.ISSUED, service().collect(caller("alice"), id).status(), "collecting again answers the same");
        assertEquals(1, stores.certificates.size(), "and signs nothing new");
    }

    @Test
    void collect_denied_refusesWith55() throws Exception {
        String id = pend();
        stores.decide(id, RequestRecord.State.DENIED, "officer-olga", start);
        assertEquals(ErrorCode.REQUEST_DENIED, assertThrows(EnrollmentException.class,
                () -> service().collect(caller("alice"), id)).code());
        assertTrue(stores.certificates.isEmpty());
    }

    @Test
    void collect_pendingLongerThan60Days_refusesWith56() throws Exception {
        String id = pend();
        clock = Clock.fixed(start.plus(Duration.ofDays(60)), ZoneOffset.UTC);
        assertEquals(ErrorCode.REQUEST_EXPIRED, assertThrows(EnrollmentException.class,
                () -> service().collect(caller("alice"), id)).code());
    }

    @Test
    void collect_approvedButTheAccountWasDisabledMeanwhile_refusesWith45AndIssuesNothing() throws Exception {
        String id = pend();
        stores.decide(id, RequestRecord.State.APPROVED, "officer-olga", start);
        directory.put("alice", entry("alice", "alice@example.com", "Alice Example", true));
        assertEquals(ErrorCode.ACCOUNT_DISABLED, assertThrows(EnrollmentException.class,
                () -> service().collect(caller("alice"), id)).code());
        assertTrue(stores.certificates.isEmpty());
    }

    @Test
    void collect_someoneElsesRequest_isNotFound() throws Exception {
        String id = pend();
        stores.decide(id, RequestRecord.State.APPROVED, "officer-olga", start);
        assertEquals(ErrorCode.REQUEST_NOT_FOUND, assertThrows(EnrollmentException.class,
                () -> service().collect(caller("bob"), id)).code());
    }
}
