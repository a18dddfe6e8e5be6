package org.autoenroll.server.http;

import java.math.BigInteger;
import java.util.Objects;
import java.util.function.Supplier;
import org.autoenroll.api.CertificateSearch;
import org.autoenroll.server.audit.AuditTrail;

/**
 * What the routes need for operators' oversight: where operators' logins are audited, the
 * readiness components of {@code /healthz/ready}, the Prometheus text of {@code /metrics}, the
 * certificate searches and the CRL publication of the admin API.
 *
 * @param metrics the Prometheus text exposition (format 0.0.4) of the server's meters, made at each call
 * @param certificates searches issued certificates, a page at a time along an index
 * @param crl builds and serves a new full CRL now
 */
public record Operations(AuditTrail audit, Readiness readiness, Supplier<String> metrics, CertificateSearch certificates,
                         CrlPublishing crl) {
    public Operations {
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(crl, "crl");
    }

    /** Publishes a new full CRL now (an officer's request); the CRL served from then on is the new one. */
    @FunctionalInterface
    public interface CrlPublishing {
        /** @return the new CRL's number */
        BigInteger publishNow() throws Exception;
    }
}
