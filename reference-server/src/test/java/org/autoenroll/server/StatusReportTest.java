package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.ReportedStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/status}: recorded for one's own certificate, refused otherwise. */
class StatusReportTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Map<String, Object> report(String serial, String status) {
        return Map.of("customerUri", ServerHarness.CUSTOMER, "serial", serial, "status", status);
    }

    @Test
    void status_installedForOwnSerial_recorded() throws Exception {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());

        HttpResponse<String> response = harness.postJson("/api/v1/status", "alice", report(issued.get("serial").asText(), "INSTALLED"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("RECORDED", ServerHarness.parse(response).get("status").asText());
        assertEquals(Optional.of(ReportedStatus.INSTALLED), harness.server.component(CertificateStore.class)
                .find(new BigInteger(issued.get("serial").asText(), 16)).orElseThrow().lastReportedStatus());
    }

    @Test
    void status_installFailed_recorded() {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());

        HttpResponse<String> response = harness.postJson("/api/v1/status", "alice", report(issued.get("serial").asText(), "INSTALL_FAILED"));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void status_badStatus_21() {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());

        ErrorCodesTest.assertError(harness.postJson("/api/v1/status", "alice", report(issued.get("serial").asText(), "installed")),
                ErrorCode.INVALID_STATUS);
    }

    @Test
    void status_otherUsersSerial_24() {
        harness.enrollOk("alice", ServerHarness.alice());
        JsonNode bobs = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));

        ErrorCodesTest.assertError(harness.postJson("/api/v1/status", "alice", report(bobs.get("serial").asText(), "INSTALLED")),
                ErrorCode.INVALID_SERIAL);
    }

    @Test
    void status_unknownField_44() {
        ErrorCodesTest.assertError(harness.post("/api/v1/status", "alice",
                "{\"customerUri\":\"" + ServerHarness.CUSTOMER + "\",\"serial\":\"AB\",\"status\":\"INSTALLED\",\"extra\":1}"),
                ErrorCode.MALFORMED_REQUEST);
    }
}
