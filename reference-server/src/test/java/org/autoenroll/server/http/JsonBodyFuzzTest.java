package org.autoenroll.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * The JSON bodies are outside input: whatever bytes arrive, the strict reader answers with a value
 * or {@link ErrorCode#MALFORMED_REQUEST} (44), for every body type of the protocol, and nothing
 * else escapes (no Jackson exception, no stack overflow from deep nesting). Without JAZZER_FUZZ=1
 * it replays the corpus in {@code src/test/resources/org/autoenroll/server/http/JsonBodyFuzzTestInputs/}.
 */
class JsonBodyFuzzTest {
    private static final Class<?>[] BODIES = {EnrollEndpoint.Body.class, StatusEndpoint.Body.class, RevokeEndpoint.Body.class};

    @FuzzTest(maxDuration = "30s")
    void read_anyBytes_onlyMalformedRequest(FuzzedDataProvider data) {
        Class<?> type = BODIES[data.consumeInt(0, BODIES.length - 1)];
        byte[] body = data.consumeRemainingAsBytes();
        try {
            if (Json.read(body, type) == null) {
                throw new AssertionError("null body returned");
            }
        } catch (EnrollmentException e) {
            if (e.code() != ErrorCode.MALFORMED_REQUEST) {
                throw new AssertionError("unexpected code " + e.code(), e);
            }
            if (e.detail() != null && e.detail().length() > 300) {
                throw new AssertionError("a detail echoes too much of the input: " + e.detail().length());
            }
        }
    }
}
