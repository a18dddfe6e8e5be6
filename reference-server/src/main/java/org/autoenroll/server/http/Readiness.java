package org.autoenroll.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server can take requests now, component by component: {@code database} (it takes a
 * write), {@code ca} (a CA certificate valid now), {@code crl} (the CRL served is within its
 * validity), {@code audit} (the audit log takes writes, when there is one). Ready when every
 * component is. A component that throws is DOWN. Immutable; thread-safe.
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final Map<String, HealthCheck> components;
    private final String[] order;

    /** @param components each component's check, by name, in the order they are reported */
    public Readiness(Map<String, HealthCheck> components) {
        this.components = Map.copyOf(Objects.requireNonNull(components, "components"));
        this.order = components.keySet().toArray(String[]::new);
    }

    /** Each component's state, in order: true when UP. */
    public Map<String, Boolean> check() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        for (String name : order) {
            boolean up;
            try {
                up = components.get(name).healthy();
            } catch (RuntimeException e) {
                LOG.warn("readiness: component {} failed its check: {}", name, e.toString());
                up = false;
            }
            states.put(name, up);
        }
        return states;
    }

    /** The JSON answer: {@code {status, components: {name: {status}}}} and its HTTP status, 200 or 503. */
    static void answer(io.undertow.server.HttpServerExchange exchange, Map<String, Boolean> states) {
        Map<String, Object> named = new LinkedHashMap<>();
        states.forEach((name, up) -> named.put(name, Map.of("status", up ? "UP" : "DOWN")));
        boolean ready = !states.containsValue(false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("components", named);
        Responses.json(exchange, ready ? 200 : 503, body);
    }
}
