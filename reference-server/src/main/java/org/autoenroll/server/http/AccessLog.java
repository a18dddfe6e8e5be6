package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-log line of one request ({@code org.autoenroll.server.access}), written once when its
 * answer is given: address, method, path, status, caller (the principal, {@code operator:<name>},
 * never a token), outcome, time. Not thread-safe: one request's stages run one after another.
 */
final class AccessLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("org.autoenroll.server.access");

    final long started = System.nanoTime();
    AuthenticatedPrincipal caller;
    AdminAuthentication.Operator operator;

    void write(HttpServerExchange exchange, String outcome) {
        ACCESS.info("{} {} {} {} {} {} {}ms", exchange.getSourceAddress() == null ? "-"
                        : exchange.getSourceAddress().getAddress().getHostAddress(),
                exchange.getRequestMethod(), Router.loggable(exchange.getRequestPath()), exchange.getStatusCode(),
                who(), outcome, (System.nanoTime() - started) / 1_000_000);
    }

    private String who() {
        if (operator != null) {
            return "operator:" + operator.name();
        }
        return caller == null ? "-" : caller.principal();
    }
}
