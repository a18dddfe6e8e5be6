package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.ApprovalService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/v1/requests?state=PENDING[&customerUri=...][&after=CURSOR][&limit=N]}: one page
 * of pending requests, oldest first, with what each client sent (the CSR too, for the officer to
 * read): 200 {@code {requests: [...], next}}, where {@code next} is the opaque cursor of the next
 * page, or null on the last. Unknown, repeated or malformed parameters are
 * {@link ErrorCode#MALFORMED_REQUEST} (44). For auditors and officers. Thread-safe.
 */
final class AdminRequestsEndpoint implements OperatorEndpoint {
    static final int DEFAULT_LIMIT = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AdminRequestsEndpoint.class);
    private static final Set<String> PARAMETERS = Set.of("state", "customerUri", "after", "limit");
    private static final int MAX_CURSOR_CHARS = 512;

    private final ApprovalService approvals;
    private final Clock clock;

    AdminRequestsEndpoint(ApprovalService approvals, Clock clock) {
        this.approvals = approvals;
        this.clock = clock;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        Map<String, Deque<String>> query = exchange.getQueryParameters();
        for (Map.Entry<String, Deque<String>> parameter : query.entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw malformed("unknown parameter; known: state, customerUri, after, limit");
            }
            if (parameter.getValue().size() != 1) {
                throw malformed("parameter " + parameter.getKey() + " is given more than once");
            }
        }
        String state = single(query, "state");
        if (state != null && !state.equals(RequestRecord.State.PENDING.name())) {
            throw malformed("only state=PENDING can be listed");
        }
        String customerUri = single(query, "customerUri");
        ApprovalService.Cursor after = single(query, "after") == null ? null : decode(single(query, "after"));
        int limit = limit(single(query, "limit"));
        List<RequestRecord> page = approvals.pending(customerUri, after, limit);
        Instant now = clock.instant();
        List<Map<String, Object>> requests = new ArrayList<>();
        for (RequestRecord request : page) {
            requests.add(json(request, now));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("requests", requests);
        answer.put("next", page.size() == limit ? encode(ApprovalService.Cursor.after(page.get(page.size() - 1))) : null);
        LOG.info("operator {} listed {} pending requests", operator.name(), page.size());
        Responses.json(exchange, 200, answer);
    }

    /** A request as the admin API shows it. */
    static Map<String, Object> json(RequestRecord request, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requestId", request.id());
        json.put("customerUri", request.customerUri());
        json.put("owner", request.owner());
        json.put("state", request.state().name());
        json.put("createdAt", request.createdAt().toString());
        json.put("expired", request.isExpiredAt(now));
        request.submission().ifPresent(sent -> {
            json.put("template", sent.template());
            json.put("orgId", sent.orgId());
            json.put("email", sent.email());
            json.put("commonName", sent.commonName());
            json.put("renewSerial", sent.renewSerial());
            json.put("csr", sent.csrPem());
        });
        if (request.decidedBy() != null) {
            json.put("decidedBy", request.decidedBy());
            json.put("decidedAt", request.decidedAt().toString());
        }
        return json;
    }

    private static String single(Map<String, Deque<String>> query, String name) {
        Deque<String> values = query.get(name);
        return values == null ? null : values.getFirst();
    }

    private static int limit(String value) throws EnrollmentException {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= ApprovalService.MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw malformed("limit must be a number between 1 and " + ApprovalService.MAX_PAGE);
    }

    /** The cursor is base64url of {@code <createdAt ISO-8601> <id>}: opaque to clients. */
    static String encode(ApprovalService.Cursor cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (cursor.createdAt() + " " + cursor.id()).getBytes(StandardCharsets.UTF_8));
    }

    static ApprovalService.Cursor decode(String cursor) throws EnrollmentException {
        try {
            if (cursor.length() <= MAX_CURSOR_CHARS) {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int space = text.indexOf(' ');
                if (space > 0 && space < text.length() - 1) {
                    return new ApprovalService.Cursor(Instant.parse(text.substring(0, space)), text.substring(space + 1));
                }
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // refused below
        }
        throw malformed("after is not a cursor this server gave (the next of a previous page)");
    }

    private static EnrollmentException malformed(String detail) {
        return new EnrollmentException(ErrorCode.MALFORMED_REQUEST, detail);
    }
}
