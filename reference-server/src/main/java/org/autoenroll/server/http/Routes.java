package org.autoenroll.server.http;

import java.util.Map;
import org.autoenroll.api.TicketValidator;
import org.autoenroll.core.EnrollmentService;

/**
 * The reference protocol's routes in one place: the authenticated API under {@code /api/v1} and
 * the public CA certificate, CRL and health check. Stateless.
 */
public final class Routes {
    private Routes() {
    }

    public static Router create(EnrollmentService service, TicketValidator validator, CaPublication ca,
                                HealthCheck health, int maxBodyBytes) {
        BodyReader bodies = new BodyReader(maxBodyBytes);
        return new Router.Builder(new NegotiateAuthentication(validator))
                .authenticated("POST", "/api/v1/enroll", new EnrollEndpoint(service, bodies))
                .authenticatedPrefix("GET", CollectEndpoint.PREFIX, new CollectEndpoint(service))
                .authenticated("POST", "/api/v1/status", new StatusEndpoint(service, bodies))
                .publicRoute("GET", "/ca.crt", (exchange, caller) ->
                        Responses.send(exchange, 200, "application/pkix-cert", ca.caCertificate()))
                .publicRoute("GET", "/crl", (exchange, caller) ->
                        Responses.send(exchange, 200, "application/pkix-crl", ca.currentCrl()))
                .publicRoute("GET", "/healthz", (exchange, caller) -> {
                    boolean up = health.healthy();
                    Responses.json(exchange, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN"));
                })
                .build();
    }
}
