package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import org.autoenroll.api.AuthenticatedPrincipal;

/**
 * One route of the protocol. Called on a worker thread with a blocking exchange; it writes the
 * response, or throws and lets the {@link Router} write the error body.
 */
interface Endpoint {
    /**
     * @param caller the authenticated caller, or null for a public route
     */
    void handle(HttpServerExchange exchange, AuthenticatedPrincipal caller) throws Exception;
}
