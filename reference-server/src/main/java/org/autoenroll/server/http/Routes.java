package org.autoenroll.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.api.TicketValidator;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.ApprovalService;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.RevocationService;
import org.autoenroll.core.requirements.RequirementsService;

/**
 * The reference protocol's routes in one place: the authenticated API under {@code /api/v1} and
 * the public CA certificate, CRL and health checks ({@code /healthz}, {@code /healthz/live},
 * {@code /healthz/ready}); the operators' routes under {@code /admin/v1} and {@code /metrics} when
 * operators are configured (listing requests, searching certificates, the expiry report and metrics
 * for auditors and officers; revoking, approving, denying, publishing a CRL and reloading the configuration for officers), and
 * the OpenAPI description at {@code /openapi.json}. Stateless.
 */
public final class Routes {
    private Routes() {
    }

    /** The request URI as sent (not percent-decoded) after {@code prefix}: OCSP GET requests are base64 in the path. */
    static String rawPathAfter(String requestUri, String prefix) {
        int at = requestUri.indexOf(prefix);
        return at < 0 ? "" : requestUri.substring(at + prefix.length());
    }

    /**
     * @param admin the operators' authentication, or empty to leave the administration routes out
     * @param bodyDeadline how long a whole request body may take to arrive
     */
    public static Router create(EnrollmentService service, TicketValidator validator, CaPublication ca,
                                HealthCheck health, int maxBodyBytes, Duration bodyDeadline, RevocationService revocations,
                                ApprovalService approvals, Optional<AdminAuthentication> admin, Clock clock,
                                RequirementsService requirements, Optional<org.autoenroll.server.WindowsEnrollment> windows,
                                Operations operations, ConfigReloading reloading) {
        // JSON bodies only: a browser cannot send application/json cross-site without a CORS preflight, which is never granted
        BodyReader bodies = BodyReader.json(maxBodyBytes);
        Router.Builder builder = new Router.Builder(new NegotiateAuthentication(validator)).bodyDeadline(bodyDeadline)
                .audit(operations.audit());
        windows.ifPresent(w -> SoapRoutes.add(builder, w));
        admin.ifPresent(operators -> builder
                .operator("POST", "/admin/v1/revoke", operators, AdminAuthentication.Role.OFFICER, bodies,
                        new RevokeEndpoint(revocations, bodies, operations.audit()))
                .operator("GET", "/metrics", operators, AdminAuthentication.Role.AUDITOR, null, (exchange, operator) ->
                        Responses.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                                operations.metrics().get().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .operator("POST", "/admin/v1/reload", operators, AdminAuthentication.Role.OFFICER, null,
                        new ReloadEndpoint(reloading))
                .operator("GET", "/admin/v1/requests", operators, AdminAuthentication.Role.AUDITOR, null,
                        new AdminRequestsEndpoint(approvals, clock))
                .operator("GET", CertificatesEndpoint.PATH, operators, AdminAuthentication.Role.AUDITOR, null,
                        new CertificatesEndpoint(operations.certificates()))
                .operatorPrefix("GET", CertificateEndpoint.PREFIX, operators, AdminAuthentication.Role.AUDITOR,
                        new CertificateEndpoint(operations.certificates()))
                .operator("GET", ExpiryReportEndpoint.PATH, operators, AdminAuthentication.Role.AUDITOR, null,
                        new ExpiryReportEndpoint(operations.certificates(), clock))
                .operator("POST", CrlPublishEndpoint.PATH, operators, AdminAuthentication.Role.OFFICER, bodies,
                        new CrlPublishEndpoint(operations.crl(), ca, bodies, operations.audit()))
                .operatorSegment("POST", DecisionEndpoint.PREFIX, DecisionEndpoint.suffix(RequestRecord.State.APPROVED),
                        operators, AdminAuthentication.Role.OFFICER, bodies,
                        new DecisionEndpoint(approvals, bodies, RequestRecord.State.APPROVED, clock, operations.audit()))
                .operatorSegment("POST", DecisionEndpoint.PREFIX, DecisionEndpoint.suffix(RequestRecord.State.DENIED),
                        operators, AdminAuthentication.Role.OFFICER, bodies,
                        new DecisionEndpoint(approvals, bodies, RequestRecord.State.DENIED, clock, operations.audit())));
        return publication(builder, ca, clock)
                .authenticated("POST", "/api/v1/enroll", bodies, new EnrollEndpoint(service, bodies))
                .authenticatedPrefix("GET", CollectEndpoint.PREFIX, new CollectEndpoint(service))
                .authenticated("POST", "/api/v1/status", bodies, new StatusEndpoint(service, bodies))
                .authenticated("GET", RequirementsEndpoint.PATH, new RequirementsEndpoint(requirements, bodies))
                .authenticated("POST", RequirementsEndpoint.PATH, bodies, new RequirementsEndpoint(requirements, bodies))
                .publicRoute("GET", "/healthz", (exchange, caller) -> {
                    boolean up = health.healthy();
                    Responses.json(exchange, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN"));
                })
                .publicRoute("GET", OpenApi.PATH, OpenApi.load().endpoint())
                .publicRoute("GET", "/healthz/live", (exchange, caller) -> Responses.json(exchange, 200, Map.of("status", "UP")))
                .publicRoute("GET", "/healthz/ready", (exchange, caller) ->
                        Readiness.answer(exchange, operations.readiness().check()))
                .build();
    }

    /**
     * Only what relying parties fetch, for the plain-HTTP listener: RFC 5280 wants CRL distribution
     * points and AIA over HTTP (a CRL fetched over HTTPS would need revocation checking itself).
     */
    public static Router publicationOnly(TicketValidator validator, CaPublication ca, Duration bodyDeadline, Clock clock) {
        return publication(new Router.Builder(new NegotiateAuthentication(validator)).bodyDeadline(bodyDeadline), ca, clock)
                .build();
    }

    private static Router.Builder publication(Router.Builder builder, CaPublication ca, Clock clock) {
        // any media type: OCSP is public and acts for no one, and RFC 6960 clients differ in what they send
        BodyReader ocspBodies = new BodyReader(Publication.MAX_OCSP_REQUEST_BYTES);
        Publication publication = new Publication(clock);
        return builder
                .publicRoute("GET", "/ca.crt", (exchange, caller) ->
                        Responses.send(exchange, 200, "application/pkix-cert", ca.caCertificate()))
                .publicRoute("GET", "/crl", (exchange, caller) -> publication.crl(exchange, ca.openCrl()))
                .publicRoute("GET", "/crl/delta", (exchange, caller) -> publication.crl(exchange, ca.openDeltaCrl()))
                .publicRoute("POST", "/ocsp", ocspBodies, (exchange, caller) ->
                        publication.ocsp(exchange, ca.ocsp(ocspBodies.read(exchange)), false))
                .publicPrefix("GET", "/ocsp/", (exchange, caller) -> publication.ocsp(exchange,
                        ca.ocspGet(rawPathAfter(exchange.getRequestURI(), "/ocsp/")), true));
    }
}
