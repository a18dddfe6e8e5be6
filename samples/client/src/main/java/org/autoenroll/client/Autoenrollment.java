package org.autoenroll.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.client.CertificateRequests.NewRequest;
import org.autoenroll.client.ClientOptions.KeyKind;
import org.autoenroll.client.LocalStore.Held;

/**
 * One autoenrollment run, as the seed's logon script: tell the server what the store holds, get
 * the requirements list, and do each action (ENROLL and REPLACE a new key and request; RENEW the
 * same with renewSerial; COLLECT a request that was pending), install, and report each install
 * back with {@code /api/v1/status}. A certificate within {@code --renew-days} of its end is renewed
 * even when the server's renewal window has not opened yet. Failures of one action do not stop
 * the others; the run's result lists them.
 */
final class Autoenrollment {
    /** What the run did: lines for the user, and the failures (empty when everything due was done or waits). */
    record Outcome(List<String> done, List<ClientFailure> failures) {
    }

    private final ClientOptions options;
    private final LocalStore store;
    private final ServerApi api;
    private final Clock clock;
    private final List<String> done = new ArrayList<>();
    private final List<ClientFailure> failures = new ArrayList<>();

    Autoenrollment(ClientOptions options, LocalStore store, ServerApi api, Clock clock) {
        this.options = options;
        this.store = store;
        this.api = api;
        this.clock = clock;
    }

    Outcome run() throws ClientFailure {
        List<Held> held = store.held();
        Instant now = clock.instant();
        List<Map<String, String>> reported = new ArrayList<>();
        for (Held h : held) {
            reported.add(Map.of("serial", h.serial(), "state", !h.hasKey() ? "NO_PRIVATE_KEY" : h.expiredAt(now) ? "EXPIRED" : "VALID"));
        }
        Map<String, Object> body = base();
        body.put("held", reported);
        JsonNode answer = api.post("/api/v1/requirements", body).body();
        List<JsonNode> actions = new ArrayList<>();
        answer.path("actions").forEach(actions::add);
        Set<String> named = new HashSet<>();
        actions.forEach(a -> named.add(a.path("template").asText()));
        Instant renewBy = now.plus(Duration.ofDays(options.renewDays()));
        for (Held h : held) {
            // --renew-days: earlier than the server's window, never instead of what the server asked for
            if (options.renewDays() > 0 && h.hasKey() && !h.expiredAt(now) && !named.contains(h.template())
                    && h.certificate().getNotAfter().toInstant().isBefore(renewBy)) {
                actions.add(ServerApi.JSON.createObjectNode().put("action", "RENEW").put("template", h.template())
                        .put("serial", h.serial()).put("reason", "expires within --renew-days " + options.renewDays()));
            }
        }
        if (actions.isEmpty()) {
            done.add("up to date: nothing to do (" + held.size() + " certificate(s) held in " + options.store() + ")");
        }
        for (JsonNode action : actions) {
            try {
                act(action);
            } catch (ClientFailure failure) {
                failures.add(failure);
            }
        }
        return new Outcome(done, failures);
    }

    private void act(JsonNode action) throws ClientFailure {
        String kind = action.path("action").asText();
        String template = action.path("template").asText(null);
        switch (kind) {
            case "ENROLL", "REPLACE" -> enroll(kind, template, null);
            case "RENEW" -> enroll(kind, template, action.path("serial").asText(null));
            case "COLLECT" -> collect(template, action.path("requestId").asText());
            default -> throw new ClientFailure(ErrorCode.REQUEST_CERTIFICATE_FAILED,
                    "the server asked for " + kind + ", which this client does not know: update the client");
        }
    }

    private void enroll(String kind, String template, String renewSerial) throws ClientFailure {
        KeyKind key = options.key();
        ServerApi.Answer answer;
        NewRequest request;
        while (true) {
            request = CertificateRequests.create(key, options.commonName());
            Map<String, Object> body = base();
            if (options.email() != null) {
                body.put("email", options.email());
            }
            if (options.commonName() != null) {
                body.put("commonName", options.commonName());
            }
            body.put("csr", request.csrPem());
            body.put("template", template);
            if (renewSerial != null) {
                body.put("renewSerial", renewSerial);
            }
            try {
                answer = api.post("/api/v1/enroll", body);
                break;
            } catch (ClientFailure refused) {
                if (refused.code() == ErrorCode.NO_EMAIL.code() && options.email() == null) {
                    // the seed's client takes the e-mail from AD: without one it reports 32
                    throw new ClientFailure(ErrorCode.NO_EMAIL_IN_AD_CLIENT, template + ": the server needs the user's e-mail"
                            + " (code 26); give --email");
                }
                if (refused.code() == ErrorCode.KEY_NOT_ALLOWED.code() && key == KeyKind.EC) {
                    key = KeyKind.RSA; // the template accepts RSA only: ask once more with an RSA key
                    continue;
                }
                throw refused;
            }
        }
        if (answer.status() == 202) {
            String id = answer.body().path("requestId").asText();
            store.keepPending(template, id, request.keys().getPrivate());
            done.add(template + ": " + kind + " pending approval, request " + id + " (run again to collect it)");
            return;
        }
        install(template, kind, request.keys().getPrivate(), answer.body());
    }

    private void collect(String template, String requestId) throws ClientFailure {
        var key = store.pendingKey(template, requestId);
        if (key.isEmpty()) {
            throw new ClientFailure(ErrorCode.INSTALL_CERTIFICATE_FAILED, template + ": request " + requestId
                    + " was approved, but its key is not in " + options.store() + " (made by another store or machine?)");
        }
        ServerApi.Answer answer = api.get("/api/v1/requests/" + requestId);
        if (answer.status() == 202) {
            done.add(template + ": request " + requestId + " still pending approval");
            return;
        }
        install(template, "COLLECT", key.get(), answer.body());
    }

    private void install(String template, String kind, PrivateKey key, JsonNode issued) throws ClientFailure {
        List<X509Certificate> chain;
        try {
            chain = new ArrayList<>(LocalStore.certificates(issued.path("certificate").asText().getBytes(StandardCharsets.US_ASCII)));
            for (JsonNode ca : issued.path("chain")) {
                for (X509Certificate c : LocalStore.certificates(ca.asText().getBytes(StandardCharsets.US_ASCII))) {
                    if (!chain.contains(c)) {
                        chain.add(c);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            chain = List.of();
        }
        if (chain.isEmpty()) {
            throw new ClientFailure(ErrorCode.REQUEST_CERTIFICATE_FAILED, template + ": the answer holds no certificate");
        }
        String serial = issued.path("serial").asText();
        try {
            store.install(template, key, chain);
        } catch (ClientFailure failed) {
            report(serial, "INSTALL_FAILED");
            throw failed;
        }
        report(serial, "INSTALLED");
        done.add(template + ": " + kind + " done, serial " + serial + ", valid until " + chain.get(0).getNotAfter().toInstant());
    }

    private void report(String serial, String status) throws ClientFailure {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", options.customerUri());
        body.put("serial", serial);
        body.put("status", status);
        api.post("/api/v1/status", body);
    }

    private Map<String, Object> base() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", options.customerUri());
        if (options.orgId() != null) {
            body.put("orgId", options.orgId());
        }
        return body;
    }
}
