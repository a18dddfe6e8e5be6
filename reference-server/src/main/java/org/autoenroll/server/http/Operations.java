package org.autoenroll.server.http;

import java.util.Objects;
import java.util.function.Supplier;
import org.autoenroll.server.audit.AuditTrail;

/**
 * What the routes need for operators' oversight: where operators' logins are audited, the
 * readiness components of {@code /healthz/ready}, and the Prometheus text of {@code /metrics}.
 *
 * @param metrics the Prometheus text exposition (format 0.0.4) of the server's meters, made at each call
 */
public record Operations(AuditTrail audit, Readiness readiness, Supplier<String> metrics) {
    public Operations {
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
    }
}
