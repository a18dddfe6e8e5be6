package org.autoenroll.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each request to its {@link Endpoint} on a worker thread: unknown path 404, wrong
 * method 405 (with {@code Allow}), then Negotiate authentication for the authenticated routes,
 * then the endpoint. Every refusal becomes the error body of its code; an unexpected exception
 * becomes {@link ErrorCode#ENROLLMENT_FAILED} (30) with an incident id, its stack trace only in
 * the server log. One access-log line per request, without tokens or bodies. Thread-safe.
 */
public final class Router implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("org.autoenroll.server.access");

    private final List<Route> routes;
    private final NegotiateAuthentication authentication;
    private final AdminAuthentication adminAuthentication;

    private Router(List<Route> routes, NegotiateAuthentication authentication, AdminAuthentication adminAuthentication) {
        this.routes = List.copyOf(routes);
        this.authentication = authentication;
        this.adminAuthentication = adminAuthentication;
    }

    /** Who may call a route: anyone, an enrollment user (Negotiate), or an operator (admin token). */
    enum Access { PUBLIC, USER, OPERATOR }

    /** How a route's path matches: exactly, or as a prefix of one more segment, or of any rest. */
    enum Match { EXACT, ONE_SEGMENT, ANY_REST }

    /** A route: an exact path, or a prefix whose rest the endpoint reads. */
    record Route(String method, String path, Match match, Access access, Endpoint endpoint) {
        boolean matchesPath(String requestPath) {
            if (match == Match.EXACT) {
                return path.equals(requestPath);
            }
            return requestPath.startsWith(path) && requestPath.length() > path.length()
                    && (match == Match.ANY_REST || requestPath.indexOf('/', path.length()) < 0);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        long started = System.nanoTime();
        String outcome = "-";
        AuthenticatedPrincipal caller = null;
        try {
            Route route = route(exchange);
            if (route.access() == Access.USER) {
                caller = authentication.authenticate(exchange);
            } else if (route.access() == Access.OPERATOR) {
                adminAuthentication.authenticate(exchange);
            }
            route.endpoint().handle(exchange, caller);
        } catch (RouteException e) {
            outcome = e.status == 404 ? "not-found" : "method-not-allowed";
            if (e.status == 405) {
                exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", e.allowed));
            }
            Responses.error(exchange, e.status, ErrorCode.MALFORMED_REQUEST, e.getMessage());
        } catch (EnrollmentException e) {
            outcome = e.codeName() + "(" + e.number() + ")";
            if (e.code() == ErrorCode.ADMIN_AUTHENTICATION_REQUIRED) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"autoenroll-admin\"");
            } else if (e.code().httpStatus() == 401) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Negotiate");
            }
            Responses.error(exchange, e);
        } catch (Exception | LinkageError e) {
            String incident = UUID.randomUUID().toString();
            outcome = "internal-error incident=" + incident;
            LOG.error("incident {}: {} {} failed", incident, exchange.getRequestMethod(), loggable(exchange.getRequestPath()), e);
            if (!exchange.isResponseStarted()) {
                Responses.error(exchange, 500, ErrorCode.ENROLLMENT_FAILED, "internal error; incident " + incident + " in the server log");
            }
        } finally {
            ACCESS.info("{} {} {} {} {} {} {}ms", exchange.getSourceAddress() == null ? "-" : exchange.getSourceAddress().getAddress().getHostAddress(),
                    exchange.getRequestMethod(), loggable(exchange.getRequestPath()), exchange.getStatusCode(),
                    caller == null ? "-" : caller.principal(), outcome, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Route route(HttpServerExchange exchange) throws RouteException {
        String path = exchange.getRequestPath();
        HttpString method = exchange.getRequestMethod();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.matchesPath(path)) {
                if (method.equalToString(route.method())) {
                    return route;
                }
                allowed.add(route.method());
            }
        }
        if (allowed.isEmpty()) {
            throw new RouteException(404, "no such path: " + loggable(path), allowed);
        }
        throw new RouteException(405, "method " + loggable(method.toString()) + " not allowed here; use " + String.join(", ", allowed), allowed);
    }

    /** Paths and methods come from the client: bounded and stripped of control characters before they are logged or echoed. */
    static String loggable(String s) {
        if (s == null) {
            return "-";
        }
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Not found (404) or method not allowed (405). */
    private static final class RouteException extends Exception {
        final int status;
        final Set<String> allowed;

        RouteException(int status, String message, Set<String> allowed) {
            super(message, null, false, false);
            this.status = status;
            this.allowed = allowed;
        }
    }

    /** Collects routes. Not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private final NegotiateAuthentication authentication;
        private AdminAuthentication adminAuthentication;

        Builder(NegotiateAuthentication authentication) {
            this.authentication = Objects.requireNonNull(authentication);
        }

        Builder publicRoute(String method, String path, Endpoint endpoint) {
            routes.add(new Route(method, path, Match.EXACT, Access.PUBLIC, endpoint));
            return this;
        }

        /** A public route for every path under {@code prefix}, however deep (base64 may hold '/'). */
        Builder publicPrefix(String method, String prefix, Endpoint endpoint) {
            routes.add(new Route(method, prefix, Match.ANY_REST, Access.PUBLIC, endpoint));
            return this;
        }

        Builder authenticated(String method, String path, Endpoint endpoint) {
            routes.add(new Route(method, path, Match.EXACT, Access.USER, endpoint));
            return this;
        }

        Builder authenticatedPrefix(String method, String prefix, Endpoint endpoint) {
            routes.add(new Route(method, prefix, Match.ONE_SEGMENT, Access.USER, endpoint));
            return this;
        }

        /** A route for operators, authenticated by {@code admin}. */
        Builder operator(String method, String path, AdminAuthentication admin, Endpoint endpoint) {
            adminAuthentication = Objects.requireNonNull(admin);
            routes.add(new Route(method, path, Match.EXACT, Access.OPERATOR, endpoint));
            return this;
        }

        Router build() {
            return new Router(routes, authentication, adminAuthentication);
        }
    }
}
