package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.autoenroll.server.cli.Cli;
import org.autoenroll.server.http.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json} against the server that serves it (with operators and the windows
 * section, so that every kind of route exists): every route of the router is documented, every
 * documented operation is a route (methods and paths, path parameters included), every example
 * fits its schema, and real answers (an issued enrollment, an error body, an admin search page,
 * readiness, a request page, a published CRL) fit the documented schema of their status.
 */
class OpenApiTest {
    static final String OFFICER_TOKEN = "officer-token-for-openapi-test-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static JsonNode openApi;
    static SchemaValidator validator;

    @BeforeAll
    static void start() throws Exception {
        Path serverDir = dir.resolve("server");
        Files.createDirectories(serverDir);
        Path officer = Files.writeString(serverDir.resolve("officer.token"), OFFICER_TOKEN);
        harness = ServerHarness.start(serverDir, (world, tls, tlsPw, caKs, caPw, db) ->
                WindowsEnrollmentEndToEndTest.windowsConfig(ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + """
                          operators:
                            - {name: olivia, token: "file:%s", role: officer}
                        """.formatted(officer), false));
        HttpResponse<String> served = harness.send(HttpRequest.newBuilder(harness.base.resolve("/openapi.json")).GET().build());
        assertEquals(200, served.statusCode(), "public: no credentials needed");
        assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        openApi = JSON.readTree(served.body());
        validator = new SchemaValidator(openApi);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** Each documented operation as {@code METHOD path}, with its operation object. */
    private static Map<String, JsonNode> documented() {
        Map<String, JsonNode> operations = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
                }
            }
        }
        return operations;
    }

    /** A documented path as a pattern over the router's paths, whose parameters are written {}. */
    private static Pattern pattern(String method, String path) {
        StringBuilder regex = new StringBuilder(Pattern.quote(method + " "));
        java.util.regex.Matcher parameter = Pattern.compile("\\{[^}/]+\\}").matcher(path);
        int at = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(path.substring(at, parameter.start()))).append("(\\{\\}|[^/{}]+)");
            at = parameter.end();
        }
        regex.append(Pattern.quote(path.substring(at)));
        return Pattern.compile(regex.toString());
    }

    @Test
    void everyRouteDocumented_andEveryDocumentedOperationARoute() {
        List<String> routes = new ArrayList<>(harness.server.component(Router.class).describe());
        assertTrue(routes.contains("GET /admin/v1/certificates/{}") && routes.contains("POST /admin/v1/requests/{}/approve")
                && routes.stream().anyMatch(r -> r.contains("_CES_Kerberos")), routes.toString());
        Map<String, JsonNode> documented = documented();
        Set<String> used = new LinkedHashSet<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            List<String> matches = new ArrayList<>();
            for (Map.Entry<String, JsonNode> operation : documented.entrySet()) {
                String documentedMethod = operation.getKey().substring(0, operation.getKey().indexOf(' '));
                String path = operation.getKey().substring(documentedMethod.length() + 1);
                boolean slash = operation.getValue().path("x-trailing-slash").asBoolean();
                if (pattern(documentedMethod, path).matcher(route).matches()
                        || (slash && route.endsWith("/") && pattern(documentedMethod, path).matcher(
                                route.substring(0, route.length() - 1)).matches())) {
                    matches.add(operation.getKey());
                }
            }
            assertEquals(1, matches.size(), route + " is documented once: " + matches);
            assertTrue(method.equals(matches.get(0).substring(0, matches.get(0).indexOf(' '))));
            used.add(matches.get(0));
        }
        Set<String> unused = new LinkedHashSet<>(documented.keySet());
        unused.removeAll(used);
        assertEquals(Set.of(), unused, "documented operations that are no route");
    }

    @Test
    void everyExample_fitsItsSchema() {
        int checked = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operation : documented().entrySet()) {
            List<JsonNode> contents = new ArrayList<>();
            operation.getValue().path("requestBody").path("content").forEach(contents::add);
            operation.getValue().path("responses").forEach(r -> r.path("content").forEach(contents::add));
            for (JsonNode content : contents) {
                if (content.has("example") && content.has("schema")
                        && !"string".equals(validator.resolve(content.get("schema")).path("type").asText())) {
                    validator.problems(content.get("schema"), content.get("example"))
                            .forEach(p -> problems.add(operation.getKey() + " " + p));
                    checked++;
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> schemas = openApi.at("/components/schemas").fields(); schemas.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = schemas.next();
            if (schema.getValue().has("example")) {
                validator.problems(schema.getValue(), schema.getValue().get("example"))
                        .forEach(p -> problems.add(schema.getKey() + " " + p));
                checked++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 20, checked + " examples");
    }

    @Test
    void validator_refusesWhatBreaksASchema() {
        JsonNode certificate = openApi.at("/components/schemas/Certificate");
        ObjectMapper m = JSON;
        assertTrue(validator.problems(certificate, m.createObjectNode()).size() >= 7, "required properties");
        JsonNode page = openApi.at("/components/schemas/CertificatePage");
        assertEquals(1, validator.problems(page, m.createObjectNode().put("next", 3).putNull("certificates")
                .put("next", "x")).stream().filter(p -> p.contains("certificates")).count());
        var bad = m.createObjectNode().put("serial", "4f").put("customerUri", "u").put("owner", "o").put("state", "EXPIRED")
                .put("notBefore", "yesterday").put("notAfter", "2027-01-01T00:00:00Z").put("requestId", "r").put("colour", "red");
        List<String> problems = validator.problems(certificate, bad);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.serial")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.state")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.notBefore")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("colour")), problems.toString());
    }

    /** The documented schema of {@code status} for {@code METHOD path}, then the real answer checked against it. */
    private static void fits(String operation, HttpResponse<String> answer) throws Exception {
        JsonNode documented = documented().get(operation);
        assertTrue(documented != null, operation + " is documented");
        JsonNode response = documented.path("responses").path(Integer.toString(answer.statusCode()));
        assertTrue(!response.isMissingNode(), operation + " documents status " + answer.statusCode() + ": " + answer.body());
        JsonNode schema = response.path("content").path("application/json").path("schema");
        assertTrue(!schema.isMissingNode(), operation + " " + answer.statusCode() + " has a JSON schema");
        assertEquals(List.of(), validator.problems(schema, JSON.readTree(answer.body())), operation + ": " + answer.body());
    }

    private static HttpResponse<String> admin(String method, String path) {
        return harness.send(HttpRequest.newBuilder(harness.base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + OFFICER_TOKEN).build());
    }

    @Test
    void realAnswers_fitTheirDocumentedSchemas() throws Exception {
        Map<String, Object> enrollment = new java.util.LinkedHashMap<>(ServerHarness.alice());
        enrollment.put("template", "CorpUser");
        HttpResponse<String> issued = harness.postJson("/api/v1/enroll", "alice", enrollment);
        assertEquals(200, issued.statusCode(), issued.body());
        fits("POST /api/v1/enroll", issued);
        HttpResponse<String> refused = harness.postJson("/api/v1/enroll", "alice",
                Map.of("customerUri", "https://test.example/unknown", "orgId", "1", "email", "alice@example.com"));
        assertTrue(refused.statusCode() >= 400, refused.body());
        fits("POST /api/v1/enroll", refused);
        String serial = ServerHarness.parse(issued).get("serial").asText();

        fits("GET /admin/v1/certificates", admin("GET", "/admin/v1/certificates?owner="
                + URLEncoder.encode("alice@EXAMPLE.COM", StandardCharsets.UTF_8) + "&limit=1"));
        fits("GET /admin/v1/certificates", admin("GET", "/admin/v1/certificates?colour=red"));
        fits("GET /admin/v1/certificates/{serial}", admin("GET", "/admin/v1/certificates/" + serial));
        fits("GET /admin/v1/reports/expiry", admin("GET", "/admin/v1/reports/expiry?days=60"));
        fits("GET /admin/v1/requests", admin("GET", "/admin/v1/requests?state=PENDING"));
        fits("POST /admin/v1/crl", admin("POST", "/admin/v1/crl"));
        fits("GET /healthz/ready", harness.send(HttpRequest.newBuilder(harness.base.resolve("/healthz/ready")).GET().build()));
        fits("GET /api/v1/requirements", harness.get("/api/v1/requirements?customerUri="
                + URLEncoder.encode(ServerHarness.CUSTOMER, StandardCharsets.UTF_8), "alice"));
        fits("POST /admin/v1/revoke", admin("POST", "/admin/v1/revoke"));
        fits("POST /admin/v1/reload", admin("POST", "/admin/v1/reload"));
    }

    @Test
    void infoVersion_isTheBuildVersion() throws Exception {
        assertEquals(Cli.Version.version(), openApi.at("/info/version").asText());
        assertEquals("3.0.3", openApi.get("openapi").asText());
    }
}
