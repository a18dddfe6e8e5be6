package org.autoenroll.server.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.server.audit.AuditTrail;
import org.autoenroll.server.http.Route.Access;
import org.autoenroll.server.http.Route.Match;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Dispatches each request to its {@link Endpoint} in three stages, so that no worker thread ever
 * waits for a client. On the I/O thread: unknown path 404 ({@link ErrorCode#UNKNOWN_PATH}, 60, the
 * path not echoed), wrong method 405 (with {@code Allow}), OPTIONS answered with {@code Allow} and
 * no CORS grant, then the {@link RequestGuard}'s cross-origin check (61) and a declared body over
 * the route's limit (413). On a worker: authentication for the authenticated routes, before any
 * body is read, and the body's content type (415); a refusal is answered at once. Then the body, if the route takes one,
 * is received without a worker ({@link BodyReception}, whole-body deadline 408), and the endpoint
 * runs on a worker with a blocking exchange.
 *
 * <p>A refusal answered while the body is still unread closes the connection soon after the
 * answer. A refusal of authentication gives the caller only its code and a reference: the detail
 * (which may name the keytab's principals or the configured realms) goes to the server log only.
 * An unexpected exception becomes {@link ErrorCode#ENROLLMENT_FAILED} (30) with an incident id,
 * its stack trace only in the log. Every answer carries {@code X-Content-Type-Options: nosniff},
 * and over TLS {@code Strict-Transport-Security}. One access-log line per request, without tokens
 * or bodies. Each request gets an id ({@link RequestIds}): in {@code X-Request-Id}, in error bodies,
 * and in the log context of every stage. Thread-safe.
 */
public final class Router implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString HSTS = new HttpString("Strict-Transport-Security");
    /** The whole-body deadline unless the configuration sets another. */
    public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofSeconds(30);

    private final List<Route> routes;
    private final NegotiateAuthentication authentication;
    private final AdminAuthentication adminAuthentication;
    private final Duration bodyDeadline;
    private final AuditTrail audit;

    private Router(List<Route> routes, NegotiateAuthentication authentication, AdminAuthentication adminAuthentication,
                   Duration bodyDeadline, AuditTrail audit) {
        this.routes = List.copyOf(routes);
        this.authentication = authentication;
        this.adminAuthentication = adminAuthentication;
        this.bodyDeadline = bodyDeadline;
        this.audit = audit;
    }

    /**
     * Each route as {@code METHOD path}, a path parameter written {@code {}} (one segment, or for
     * OCSP's GET form the rest of the path): what the OpenAPI description must list.
     */
    public List<String> describe() {
        List<String> described = new ArrayList<>();
        for (Route route : routes) {
            described.add(route.method() + " " + route.path() + (route.match() == Match.EXACT ? "" : "{}") + route.suffix());
        }
        return described;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        RequestIds.assign(exchange);
        RequestIds.within(exchange, () -> screen(exchange, new AccessLog()));
    }

    /** On the I/O thread: the route, and the refusals that need no worker. */
    private void screen(HttpServerExchange exchange, AccessLog log) {
        exchange.getResponseHeaders().put(NOSNIFF, "nosniff");
        if (exchange.getConnection().getSslSessionInfo() != null) {
            exchange.getResponseHeaders().put(HSTS, "max-age=31536000");
        }
        Route route;
        try {
            route = route(exchange);
            if (route.access() != Access.PUBLIC) {
                RequestGuard.checkOrigin(exchange);
            }
            if (route.body() != null) {
                if (exchange.getRequestContentLength() > route.body().maxBytes()) {
                    throw Refusal.of(BodyReader.tooLarge(route.body().maxBytes()));
                }
            }
        } catch (Refusal refusal) {
            answerEarly(exchange, refusal, log);
            return;
        }
        exchange.dispatch((HttpHandler) ex -> RequestIds.within(ex, () -> authenticate(ex, route, log)));
    }

    /** On a worker: authenticates the caller, then receives the body (if any) and runs the endpoint. */
    private void authenticate(HttpServerExchange exchange, Route route, AccessLog log) {
        try {
            if (route.access() == Access.USER) {
                log.caller = authentication.authenticate(exchange);
            } else if (route.access() == Access.OPERATOR) {
                log.operator = authenticateOperator(exchange, route);
            }
        } catch (EnrollmentException e) {
            answerEarly(exchange, unauthenticated(e), log);
            return;
        } catch (RuntimeException e) {
            answerEarly(exchange, incident(exchange, e), log);
            return;
        }
        if (route.body() == null) {
            run(exchange, route, log);
            return;
        }
        try {
            RequestGuard.checkContentType(exchange, route.body());
        } catch (Refusal refusal) {
            answerEarly(exchange, refusal, log);
            return;
        }
        BodyReception.receive(exchange, route.body().maxBytes(), bodyDeadline, (ex, body) -> {
            ex.putAttachment(BodyReader.BODY, body);
            ex.dispatch((HttpHandler) worker -> RequestIds.within(worker, () -> run(worker, route, log)));
        }, (ex, failure) -> RequestIds.within(ex, () -> {
            if (failure == null) {
                log.write(ex, "aborted");
            } else {
                answerEarly(ex, Refusal.of(failure), log);
            }
        }));
    }

    /** On a worker with the body received: the endpoint, on a blocking exchange. */
    private void run(HttpServerExchange exchange, Route route, AccessLog log) {
        String outcome = "-";
        exchange.startBlocking();
        try {
            if (route.operatorEndpoint() != null) {
                route.operatorEndpoint().handle(exchange, log.operator);
            } else {
                route.endpoint().handle(exchange, log.caller);
            }
        } catch (EnrollmentException e) {
            outcome = e.codeName() + "(" + e.number() + ")";
            if (e.code() == ErrorCode.ADMIN_AUTHENTICATION_REQUIRED) {
                challengeOperator(exchange);
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
            log.write(exchange, outcome);
        }
    }

    /**
     * The operator the request's token names, allowed on {@code route}; each login and each refusal
     * goes to the audit log (the operator's name and role, never the token).
     */
    private AdminAuthentication.Operator authenticateOperator(HttpServerExchange exchange, Route route)
            throws EnrollmentException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", exchange.getRequestMethod().toString());
        fields.put("path", loggable(exchange.getRequestPath()));
        AdminAuthentication.Operator operator = null;
        try {
            operator = adminAuthentication.authenticate(exchange);
            operator.require(route.role());
            fields.put("operator", operator.name());
            fields.put("role", operator.role().toString());
            audit.record("ADMIN_LOGIN", fields);
            return operator;
        } catch (EnrollmentException e) {
            fields.put("operator", operator == null ? null : operator.name());
            fields.put("code", e.code().code());
            fields.put("codeName", e.code().name());
            audit.record("ADMIN_LOGIN_REFUSED", fields);
            throw e;
        }
    }

    /** The schemes an operator may answer a 401 with: a token, and Kerberos when operators' groups are configured. */
    private void challengeOperator(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"autoenroll-admin\"");
        if (adminAuthentication != null && adminAuthentication.acceptsKerberos()) {
            exchange.getResponseHeaders().add(Headers.WWW_AUTHENTICATE, "Negotiate");
        }
    }

    /**
     * A refusal of authentication: 42 keeps its detail (it says only that credentials are
     * missing); any other code's detail goes to the log under a reference, and the caller gets the reference.
     */
    private static Refusal unauthenticated(EnrollmentException e) {
        if (e.code() == ErrorCode.AUTHENTICATION_REQUIRED || e.code() == ErrorCode.ADMIN_FORBIDDEN || e.detail() == null) {
            return Refusal.of(e);
        }
        String reference = UUID.randomUUID().toString();
        LOG.info("authentication refused ({} {}), reference {}: {}", e.code().code(), e.code().name(), reference, e.detail());
        return new Refusal(e.code().httpStatus(), e.code(), "authentication failed; the server log has the reason under reference "
                + reference);
    }

    private static Refusal incident(HttpServerExchange exchange, Exception e) {
        String incident = UUID.randomUUID().toString();
        LOG.error("incident {}: {} {} failed", incident, exchange.getRequestMethod(), loggable(exchange.getRequestPath()), e);
        return new Refusal(500, ErrorCode.ENROLLMENT_FAILED, "internal error; incident " + incident + " in the server log");
    }

    /**
     * Answers a refusal before any endpoint ran, without blocking: on the I/O thread or a worker.
     * When the body is still unread the connection is not kept: it is closed soon after the answer.
     */
    private void answerEarly(HttpServerExchange exchange, Refusal refusal, AccessLog log) {
        if (!refusal.allowed.isEmpty()) {
            exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", refusal.allowed));
        }
        if (refusal.code == ErrorCode.ADMIN_AUTHENTICATION_REQUIRED) {
            challengeOperator(exchange);
        } else if (refusal.status == 401) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Negotiate");
        }
        boolean unread = !exchange.isRequestComplete();
        if (unread) {
            exchange.setPersistent(false);
        }
        IoCallback then = new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                if (unread) {
                    BodyReception.closeSoon(ex);
                }
                IoCallback.END_EXCHANGE.onComplete(ex, sender);
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                IoUtils.safeClose(ex.getConnection());
            }
        };
        if (refusal.status == 204) {
            Responses.send(exchange, 204, "text/plain", new byte[0], then);
            log.write(exchange, "options");
            return;
        }
        Responses.error(exchange, refusal.status, refusal.code, refusal.detail, then);
        log.write(exchange, refusal.code.name() + "(" + refusal.code.code() + ")");
    }

    private Route route(HttpServerExchange exchange) throws Refusal {
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
            throw new Refusal(404, ErrorCode.UNKNOWN_PATH, null);
        }
        if (method.equals(Methods.OPTIONS)) {
            // a CORS preflight or a client's question: the methods, and no Access-Control-* grant
            allowed.add(Methods.OPTIONS_STRING);
            throw new Refusal(204, ErrorCode.MALFORMED_REQUEST, null, allowed);
        }
        throw new Refusal(405, ErrorCode.MALFORMED_REQUEST, "method not allowed here; use " + String.join(", ", allowed), allowed);
    }

    /** Paths and methods come from the client: bounded and stripped of control characters before they are logged. */
    static String loggable(String s) {
        if (s == null) {
            return "-";
        }
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Collects routes. Not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private final NegotiateAuthentication authentication;
        private AdminAuthentication adminAuthentication;
        private Duration bodyDeadline = DEFAULT_BODY_DEADLINE;
        private AuditTrail audit = AuditTrail.NONE;

        Builder(NegotiateAuthentication authentication) {
            this.authentication = Objects.requireNonNull(authentication);
        }

        /** The deadline for a whole request body, from when its reception starts. */
        Builder bodyDeadline(Duration deadline) {
            this.bodyDeadline = Objects.requireNonNull(deadline);
            return this;
        }

        /** Where operators' logins and refused logins are recorded. */
        Builder audit(AuditTrail trail) {
            this.audit = Objects.requireNonNull(trail);
            return this;
        }

        Builder publicRoute(String method, String path, Endpoint endpoint) {
            return publicRoute(method, path, null, endpoint);
        }

        /** A public route that takes a body as {@code body} says. */
        Builder publicRoute(String method, String path, BodyReader body, Endpoint endpoint) {
            routes.add(new Route(method, path, Match.EXACT, Access.PUBLIC, body, endpoint));
            return this;
        }

        /** A public route for every path under {@code prefix}, however deep (base64 may hold '/'). */
        Builder publicPrefix(String method, String prefix, Endpoint endpoint) {
            routes.add(new Route(method, prefix, Match.ANY_REST, Access.PUBLIC, null, endpoint));
            return this;
        }

        Builder authenticated(String method, String path, Endpoint endpoint) {
            return authenticated(method, path, null, endpoint);
        }

        /** An authenticated route that takes a body as {@code body} says (its media types: JSON, or SOAP's for SOAP routes). */
        Builder authenticated(String method, String path, BodyReader body, Endpoint endpoint) {
            routes.add(new Route(method, path, Match.EXACT, Access.USER, body, endpoint));
            return this;
        }

        Builder authenticatedPrefix(String method, String prefix, Endpoint endpoint) {
            routes.add(new Route(method, prefix, Match.ONE_SEGMENT, Access.USER, null, endpoint));
            return this;
        }

        /** A route for operators of at least {@code role}, authenticated by {@code admin}, taking a body as {@code body} says. */
        Builder operator(String method, String path, AdminAuthentication admin, AdminAuthentication.Role role, BodyReader body,
                         OperatorEndpoint endpoint) {
            return operatorRoute(method, path, "", Match.EXACT, admin, role, body, endpoint);
        }

        /** An operator route for {@code prefix} and one more segment, which the endpoint reads. */
        Builder operatorPrefix(String method, String prefix, AdminAuthentication admin, AdminAuthentication.Role role,
                               OperatorEndpoint endpoint) {
            return operatorRoute(method, prefix, "", Match.ONE_SEGMENT, admin, role, null, endpoint);
        }

        /** An operator route for {@code prefix}, one segment (the endpoint reads it), then {@code suffix}. */
        Builder operatorSegment(String method, String prefix, String suffix, AdminAuthentication admin,
                                AdminAuthentication.Role role, BodyReader body, OperatorEndpoint endpoint) {
            if (!suffix.startsWith("/")) {
                throw new IllegalArgumentException("a suffix starts with /");
            }
            return operatorRoute(method, prefix, suffix, Match.SEGMENT_THEN_SUFFIX, admin, role, body, endpoint);
        }

        private Builder operatorRoute(String method, String path, String suffix, Match match, AdminAuthentication admin,
                                      AdminAuthentication.Role role, BodyReader body, OperatorEndpoint endpoint) {
            adminAuthentication = Objects.requireNonNull(admin);
            routes.add(new Route(method, path, suffix, match, Access.OPERATOR, Objects.requireNonNull(role), body, null,
                    Objects.requireNonNull(endpoint)));
            return this;
        }

        Router build() {
            return new Router(routes, authentication, adminAuthentication, bodyDeadline, audit);
        }
    }
}
