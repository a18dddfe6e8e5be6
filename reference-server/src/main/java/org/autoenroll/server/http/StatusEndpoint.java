package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.Map;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.StatusReport;

/** {@code POST /api/v1/status}: records what the client reports about its certificate; 200 {@code {status:"RECORDED"}}. Thread-safe. */
final class StatusEndpoint implements Endpoint {
    /** The request body. */
    record Body(String customerUri, String serial, String status) {
    }

    private final EnrollmentService service;
    private final BodyReader bodies;

    StatusEndpoint(EnrollmentService service, BodyReader bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    @Override
    public void handle(HttpServerExchange exchange, AuthenticatedPrincipal caller) throws Exception {
        Body body = Json.read(bodies.read(exchange), Body.class);
        service.reportStatus(caller, new StatusReport(body.customerUri(), body.serial(), body.status()));
        Responses.json(exchange, 200, Map.of("status", "RECORDED"));
    }
}
