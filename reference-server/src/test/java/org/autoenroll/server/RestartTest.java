package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart on the same data directory keeps the CA key, the certificates and their states. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void restart_sameDataDir_keepsCaAndCertificates() {
        byte[] caBefore;
        JsonNode first;
        JsonNode renewed;
        try (ServerHarness harness = ServerHarness.start(dir)) {
            caBefore = harness.getBytes("/ca.crt").body();
            first = harness.enrollOk("alice", ServerHarness.alice());
            Map<String, Object> renewal = ServerHarness.alice();
            renewal.put("renewSerial", first.get("serial").asText());
            renewed = harness.enrollOk("alice", renewal);
        }

        try (ServerHarness harness = ServerHarness.start(dir)) {
            assertArrayEquals(caBefore, harness.getBytes("/ca.crt").body());
            assertEquals(2, harness.certificates("alice"));
            HttpResponse<String> status = harness.postJson("/api/v1/status", "alice", Map.of(
                    "customerUri", ServerHarness.CUSTOMER, "serial", renewed.get("serial").asText(), "status", "INSTALLED"));
            assertEquals(200, status.statusCode(), status.body());
            // the revoked one stays revoked: renewing it again is refused
            Map<String, Object> again = ServerHarness.alice();
            again.put("renewSerial", first.get("serial").asText());
            assertEquals(400, harness.postJson("/api/v1/enroll", "alice", again).statusCode());
            Map<String, Object> renewal = ServerHarness.alice();
            renewal.put("renewSerial", renewed.get("serial").asText());
            assertEquals("ISSUED", harness.enrollOk("alice", renewal).get("status").asText());
            HttpResponse<String> collected = harness.get("/api/v1/requests/" + first.get("requestId").asText(), "alice");
            assertEquals(200, collected.statusCode(), collected.body());
        }
    }
}
