package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.server.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/crl} (no body, or {@code {}}): an officer has a new full CRL built and
 * served now, instead of at the next refresh; 200 {@code {crlNumber, thisUpdate, nextUpdate,
 * bytes}}, the number in upper-case hex. Recorded in the audit log (event {@code CRL_PUBLISHED},
 * with the operator and the number). Thread-safe.
 */
final class CrlPublishEndpoint implements OperatorEndpoint {
    static final String PATH = "/admin/v1/crl";
    private static final Logger LOG = LoggerFactory.getLogger(CrlPublishEndpoint.class);

    /** The optional body: an empty object. */
    record Body() {
    }

    private final Operations.CrlPublishing publishing;
    private final CaPublication ca;
    private final BodyReader bodies;
    private final AuditTrail audit;

    CrlPublishEndpoint(Operations.CrlPublishing publishing, CaPublication ca, BodyReader bodies, AuditTrail audit) {
        this.publishing = publishing;
        this.ca = ca;
        this.bodies = bodies;
        this.audit = audit;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        byte[] body = bodies.read(exchange);
        if (body.length > 0) {
            Json.read(body, Body.class);
        }
        BigInteger number = publishing.publishNow();
        String hex = org.autoenroll.core.internal.Serials.format(number);
        CrlStatus.Snapshot served = CrlStatus.read(ca);
        LOG.info("operator {} published CRL number {}", operator.name(), hex);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("operator", operator.name());
        event.put("crlNumber", hex);
        audit.record("CRL_PUBLISHED", event);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("crlNumber", hex);
        answer.put("thisUpdate", served.thisUpdate().toString());
        answer.put("nextUpdate", served.nextUpdate().map(Object::toString).orElse(null));
        answer.put("bytes", served.bytes());
        Responses.json(exchange, 200, answer);
    }
}
