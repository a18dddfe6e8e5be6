package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.core.EnrollmentService;

/** {@code GET /api/v1/requests/{id}}: the caller's earlier request, issued or still pending. Thread-safe. */
final class CollectEndpoint implements Endpoint {
    static final String PREFIX = "/api/v1/requests/";

    private final EnrollmentService service;

    CollectEndpoint(EnrollmentService service) {
        this.service = service;
    }

    @Override
    public void handle(HttpServerExchange exchange, AuthenticatedPrincipal caller) throws Exception {
        String id = exchange.getRequestPath().substring(PREFIX.length());
        Results.send(exchange, service.collect(caller, id));
    }
}
