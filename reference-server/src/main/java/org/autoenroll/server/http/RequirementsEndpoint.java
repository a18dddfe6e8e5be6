package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.requirements.Action;
import org.autoenroll.core.requirements.HeldCertificate;
import org.autoenroll.core.requirements.RequirementsService;

/**
 * {@code GET /api/v1/requirements?customerUri=...} and {@code POST /api/v1/requirements} with
 * {@code {customerUri, held: [{serial, state}]}}: the caller's requirements list, as
 * {@code {"actions": [{"action": "ENROLL", "template": "User", "reason": "..."}, ...]}}, empty when
 * nothing is due. {@code state} is VALID, NO_PRIVATE_KEY or EXPIRED. Thread-safe.
 */
final class RequirementsEndpoint implements Endpoint {
    static final String PATH = "/api/v1/requirements";

    /** What a client may POST: what it holds. */
    record Body(String customerUri, com.fasterxml.jackson.databind.JsonNode orgId, List<Held> held) {
    }

    record Held(String serial, String state) {
    }

    private final RequirementsService requirements;
    private final BodyReader bodies;

    RequirementsEndpoint(RequirementsService requirements, BodyReader bodies) {
        this.requirements = requirements;
        this.bodies = bodies;
    }

    @Override
    public void handle(HttpServerExchange exchange, AuthenticatedPrincipal caller) throws Exception {
        List<Action> actions;
        if ("POST".equals(exchange.getRequestMethod().toString())) {
            Body body = Json.read(bodies.read(exchange), Body.class);
            EnrollEndpoint.orgId(body.orgId());
            actions = requirements.requirements(caller, body.customerUri(), Optional.of(held(body.held())));
        } else {
            actions = requirements.requirements(caller, query(exchange, "customerUri"), Optional.empty());
        }
        List<Map<String, String>> rendered = new ArrayList<>();
        for (Action action : actions) {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("action", action.kind().name());
            if (action.template() != null) {
                item.put("template", action.template());
            }
            action.certificateSerial().ifPresent(serial -> item.put("serial", serial));
            action.request().ifPresent(id -> item.put("requestId", id));
            item.put("reason", action.reason());
            rendered.add(item);
        }
        Responses.json(exchange, 200, Map.of("actions", rendered));
    }

    private static List<HeldCertificate> held(List<Held> held) throws EnrollmentException {
        if (held == null) {
            return List.of();
        }
        if (held.size() > RequirementsService.MAX_REPORTED) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST,
                    "at most " + RequirementsService.MAX_REPORTED + " certificates may be reported");
        }
        List<HeldCertificate> result = new ArrayList<>();
        for (Held h : held) {
            if (h == null || h.serial() == null || h.state() == null) {
                throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "each held certificate needs a serial and a state");
            }
            HeldCertificate.LocalState state;
            try {
                state = HeldCertificate.LocalState.valueOf(h.state().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "state must be VALID, NO_PRIVATE_KEY or EXPIRED");
            }
            result.add(new HeldCertificate(h.serial(), state));
        }
        return result;
    }

    private static String query(HttpServerExchange exchange, String name) throws EnrollmentException {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "parameter " + name + " is given more than once");
        }
        return values.getFirst();
    }
}
