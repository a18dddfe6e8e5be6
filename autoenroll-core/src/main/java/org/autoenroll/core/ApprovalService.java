package org.autoenroll.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RequestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate manager's side of requests that pend for approval (seed 002): list the pending
 * ones a page at a time, approve or deny one, naming the officer, who is recorded with the
 * decision. Only a pending request can be decided; the requester collects an approved one, which
 * then runs through every check again. Callers must have authenticated the officer and checked
 * their role; this class trusts its caller. Thread-safe.
 */
public final class ApprovalService {
    /** The most requests one page holds. */
    public static final int MAX_PAGE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalService.class);
    private static final int MAX_REASON_CHARS = 512;

    private final CertificateStore certificates;
    private final Clock clock;

    public ApprovalService(CertificateStore certificates, Clock clock) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Pending requests, oldest first, after the cursor of the previous page's last one.
     *
     * @param customerUri one customer's, or null for all
     * @param after the previous page's last request's createdAt and id, or null for the first page
     * @throws EnrollmentException {@link ErrorCode#MALFORMED_REQUEST} (44) when {@code limit} is
     *     not between 1 and {@value #MAX_PAGE}
     */
    public List<RequestRecord> pending(String customerUri, Cursor after, int limit) throws EnrollmentException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "limit must be between 1 and " + MAX_PAGE);
        }
        return certificates.findPending(customerUri, after == null ? null : after.createdAt(),
                after == null ? null : after.id(), limit);
    }

    /**
     * Approves a pending request.
     *
     * @return the request as approved
     * @throws EnrollmentException {@link ErrorCode#REQUEST_NOT_FOUND} (46) when no pending
     *     request has the id (unknown, already decided or issued); {@link ErrorCode#REQUEST_EXPIRED}
     *     (56) when it waited longer than {@link RequestRecord#PENDING_LIFETIME}: nothing changes
     */
    public RequestRecord approve(String requestId, String officer) throws EnrollmentException {
        Instant now = clock.instant();
        RequestRecord request = pendingRequest(requestId);
        if (request.isExpiredAt(now)) {
            throw new EnrollmentException(ErrorCode.REQUEST_EXPIRED, "request " + requestId + " waited more than "
                    + RequestRecord.PENDING_LIFETIME.toDays() + " days; its owner must enroll again");
        }
        RequestRecord approved = decide(request, RequestRecord.State.APPROVED, officer, now);
        LOG.info("request {} of {} ({}) approved by {}", requestId, request.owner(), request.customerUri(), officer);
        return approved;
    }

    /**
     * Denies a pending request (an expired one too, which clears it from the pending list).
     *
     * @param reason why, for the log; may be null
     * @return the request as denied
     * @throws EnrollmentException {@link ErrorCode#REQUEST_NOT_FOUND} (46) when no pending
     *     request has the id; {@link ErrorCode#MALFORMED_REQUEST} (44) for a reason longer than
     *     512 characters: nothing changes
     */
    public RequestRecord deny(String requestId, String officer, String reason) throws EnrollmentException {
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "the reason is longer than "
                    + MAX_REASON_CHARS + " characters");
        }
        RequestRecord request = pendingRequest(requestId);
        RequestRecord denied = decide(request, RequestRecord.State.DENIED, officer, clock.instant());
        LOG.info("request {} of {} ({}) denied by {}{}", requestId, request.owner(), request.customerUri(), officer,
                reason == null || reason.isBlank() ? "" : ": " + reason.replaceAll("\\p{Cntrl}", "?"));
        return denied;
    }

    private RequestRecord pendingRequest(String requestId) throws EnrollmentException {
        Objects.requireNonNull(requestId, "requestId");
        RequestRecord request = certificates.findRequest(requestId).orElseThrow(() -> notPending(requestId));
        if (request.state() != RequestRecord.State.PENDING) {
            throw notPending(requestId);
        }
        return request;
    }

    private RequestRecord decide(RequestRecord request, RequestRecord.State decision, String officer, Instant now)
            throws EnrollmentException {
        Objects.requireNonNull(officer, "officer");
        // another officer may have decided since it was read: the store changes a pending request only
        if (!certificates.decide(request.id(), decision, officer, now)) {
            throw notPending(request.id());
        }
        return new RequestRecord(request.id(), request.customerUri(), request.owner(), decision, null,
                request.createdAt(), request.submitted(), officer, now);
    }

    private static EnrollmentException notPending(String requestId) {
        return new EnrollmentException(ErrorCode.REQUEST_NOT_FOUND, "no pending request has id " + requestId);
    }

    /** Where a page of pending requests continues: after this creation time and, at that time, this id. */
    public record Cursor(Instant createdAt, String id) {
        public Cursor {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(id, "id");
        }

        /** The cursor after {@code last}. */
        public static Cursor after(RequestRecord last) {
            return new Cursor(last.createdAt(), last.id());
        }
    }
}
