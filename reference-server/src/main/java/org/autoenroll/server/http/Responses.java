package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Writes the protocol's responses: JSON bodies, and the error body
 * {@code {"error": {"code", "name", "message", "detail", "hints", "requestId"}}} with the code's HTTP
 * status ({@code "refines"} added for an integrator's code; {@code requestId} the request's id, as in
 * {@code X-Request-Id} and the server log).
 * Stateless; thread-safe.
 */
public final class Responses {
    static final String JSON = "application/json";

    private Responses() {
    }

    static void json(HttpServerExchange exchange, int status, Object body) {
        send(exchange, status, JSON, Json.write(body));
    }

    static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
        send(exchange, status, contentType, body, io.undertow.io.IoCallback.END_EXCHANGE);
    }

    /** As {@link #send(HttpServerExchange, int, String, byte[])}, calling {@code then} once sent (or failed). */
    static void send(HttpServerExchange exchange, int status, String contentType, byte[] body, io.undertow.io.IoCallback then) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        if (!exchange.getResponseHeaders().contains(Headers.CACHE_CONTROL)) {
            // answers about one caller are never cached; public documents set their own policy first
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body), then);
    }

    /** Sends {@code length} bytes of {@code body} without holding them twice; the exchange is blocking. */
    static void stream(HttpServerExchange exchange, int status, String contentType, java.io.InputStream body, long length)
            throws java.io.IOException {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        if (!exchange.getResponseHeaders().contains(Headers.CACHE_CONTROL)) {
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
        try (java.io.OutputStream out = exchange.getOutputStream()) {
            body.transferTo(out);
        }
    }

    /** The error body of {@code e} with its code's HTTP status (an integrator's code's own, if it carries one). */
    static void error(HttpServerExchange exchange, EnrollmentException e) {
        json(exchange, e.httpStatus(), Map.of("error", withRequestId(exchange, errorBody(e))));
    }

    /** The error body of {@code code}, with an HTTP status other than the code's (404, 405). */
    static void error(HttpServerExchange exchange, int status, ErrorCode code, String detail) {
        json(exchange, status, Map.of("error", withRequestId(exchange, errorBody(code, detail))));
    }

    /** The error body of {@code code} with {@code status}, calling {@code then} once sent. */
    static void error(HttpServerExchange exchange, int status, ErrorCode code, String detail, io.undertow.io.IoCallback then) {
        send(exchange, status, JSON, Json.write(Map.of("error", withRequestId(exchange, errorBody(code, detail)))), then);
    }

    /** {@code error} with the request's id added as {@code requestId}, for the caller to quote to an operator. */
    private static Map<String, Object> withRequestId(HttpServerExchange exchange, Map<String, Object> error) {
        String id = RequestIds.of(exchange);
        if (id != null) {
            error.put("requestId", id);
        }
        return error;
    }

    /**
     * The inner error object of {@code e}: its catalogue code's, or for an integrator's
     * {@link org.autoenroll.api.ExtensionCode} that one's number, name, message and hints plus
     * {@code "refines"}, the catalogue code it is a case of.
     */
    public static Map<String, Object> errorBody(EnrollmentException e) {
        if (e.extension().isEmpty()) {
            return errorBody(e.code(), e.detail());
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.number());
        error.put("name", e.codeName());
        error.put("message", e.codeMessage());
        error.put("detail", e.detail());
        error.put("hints", e.hints());
        error.put("refines", e.code().code());
        return error;
    }

    /** The inner error object, in a stable field order. */
    public static Map<String, Object> errorBody(ErrorCode code, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.code());
        error.put("name", code.name());
        error.put("message", code.message());
        if (detail != null) {
            error.put("detail", detail);
        }
        error.put("hints", code.hints());
        return error;
    }
}
