package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.autoenroll.core.internal.Serials;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped logback.xml (issue 13, item 4): plain text by default, one JSON object per line with
 * {@code AUTOENROLL_LOG_FORMAT=json}, carrying the request id from the MDC and serials in the same
 * upper-case hex as the API.
 */
class JsonLogFormatTest {

    /** The lines {@code logger} writes under the shipped configuration with {@code format} (null: unset). */
    private static List<String> log(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        // the MDC the server's code writes to, as the logback provider wires it
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        if (format != null) {
            context.putProperty("AUTOENROLL_LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // the console appender writes to whatever System.err is when it writes
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(JsonLogFormatTest.class.getResource("/logback.xml"));
            Logger logger = context.getLogger("org.autoenroll.core.RevocationService");
            org.slf4j.MDC.put("requestId", "req-123");
            try {
                logger.info("certificate {} of {} revoked: {}", Serials.format(new BigInteger("0a1b2c3d4e5f", 16)),
                        "alice@EXAMPLE.COM", "KEY_COMPROMISE");
            } finally {
                org.slf4j.MDC.remove("requestId");
            }
            context.stop();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void json_oneObjectPerLine_withRequestIdAndUpperCaseSerial() throws Exception {
        List<String> lines = log("json");

        assertEquals(1, lines.size(), lines.toString());
        JsonNode event = ServerHarness.JSON.readTree(lines.get(0));
        assertEquals("INFO", event.get("level").asText());
        assertEquals("org.autoenroll.core.RevocationService", event.get("loggerName").asText());
        assertEquals("req-123", event.get("mdc").get("requestId").asText());
        assertEquals("certificate A1B2C3D4E5F of alice@EXAMPLE.COM revoked: KEY_COMPROMISE",
                event.get("formattedMessage").asText());
        assertTrue(event.has("timestamp"), lines.get(0));
        assertFalse(event.has("arguments"), "the arguments only once, in the formatted message: " + lines.get(0));
    }

    @Test
    void byDefault_text_withRequestId() throws Exception {
        List<String> lines = log(null);

        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(".* INFO  RevocationService \\[req-123\\] certificate A1B2C3D4E5F of alice@EXAMPLE\\.COM"
                + " revoked: KEY_COMPROMISE"), lines.get(0));
    }
}
