package org.autoenroll.server;

import static org.autoenroll.server.ServerHarness.ADMIN_TOKEN;
import static org.autoenroll.server.ServerHarness.CUSTOMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the configuration without a restart (issue 13, item 7): {@code POST /admin/v1/reload}
 * swaps in a new configuration whole (a new template shows in the requirements list), refuses a bad
 * file or a change to what only a restart changes whole (422, code 64, the old configuration still
 * serving), lets a request in flight finish on the configuration it started with, and audits both.
 */
class ReloadTest {
    static final String EXTRA = """
              - name: Extra
                oid: 1.3.6.1.4.1.311.21.8.7.9
                validityDays: 30
                enroll: [S-1-5-11]
                autoenroll: [S-1-5-11]
            """;

    @TempDir
    Path dir;
    ServerHarness harness;
    Path configFile;
    Path auditFile;
    String original;

    @BeforeEach
    void start() throws Exception {
        auditFile = dir.resolve("audit.log");
        harness = ServerHarness.start(dir, (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + TemplatesServerTest.TEMPLATES
                        + "audit:\n  file: \"" + auditFile + "\"\n");
        configFile = dir.resolve("server.yaml");
        harness.server.reloadableFrom(configFile);
        original = Files.readString(configFile);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private HttpResponse<String> reload(String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.base.resolve("/admin/v1/reload"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return harness.send(request.build());
    }

    private List<String> requirements(String user) {
        HttpResponse<String> response = harness.get("/api/v1/requirements?customerUri="
                + java.net.URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8), user);
        assertEquals(200, response.statusCode(), response.body());
        return TemplatesServerTest.actions(ServerHarness.parse(response));
    }

    private void rewrite(String config) throws Exception {
        Files.writeString(configFile, config);
    }

    @Test
    void newTemplate_reloaded_requirementsListShowsIt() throws Exception {
        assertEquals(List.of("ENROLL User"), requirements("frank"));
        rewrite(original.replace("templates:\n", "templates:\n" + EXTRA));

        HttpResponse<String> answer = reload(ADMIN_TOKEN);

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = ServerHarness.parse(answer);
        assertEquals("RELOADED", body.get("status").asText());
        assertTrue(body.get("templates").toString().contains("Extra"), answer.body());
        assertEquals(List.of("ENROLL Extra", "ENROLL User"), requirements("frank").stream().sorted().toList());
        String audit = Files.readString(auditFile);
        assertTrue(audit.contains("\"CONFIG_LOADED\"") && audit.contains("\"reload\":true"), audit);
    }

    @Test
    void brokenFile_refusedWhole_oldTemplatesStillServed() throws Exception {
        rewrite(original.replace("templates:\n", "templates:\n" + EXTRA) + "listen:\n  port: 1\n");

        HttpResponse<String> answer = reload(ADMIN_TOKEN);

        assertEquals(422, answer.statusCode(), answer.body());
        JsonNode error = ServerHarness.parse(answer).get("error");
        assertEquals(64, error.get("code").asInt());
        assertEquals("CONFIGURATION_REFUSED", error.get("name").asText());
        assertTrue(error.get("detail").asText().contains("listen: the key is written twice (line "), answer.body());
        assertEquals(List.of("ENROLL User"), requirements("frank"), "the old configuration keeps serving");
        String audit = Files.readString(auditFile);
        assertTrue(audit.contains("\"CONFIG_REFUSED\"") && audit.contains("written twice"), audit);
    }

    @Test
    void invalidTemplate_refusedWithTheLoadersWords() throws Exception {
        rewrite(original.replace("templates:\n", "templates:\n" + EXTRA.replace("validityDays: 30", "validityDays: thirty")));

        HttpResponse<String> answer = reload(ADMIN_TOKEN);

        assertEquals(422, answer.statusCode(), answer.body());
        assertTrue(ServerHarness.parse(answer).get("error").get("detail").asText()
                .contains("templates[0].validityDays: must be a whole number, got \"thirty\" (line "), answer.body());
        assertEquals(List.of("ENROLL User"), requirements("frank"));
    }

    @Test
    void changedPortOrDatabase_refused_restartNeeded() throws Exception {
        rewrite(original.replace("  port: 0\n", "  port: 0\n  host: 0.0.0.0\n").replace("  host: 127.0.0.1\n", "")
                .replace("templates:\n", "templates:\n" + EXTRA));

        HttpResponse<String> answer = reload(ADMIN_TOKEN);

        assertEquals(422, answer.statusCode(), answer.body());
        assertTrue(ServerHarness.parse(answer).get("error").get("detail").asText()
                .contains("listen: changed, but a reload cannot change it"), answer.body());
        assertEquals(List.of("ENROLL User"), requirements("frank"), "refused whole: the new template is not served either");
    }

    @Test
    void unreadableKeytabOfANewRealm_refusedWhole() throws Exception {
        Path garbage = Files.write(dir.resolve("other.keytab"), new byte[] {5, 2, 0, 0, 0, 99, 1, 2, 3});
        rewrite(original.replace("realms:\n", "realms:\n  - realm: OTHER.COM\n    keytab: \"" + garbage + "\"\n")
                .replace("templates:\n", "templates:\n" + EXTRA));

        HttpResponse<String> answer = reload(ADMIN_TOKEN);

        assertEquals(422, answer.statusCode(), answer.body());
        assertTrue(ServerHarness.parse(answer).get("error").get("detail").asText().contains("the keytab for realm OTHER.COM cannot be read"), answer.body());
        assertEquals(List.of("ENROLL User"), requirements("frank"), "refused whole: the new template is not served either");
    }

    @Test
    void withoutOfficerToken_refused() {
        assertEquals(401, reload(null).statusCode());
    }

    @Test
    void requestInFlightAcrossReload_completesOnTheConfigurationItStartedWith() throws Exception {
        byte[] body = ServerHarness.json(java.util.Map.of("customerUri", CUSTOMER)).getBytes(StandardCharsets.UTF_8);
        String token = Base64.getEncoder().encodeToString(TestWorld.get().token("frank"));
        try (SSLSocket socket = (SSLSocket) harness.http.sslContext().getSocketFactory()
                .createSocket("localhost", harness.server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/requirements HTTP/1.1\r\nHost: localhost\r\nAuthorization: Negotiate " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 5);
            out.flush();
            Thread.sleep(500); // the request is routed and authenticated, waiting for the rest of its body

            rewrite(original.replace("templates:\n", "templates:\n" + EXTRA));
            assertEquals(200, reload(ADMIN_TOKEN).statusCode());
            assertEquals(List.of("ENROLL Extra", "ENROLL User"), requirements("frank").stream().sorted().toList(),
                    "a new request sees the new configuration");

            out.write(body, 5, body.length - 5);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            StringBuilder response = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                response.append(line).append('\n');
            }
            assertEquals("HTTP/1.1 200 OK", status, response.toString());
            assertTrue(response.toString().contains("\"User\""), response.toString());
            assertFalse(response.toString().contains("Extra"), "the request in flight finished on the old configuration: "
                    + response);
        }
    }
}
