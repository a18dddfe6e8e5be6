package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.ApprovalService;

/**
 * {@code POST /admin/v1/requests/{id}/approve} and {@code .../deny} (body optional; for deny
 * {@code {reason}}): an officer decides a pending request and is recorded as its decider (and in the audit log, event
 * {@code APPROVED} or {@code DENIED}); 200 with
 * the request as decided. A request that is unknown or not pending any more is
 * {@link ErrorCode#REQUEST_NOT_FOUND} (46); approving one older than 60 days is
 * {@link ErrorCode#REQUEST_EXPIRED} (56). Thread-safe.
 */
final class DecisionEndpoint implements OperatorEndpoint {
    static final String PREFIX = "/admin/v1/requests/";
    /** The longest request id the store keeps. */
    private static final int MAX_ID_CHARS = 128;

    /** The optional body of an approval: an empty object. */
    record ApproveBody() {
    }

    /** The optional body of a denial. */
    record DenyBody(String reason) {
    }

    private final ApprovalService approvals;
    private final BodyReader bodies;
    private final RequestRecord.State decision;
    private final Clock clock;
    private final org.autoenroll.server.audit.AuditTrail audit;

    DecisionEndpoint(ApprovalService approvals, BodyReader bodies, RequestRecord.State decision, Clock clock,
                     org.autoenroll.server.audit.AuditTrail audit) {
        this.approvals = approvals;
        this.bodies = bodies;
        this.decision = decision;
        this.clock = clock;
        this.audit = audit;
    }

    /** The path's suffix for this decision. */
    static String suffix(RequestRecord.State decision) {
        return decision == RequestRecord.State.APPROVED ? "/approve" : "/deny";
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        String path = exchange.getRequestPath();
        String id = path.substring(PREFIX.length(), path.length() - suffix(decision).length());
        byte[] body = bodies.read(exchange);
        if (id.length() > MAX_ID_CHARS) {
            throw new EnrollmentException(ErrorCode.REQUEST_NOT_FOUND, "no request has an id that long");
        }
        RequestRecord decided;
        String reason = null;
        if (decision == RequestRecord.State.APPROVED) {
            if (body.length > 0) {
                // an approval carries nothing; "{}" is accepted for clients that always send a body
                Json.read(body, ApproveBody.class);
            }
            decided = approvals.approve(id, operator.name());
        } else {
            reason = body.length == 0 ? null : Json.read(body, DenyBody.class).reason();
            decided = approvals.deny(id, operator.name(), reason);
        }
        java.util.Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("operator", operator.name());
        event.put("requestId", decided.id());
        event.put("owner", decided.owner());
        event.put("customerUri", decided.customerUri());
        event.put("template", decided.submitted() == null ? null : decided.submitted().template());
        event.put("reason", reason);
        audit.record(decided.state().name(), event);
        Responses.json(exchange, 200, AdminRequestsEndpoint.json(decided, clock.instant()));
    }
}
