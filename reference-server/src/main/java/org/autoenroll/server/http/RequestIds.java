package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.util.UUID;
import org.autoenroll.server.audit.EnrollmentOutcomes;
import org.slf4j.MDC;

/**
 * Each request's id: made when the request arrives, answered in {@code X-Request-Id} and in every
 * error body's {@code requestId}, and put into the log context ({@value #MDC_KEY}) for each stage
 * of the request on whichever thread runs it, and removed after, so that every log line of the
 * request carries it; the enrollment's own id ({@link EnrollmentOutcomes#MDC_KEY}), set inside the
 * pipeline, is taken out with it. Stateless.
 */
final class RequestIds {
    /** The log context key of the request's id. */
    static final String MDC_KEY = "requestId";
    static final HttpString HEADER = new HttpString("X-Request-Id");
    private static final AttachmentKey<String> ID = AttachmentKey.create(String.class);

    private RequestIds() {
    }

    /** Gives the exchange a new id and answers it in {@code X-Request-Id}. */
    static String assign(HttpServerExchange exchange) {
        String id = UUID.randomUUID().toString();
        exchange.putAttachment(ID, id);
        exchange.getResponseHeaders().put(HEADER, id);
        return id;
    }

    /** The exchange's id, or null for an exchange the router never saw. */
    static String of(HttpServerExchange exchange) {
        return exchange.getAttachment(ID);
    }

    /** A stage of a request: it runs with the request's id in the log context. */
    @FunctionalInterface
    interface Stage {
        void run();
    }

    /** Runs {@code stage} with the exchange's id in the log context, then takes it out again. */
    static void within(HttpServerExchange exchange, Stage stage) {
        String id = of(exchange);
        if (id == null) {
            stage.run();
            return;
        }
        MDC.put(MDC_KEY, id);
        try {
            stage.run();
        } finally {
            MDC.remove(MDC_KEY);
            MDC.remove(EnrollmentOutcomes.MDC_KEY);
        }
    }
}
