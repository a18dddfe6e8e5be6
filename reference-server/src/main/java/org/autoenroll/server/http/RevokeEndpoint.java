package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.core.RevocationService;
import org.autoenroll.core.internal.Serials;

/**
 * {@code POST /admin/v1/revoke {serial, reason}}: an operator revokes a valid certificate; 200
 * {@code {status:"REVOKED", serial, owner, reason}}. The CRL and OCSP reflect it at once. For
 * officers; the log and the audit log (event {@code REVOKED}) name the operator. Thread-safe.
 */
final class RevokeEndpoint implements OperatorEndpoint {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RevokeEndpoint.class);

    /** The request body. */
    record Body(String serial, String reason) {
    }

    private final RevocationService revocations;
    private final BodyReader bodies;
    private final org.autoenroll.server.audit.AuditTrail audit;

    RevokeEndpoint(RevocationService revocations, BodyReader bodies, org.autoenroll.server.audit.AuditTrail audit) {
        this.revocations = revocations;
        this.bodies = bodies;
        this.audit = audit;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception {
        Body body = Json.read(bodies.read(exchange), Body.class);
        CertificateRecord revoked = revocations.revoke(body.serial(), body.reason());
        LOG.info("operator {} revoked certificate {} of {}", operator.name(), Serials.format(revoked.serial()),
                revoked.owner());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("operator", operator.name());
        event.put("serial", Serials.format(revoked.serial()));
        event.put("owner", revoked.owner());
        event.put("reason", RevocationService.parseReason(body.reason()).name());
        audit.record("REVOKED", event);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "REVOKED");
        answer.put("serial", Serials.format(revoked.serial()));
        answer.put("owner", revoked.owner());
        answer.put("reason", RevocationService.parseReason(body.reason()).name());
        Responses.json(exchange, 200, answer);
    }
}
