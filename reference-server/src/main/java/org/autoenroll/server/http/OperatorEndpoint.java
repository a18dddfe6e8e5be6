package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;

/**
 * One administration route. The {@link Router} has authenticated the operator and checked that
 * the route's role allows them before calling it on a worker thread with a blocking exchange; it
 * writes the response, or throws and lets the router write the error body.
 */
interface OperatorEndpoint {
    void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) throws Exception;
}
