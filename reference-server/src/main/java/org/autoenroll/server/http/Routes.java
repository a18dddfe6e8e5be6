package org.autoenroll.server.http;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.api.TicketValidator;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.RevocationService;

/**
 * The reference protocol's routes in one place: the authenticated API under {@code /api/v1} and
 * the public CA certificate, CRL and health check; the operators' routes under {@code /admin/v1}
 * when an admin token is configured. Stateless.
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
     */
    public static Router create(EnrollmentService service, TicketValidator validator, CaPublication ca,
                                HealthCheck health, int maxBodyBytes, RevocationService revocations,
                                Optional<AdminAuthentication> admin, Clock clock) {
        return create(service, validator, ca, health, maxBodyBytes, revocations, admin, clock, Optional.empty());
    }

    /**
     * @param windows Windows-native enrollment (CEP and CES at AD CS's paths), or empty for none
     */
    public static Router create(EnrollmentService service, TicketValidator validator, CaPublication ca,
                                HealthCheck health, int maxBodyBytes, RevocationService revocations,
                                Optional<AdminAuthentication> admin, Clock clock,
                                Optional<org.autoenroll.server.WindowsEnrollment> windows) {
        BodyReader bodies = new BodyReader(maxBodyBytes);
        Router.Builder builder = new Router.Builder(new NegotiateAuthentication(validator));
        windows.ifPresent(w -> SoapRoutes.add(builder, w));
        admin.ifPresent(operators -> builder.operator("POST", "/admin/v1/revoke", operators,
                new RevokeEndpoint(revocations, bodies)));
        return publication(builder, ca, clock)
                .authenticated("POST", "/api/v1/enroll", new EnrollEndpoint(service, bodies))
                .authenticatedPrefix("GET", CollectEndpoint.PREFIX, new CollectEndpoint(service))
                .authenticated("POST", "/api/v1/status", new StatusEndpoint(service, bodies))
                .publicRoute("GET", "/healthz", (exchange, caller) -> {
                    boolean up = health.healthy();
                    Responses.json(exchange, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN"));
                })
                .build();
    }

    /**
     * Only what relying parties fetch, for the plain-HTTP listener: RFC 5280 wants CRL distribution
     * points and AIA over HTTP (a CRL fetched over HTTPS would need revocation checking itself).
     */
    public static Router publicationOnly(TicketValidator validator, CaPublication ca, Clock clock) {
        return publication(new Router.Builder(new NegotiateAuthentication(validator)), ca, clock).build();
    }

    private static Router.Builder publication(Router.Builder builder, CaPublication ca, Clock clock) {
        BodyReader ocspBodies = new BodyReader(Publication.MAX_OCSP_REQUEST_BYTES);
        Publication publication = new Publication(clock);
        return builder
                .publicRoute("GET", "/ca.crt", (exchange, caller) ->
                        Responses.send(exchange, 200, "application/pkix-cert", ca.caCertificate()))
                .publicRoute("GET", "/crl", (exchange, caller) -> publication.crl(exchange, ca.openCrl()))
                .publicRoute("GET", "/crl/delta", (exchange, caller) -> publication.crl(exchange, ca.openDeltaCrl()))
                .publicRoute("POST", "/ocsp", (exchange, caller) ->
                        publication.ocsp(exchange, ca.ocsp(ocspBodies.read(exchange)), false))
                .publicPrefix("GET", "/ocsp/", (exchange, caller) -> publication.ocsp(exchange,
                        ca.ocspGet(rawPathAfter(exchange.getRequestURI(), "/ocsp/")), true));
    }
}
