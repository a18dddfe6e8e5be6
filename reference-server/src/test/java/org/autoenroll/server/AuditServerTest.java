package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.server.audit.AuditChain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with {@code audit.file} records its configuration load, each enrollment's outcome
 * (issued with the serial in upper-case hex, refused with its code), operators' logins, and an
 * officer's approval with the officer's name, in a chain that verifies; and never a CSR or a token.
 * bob's requests pend; alice's are issued.
 */
class AuditServerTest {
    static final String AUDITOR_TOKEN = "auditor-token-for-audit-test-0123456789";
    static final String OFFICER_TOKEN = "officer-token-for-audit-test-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static Path auditFile;

    @BeforeAll
    static void start() throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path auditor = Files.writeString(serverDir.resolve("auditor.token"), AUDITOR_TOKEN);
        Path officer = Files.writeString(serverDir.resolve("officer.token"), OFFICER_TOKEN);
        auditFile = serverDir.resolve("audit/audit.log");
        harness = ServerHarness.start(serverDir, (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + """
                          operators:
                            - {name: audrey, token: "file:%s", role: auditor}
                            - {name: olivia, token: "file:%s", role: officer}
                        audit:
                          file: "%s"
                        """.formatted(auditor, officer, auditFile), bobPends());
    }

    /** A policy that pends bob's requests and issues everyone else's. */
    static AbstractModule bobPends() {
        return new AbstractModule() {
            @Provides
            @Singleton
            EnrollmentPolicy policy(CertificateProfile profile) {
                EnrollmentPolicy issue = new DefaultEnrollmentPolicy(profile);
                return request -> request.principal().principal().startsWith("bob@")
                        ? new EnrollmentPolicy.Pend(profile, "needs a manager's approval") : issue.decide(request);
            }
        };
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static HttpResponse<String> admin(ServerHarness harness, String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return harness.send(request.build());
    }

    private static List<JsonNode> events() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(auditFile)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static JsonNode only(List<JsonNode> events, String event, String field, String value) {
        List<JsonNode> found = events.stream()
                .filter(e -> e.path("event").asText().equals(event) && e.path(field).asText().equals(value)).toList();
        assertEquals(1, found.size(), event + " with " + field + "=" + value + " in " + events);
        return found.get(0);
    }

    @Test
    void enrollmentRefusalApprovalAndLogins_areInTheLog_andTheChainVerifies() throws Exception {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());
        Map<String, Object> disabled = ServerHarness.alice();
        disabled.put("customerUri", "https://test.example/disabled");
        HttpResponse<String> refused = harness.postJson("/api/v1/enroll", "alice", disabled);
        assertEquals(403, refused.statusCode(), refused.body());
        HttpResponse<String> pending = harness.postJson("/api/v1/enroll", "bob",
                ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        assertEquals(202, pending.statusCode(), pending.body());
        String requestId = ServerHarness.parse(pending).get("requestId").asText();
        assertEquals(403, admin(harness, "POST", "/admin/v1/requests/" + requestId + "/approve", AUDITOR_TOKEN).statusCode());
        HttpResponse<String> approved = admin(harness, "POST", "/admin/v1/requests/" + requestId + "/approve", OFFICER_TOKEN);
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals(401, admin(harness, "GET", "/admin/v1/requests?state=PENDING", "not-a-token-of-anyone-at-all").statusCode());

        List<JsonNode> events = events();
        assertEquals("CONFIG_LOADED", events.get(0).path("event").asText());
        assertTrue(events.get(0).path("operators").toString().contains("olivia"));

        JsonNode issuedEvent = only(events, "ISSUED", "requestId", issued.get("requestId").asText());
        String serial = issued.get("serial").asText();
        assertEquals(serial, issuedEvent.path("serial").asText());
        assertEquals(serial.toUpperCase(java.util.Locale.ROOT), issuedEvent.path("serial").asText());
        assertEquals("alice@" + TestWorld.REALM, issuedEvent.path("owner").asText());
        assertEquals("default", issuedEvent.path("template").asText());

        JsonNode refusal = events.stream().filter(e -> e.path("event").asText().equals("REFUSED")
                && e.path("customerUri").asText().equals("https://test.example/disabled")).findFirst().orElseThrow();
        assertEquals(3, refusal.path("code").asInt());
        assertEquals("CUSTOMER_DISABLED", refusal.path("codeName").asText());

        only(events, "PENDING", "requestId", requestId);
        JsonNode approval = only(events, "APPROVED", "requestId", requestId);
        assertEquals("olivia", approval.path("operator").asText());
        assertEquals("bob@" + TestWorld.REALM, approval.path("owner").asText());

        assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("ADMIN_LOGIN")
                && e.path("operator").asText().equals("olivia") && e.path("role").asText().equals("officer")));
        assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("ADMIN_LOGIN_REFUSED")
                && e.path("operator").asText().equals("audrey") && e.path("code").asInt() == 58));
        assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("ADMIN_LOGIN_REFUSED")
                && e.path("code").asInt() == 48 && e.path("operator").isMissingNode()));

        String text = Files.readString(auditFile);
        assertFalse(text.contains("CERTIFICATE REQUEST"), "no CSR in the audit log");
        assertFalse(text.contains(OFFICER_TOKEN) || text.contains(AUDITOR_TOKEN) || text.contains("not-a-token"), "no token");
        AuditChain.Verdict verdict = AuditChain.verify(auditFile);
        assertTrue(verdict.intact(), verdict.reason());
    }

    @Test
    void renewalAndRevocation_areInTheLog_withTheSerialsAndTheOfficer() throws Exception {
        JsonNode first = harness.enrollOk("alice", ServerHarness.alice());
        Map<String, Object> renewal = ServerHarness.alice();
        renewal.put("renewSerial", first.get("serial").asText().toLowerCase(java.util.Locale.ROOT));
        JsonNode renewed = harness.enrollOk("alice", renewal);
        HttpResponse<String> revoked = harness.send(HttpRequest.newBuilder(harness.base.resolve("/admin/v1/revoke"))
                .header("Authorization", "Bearer " + OFFICER_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(Map.of("serial", renewed.get("serial").asText(),
                        "reason", "keyCompromise")))).build());
        assertEquals(200, revoked.statusCode(), revoked.body());

        List<JsonNode> events = events();
        JsonNode renewedEvent = only(events, "RENEWED", "requestId", renewed.get("requestId").asText());
        assertEquals(renewed.get("serial").asText(), renewedEvent.path("serial").asText());
        assertEquals(first.get("serial").asText(), renewedEvent.path("renewedSerial").asText());
        JsonNode revocation = only(events, "REVOKED", "serial", renewed.get("serial").asText());
        assertEquals("olivia", revocation.path("operator").asText());
        assertEquals(ServerHarness.parse(revoked).get("reason").asText(), revocation.path("reason").asText());
        assertEquals("alice@" + TestWorld.REALM, revocation.path("owner").asText());
        assertTrue(AuditChain.verify(auditFile).intact());
    }
}
