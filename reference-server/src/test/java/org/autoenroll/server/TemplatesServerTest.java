package org.autoenroll.server;

import static org.autoenroll.server.ServerHarness.ADMIN_TOKEN;
import static org.autoenroll.server.ServerHarness.CUSTOMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates from the configuration, through the server: the requirements list, enrollment by
 * template with its refusals (49, 50, 54), the template extension in the certificate, the
 * customer's default template, and a template that needs approval, approved by an officer and
 * collected by its requester.
 */
class TemplatesServerTest {
    static final String TEMPLATES = """
            templates:
              - name: User
                oid: 1.3.6.1.4.1.311.21.8.7.1
                majorRevision: 3
                validityDays: 30
                renewalWindowDays: 10
                extendedKeyUsages: [clientAuth, emailProtection]
                enroll: [S-1-5-11]
                autoenroll: [S-1-5-11]
              - name: StaffOnly
                oid: 1.3.6.1.4.1.311.21.8.7.2
                validityDays: 30
                enroll: [S-1-5-11]
                denyEnroll: [bob]
              - name: ManagerApproved
                oid: 1.3.6.1.4.1.311.21.8.7.3
                validityDays: 30
                managerApproval: true
                enroll: [S-1-5-11]
              - name: Machine
                oid: 1.3.6.1.4.1.311.21.8.7.4
                subject: computer
                extendedKeyUsages: [serverAuth, clientAuth]
                enroll: [S-1-5-11]
                autoenroll: [S-1-5-11]
            """;

    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir, (world, tls, tlsPw, caKs, caPw, db) -> {
            String config = ServerHarness.config(world, tls, tlsPw, caKs, caPw, db);
            // the main customer's requests that name no template get User
            config = config.replaceFirst("defaultAdServer: ad1\n", "defaultAdServer: ad1\n    defaultTemplate: User\n");
            return config + TEMPLATES;
        });
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static Map<String, Object> withTemplate(Map<String, Object> body, String template) {
        body.put("template", template);
        return body;
    }

    static List<String> actions(JsonNode answer) {
        List<String> actions = new ArrayList<>();
        for (JsonNode action : answer.get("actions")) {
            actions.add(action.get("action").asText() + " " + (action.has("template") ? action.get("template").asText() : "")
                    + (action.has("serial") ? " " + action.get("serial").asText() : ""));
        }
        return actions;
    }

    JsonNode requirements(String user) {
        HttpResponse<String> response = harness.get("/api/v1/requirements?customerUri="
                + java.net.URLEncoder.encode(CUSTOMER, java.nio.charset.StandardCharsets.UTF_8), user);
        assertEquals(200, response.statusCode(), response.body());
        return ServerHarness.parse(response);
    }

    @Test
    void requirements_newUser_enrollsTheAutoenrollTemplate_thenNothingIsDue() {
        assertEquals(List.of("ENROLL User"), actions(requirements("frank")), "only User is autoenrolled; no computer template");
        JsonNode issued = harness.enrollOk("frank", withTemplate(
                ServerHarness.enrollment("frank", "frank@example.com", "Frank Two"), "User"));
        assertEquals(List.of(), actions(requirements("frank")));

        String serial = issued.get("serial").asText();
        HttpResponse<String> lostKey = harness.post("/api/v1/requirements", "frank", ServerHarness.json(Map.of(
                "customerUri", CUSTOMER, "held", List.of(Map.of("serial", serial, "state", "NO_PRIVATE_KEY")))));
        assertEquals(200, lostKey.statusCode(), lostKey.body());
        assertEquals(List.of("ENROLL User"), actions(ServerHarness.parse(lostKey)), "a certificate without its key does not count");
        HttpResponse<String> stillHeld = harness.post("/api/v1/requirements", "frank", ServerHarness.json(Map.of(
                "customerUri", CUSTOMER, "held", List.of(Map.of("serial", serial, "state", "VALID")))));
        assertEquals(List.of(), actions(ServerHarness.parse(stillHeld)));
    }

    @Test
    void requirements_withoutTicket_is401AndHostileBodiesAre44() {
        assertEquals(401, harness.get("/api/v1/requirements?customerUri=x", null).statusCode());
        HttpResponse<String> bad = harness.post("/api/v1/requirements", "alice", "{\"customerUri\":\"" + CUSTOMER
                + "\",\"held\":[{\"serial\":\"AB\",\"state\":\"STOLEN\"}]}");
        assertEquals(400, bad.statusCode());
        assertEquals(44, ServerHarness.parse(bad).get("error").get("code").asInt());
        HttpResponse<String> unknownCustomer = harness.get("/api/v1/requirements?customerUri=nope", "alice");
        assertEquals(2, ServerHarness.parse(unknownCustomer).get("error").get("code").asInt());
    }

    @Test
    void enroll_userTemplate_certificateCarriesTheTemplateExtensionAndEkus() throws Exception {
        JsonNode issued = harness.enrollOk("alice", withTemplate(ServerHarness.alice(), "User"));
        X509Certificate certificate = ServerHarness.certificate(issued.get("certificate").asText());
        byte[] value = certificate.getExtensionValue("1.3.6.1.4.1.311.21.7");
        assertNotNull(value, "the template extension Windows clients match certificates by");
        ASN1Sequence template = ASN1Sequence.getInstance(ASN1OctetString.getInstance(value).getOctets());
        assertEquals("1.3.6.1.4.1.311.21.8.7.1", ASN1ObjectIdentifier.getInstance(template.getObjectAt(0)).getId());
        assertEquals(3, ASN1Integer.getInstance(template.getObjectAt(1)).intValueExact());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4"), certificate.getExtendedKeyUsage());
    }

    @Test
    void enroll_withoutTemplate_getsTheCustomersDefault() {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());
        X509Certificate certificate = ServerHarness.certificate(issued.get("certificate").asText());
        assertNotNull(certificate.getExtensionValue("1.3.6.1.4.1.311.21.7"));
    }

    @Test
    void enroll_refusals_carryTheirCodes() {
        assertCode(403, 49, harness.postJson("/api/v1/enroll", "bob",
                withTemplate(ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"), "StaffOnly")));
        assertEquals(200, harness.postJson("/api/v1/enroll", "alice", withTemplate(ServerHarness.alice(), "StaffOnly")).statusCode());
        assertCode(404, 50, harness.postJson("/api/v1/enroll", "alice", withTemplate(ServerHarness.alice(), "NoSuchTemplate")));
        assertCode(403, 54, harness.postJson("/api/v1/enroll", "alice", withTemplate(ServerHarness.alice(), "Machine")));
    }

    @Test
    void managerApproval_pendsThenAnOfficerApprovesAndTheRequesterCollects() {
        HttpResponse<String> pending = harness.postJson("/api/v1/enroll", "alice", withTemplate(ServerHarness.alice(), "ManagerApproved"));
        assertEquals(202, pending.statusCode(), pending.body());
        String id = ServerHarness.parse(pending).get("requestId").asText();
        assertTrue(actions(requirements("alice")).contains("COLLECT ManagerApproved"), actions(requirements("alice")).toString());
        assertEquals(202, harness.get("/api/v1/requests/" + id, "alice").statusCode(), "still pending");

        HttpResponse<String> approved = harness.send(harness.request("/admin/v1/requests/" + id + "/approve", null)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, approved.statusCode(), approved.body());

        assertCode(404, 46, harness.get("/api/v1/requests/" + id, "bob"));
        HttpResponse<String> collected = harness.get("/api/v1/requests/" + id, "alice");
        assertEquals(200, collected.statusCode(), collected.body());
        X509Certificate certificate = ServerHarness.certificate(ServerHarness.parse(collected).get("certificate").asText());
        assertNotNull(certificate.getExtensionValue("1.3.6.1.4.1.311.21.7"));
        assertTrue(actions(requirements("alice")).stream().noneMatch(a -> a.startsWith("COLLECT")));
    }

    @Test
    void managerApproval_deniedRequest_isRefusedWith55() {
        HttpResponse<String> pending = harness.postJson("/api/v1/enroll", "frank",
                withTemplate(ServerHarness.enrollment("frank", "frank@example.com", "Frank Two"), "ManagerApproved"));
        String id = ServerHarness.parse(pending).get("requestId").asText();
        HttpResponse<String> denied = harness.send(harness.request("/admin/v1/requests/" + id + "/deny", null)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, denied.statusCode(), denied.body());
        assertCode(403, 55, harness.get("/api/v1/requests/" + id, "frank"));
    }

    static void assertCode(int status, int code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, ServerHarness.parse(response).get("error").get("code").asInt(), response.body());
    }
}
