package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.autoenroll.core.EnrollmentService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Each request has an id: in {@code X-Request-Id}, in the error body's {@code requestId}, and in the
 * log context of the lines logged while it runs, beside the enrollment's own request id; serials
 * are logged in upper-case hex as the API answers them.
 */
class RequestIdTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    /** Keeps the events logged, with the log context they were logged in. */
    static final class Captured extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }

        synchronized List<ILoggingEvent> events() {
            return List.copyOf(events);
        }
    }

    private final Logger serviceLog = (Logger) LoggerFactory.getLogger(EnrollmentService.class);
    private final Captured captured = new Captured();
    private Level levelBefore;

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void capture() {
        levelBefore = serviceLog.getLevel();
        serviceLog.setLevel(Level.INFO);
        captured.start();
        serviceLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        serviceLog.detachAppender(captured);
        serviceLog.setLevel(levelBefore);
    }

    private static String requestIdHeader(HttpResponse<String> response) {
        String id = response.headers().firstValue("X-Request-Id").orElse(null);
        assertNotNull(id, "X-Request-Id");
        UUID.fromString(id);
        return id;
    }

    @Test
    void refusal_errorBodyCarriesTheRequestId_andTheLogLineCarriesItInTheMdc() {
        Map<String, Object> disabled = ServerHarness.alice();
        disabled.put("customerUri", "https://test.example/disabled");
        HttpResponse<String> response = harness.postJson("/api/v1/enroll", "alice", disabled);
        assertEquals(403, response.statusCode());
        String id = requestIdHeader(response);
        JsonNode error = ServerHarness.parse(response).get("error");
        assertEquals(3, error.get("code").asInt());
        assertEquals(id, error.get("requestId").asText());

        List<ILoggingEvent> lines = captured.events().stream()
                .filter(e -> id.equals(e.getMDCPropertyMap().get("requestId"))).toList();
        assertEquals(1, lines.size(), "one line of the service for this request: " + captured.events());
        ILoggingEvent refused = lines.get(0);
        assertTrue(refused.getFormattedMessage().contains("refused"), refused.getFormattedMessage());
        // the enrollment's own id is the one the line names, and is in the context too
        assertEquals(refused.getArgumentArray()[0], refused.getMDCPropertyMap().get("enrollmentId"));
    }

    @Test
    void issuance_logLineHasTheRequestIdAndTheSerialInUpperCaseHex() {
        HttpResponse<String> response = harness.postJson("/api/v1/enroll", "alice", ServerHarness.alice());
        assertEquals(200, response.statusCode(), response.body());
        String id = requestIdHeader(response);
        JsonNode answer = ServerHarness.parse(response);
        String serial = answer.get("serial").asText();
        ILoggingEvent issued = captured.events().stream()
                .filter(e -> id.equals(e.getMDCPropertyMap().get("requestId"))).findFirst().orElseThrow();
        assertEquals(answer.get("requestId").asText(), issued.getMDCPropertyMap().get("enrollmentId"));
        assertTrue(issued.getFormattedMessage().endsWith(" serial " + serial.toUpperCase(Locale.ROOT)),
                issued.getFormattedMessage());
    }

    @Test
    void unknownPath_answeredOnTheIoThread_stillCarriesTheRequestId() {
        HttpResponse<String> response = harness.get("/no/such/path", null);
        assertEquals(404, response.statusCode());
        assertEquals(requestIdHeader(response), ServerHarness.parse(response).get("error").get("requestId").asText());
    }

    @Test
    void eachRequest_hasItsOwnId() {
        assertTrue(!requestIdHeader(harness.get("/healthz/live", null)).equals(requestIdHeader(harness.get("/healthz/live", null))));
    }
}
