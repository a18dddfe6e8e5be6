package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.GssTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server-side code the HTTP API reaches with a correctly configured server, triggered
 * through the API: the code, its HTTP status, and that no certificate was stored. Faults of the
 * store, signer and tenant registry are in {@link FaultInjectionTest}.
 */
class ErrorCodesTest {
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

    /** Asserts an error answer: status, code, name, message, hints, no stack trace. */
    static JsonNode assertError(HttpResponse<String> response, ErrorCode code) {
        assertEquals(code.httpStatus(), response.statusCode(), response.body());
        JsonNode error = ServerHarness.parse(response).get("error");
        assertEquals(code.code(), error.get("code").asInt(), response.body());
        assertEquals(code.name(), error.get("name").asText());
        assertEquals(code.message(), error.get("message").asText());
        assertEquals(code.hints().size(), error.get("hints").size());
        assertFalse(response.body().contains("\tat "), "no stack trace in " + response.body());
        assertFalse(response.body().contains("Exception"), "no exception in " + response.body());
        if (code.httpStatus() == 401) {
            assertEquals(List.of("Negotiate"), response.headers().allValues("WWW-Authenticate"));
        }
        return error;
    }

    private static Arguments refusal(String name, String user, ErrorCode code, Consumer<Map<String, Object>> change) {
        return Arguments.of(name, user, code, change);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("1 no customerUri", "alice", ErrorCode.NO_CUSTOMER_URI, b -> b.remove("customerUri")),
                refusal("2 unknown customer", "alice", ErrorCode.CUSTOMER_INVALID, b -> b.put("customerUri", "https://nobody.example")),
                refusal("3 disabled customer", "alice", ErrorCode.CUSTOMER_DISABLED, b -> b.put("customerUri", "https://test.example/disabled")),
                refusal("26 no email", "alice", ErrorCode.NO_EMAIL, b -> b.remove("email")),
                refusal("29 no csr", "alice", ErrorCode.NO_REQUEST, b -> b.remove("csr")),
                refusal("4 unknown domain", "alice", ErrorCode.NO_MATCHED_DOMAIN, b -> b.put("email", "alice@unknown.invalid")),
                refusal("5 domain not authorized", "alice", ErrorCode.DOMAIN_UNAUTHORIZED, b -> b.put("email", "alice@other.org")),
                refusal("6 orgId not a number", "alice", ErrorCode.ORGID_INVALID, b -> b.put("orgId", "abc")),
                refusal("7 no such organization", "alice", ErrorCode.NO_ORGANIZATION_FOUND, b -> b.put("orgId", 999)),
                refusal("8 deleted organization", "alice", ErrorCode.NO_MATCHED_ORGANIZATION, b -> b.put("orgId", "2")),
                refusal("8 another customer's organization", "alice", ErrorCode.NO_MATCHED_ORGANIZATION, b -> b.put("orgId", "3")),
                refusal("9 no AD server bound", "alice", ErrorCode.AD_SERVER_NOT_FOUND, b -> {
                    b.put("customerUri", "https://test.example/noad");
                    b.put("orgId", "4");
                }),
                refusal("10 realm is not the AD server's domain", "alice", ErrorCode.WINDOWS_DOMAIN_MISMATCH, b -> {
                    b.put("customerUri", "https://test.example/other-realm");
                    b.put("orgId", "5");
                }),
                refusal("11 no organization bound to the AD server", "alice", ErrorCode.NO_SUITABLE_ORGANIZATION, b -> {
                    b.put("customerUri", "https://test.example/no-suitable");
                    b.remove("orgId");
                }),
                refusal("13 AD server unreachable", "alice", ErrorCode.AD_UNAVAILABLE, b -> {
                    b.put("customerUri", "https://test.example/dead-ad");
                    b.put("orgId", "6");
                }),
                refusal("17 not in the directory", "erin", ErrorCode.NO_VALID_USER_IN_AD, b -> b.put("email", "erin@example.com")),
                refusal("45 account disabled", "carol", ErrorCode.ACCOUNT_DISABLED, b -> b.put("email", "carol@example.com")),
                refusal("16 no mail in the directory", "dave", ErrorCode.NO_VALID_EMAIL_IN_AD, b -> b.put("email", "dave@example.com")),
                refusal("18 email differs from the directory", "alice", ErrorCode.EMAIL_IN_AD_MISMATCH, b -> b.put("email", "bob@example.com")),
                refusal("19 CN differs from the directory", "alice", ErrorCode.USER_NAME_IN_AD_MISMATCH, b -> b.put("commonName", "Somebody Else")),
                refusal("15 garbage CSR", "alice", ErrorCode.INVALID_CSR, b -> b.put("csr",
                        "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n")),
                refusal("15 RSA-1024 CSR", "alice", ErrorCode.INVALID_CSR, b -> b.put("csr", Csrs.csr(Csrs.rsa(1024), "Alice Demo"))),
                refusal("15 CSR asks for another e-mail", "alice", ErrorCode.INVALID_CSR,
                        b -> b.put("csr", Csrs.csr(Csrs.ec(), "Alice Demo", "bob@example.com"))),
                refusal("24 renewSerial not hex", "alice", ErrorCode.INVALID_SERIAL, b -> b.put("renewSerial", "not-a-serial")),
                refusal("24 renewSerial unknown", "alice", ErrorCode.INVALID_SERIAL, b -> b.put("renewSerial", "ABCDEF0123")),
                refusal("27 service principal as caller", "svc/robot", ErrorCode.INVALID_REMOTE_USER, b -> { }),
                refusal("44 orgId an object", "alice", ErrorCode.MALFORMED_REQUEST, b -> b.put("orgId", Map.of("id", 1))),
                refusal("44 unknown field", "alice", ErrorCode.MALFORMED_REQUEST, b -> b.put("customerURI", "typo")),
                refusal("44 email an array", "alice", ErrorCode.MALFORMED_REQUEST, b -> b.put("email", List.of("a@example.com"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void enroll_refused_answersCodeAndStoresNothing(String name, String user, ErrorCode code, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = new LinkedHashMap<>(ServerHarness.alice());
        change.accept(body);
        String owner = user;
        int before = harness.certificates(owner);

        HttpResponse<String> response = harness.postJson("/api/v1/enroll", user, body);

        assertError(response, code);
        assertEquals(before, harness.certificates(owner), "nothing stored");
    }

    @Test
    void enroll_noAuthorizationHeader_42() {
        int before = harness.certificates("alice");

        HttpResponse<String> response = harness.postJson("/api/v1/enroll", null, ServerHarness.alice());

        assertError(response, ErrorCode.AUTHENTICATION_REQUIRED);
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void enroll_basicAuthorization_42() {
        HttpResponse<String> response = harness.send(harness.request("/api/v1/enroll", null)
                .header("Authorization", "Basic YWxpY2U6YWxpY2UtcHc=")
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(ServerHarness.alice()))).build());

        assertError(response, ErrorCode.AUTHENTICATION_REQUIRED);
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("not base64", "Negotiate !!!not-base64!!!"),
                Arguments.of("random bytes", "Negotiate " + Base64.getEncoder().encodeToString("garbage token".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of("NTLM", "Negotiate " + Base64.getEncoder().encodeToString(GssTokens.ntlmNegotiate())),
                Arguments.of("empty", "Negotiate "),
                Arguments.of("oversized", "Negotiate " + "A".repeat(70_000)));
    }

    @ParameterizedTest(name = "37 {0}")
    @MethodSource("badTokens")
    void enroll_badToken_37(String name, String header) {
        int before = harness.certificates("alice");

        HttpResponse<String> response = harness.send(harness.request("/api/v1/enroll", null).header("Authorization", header)
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(ServerHarness.alice()))).build());

        JsonNode error = assertError(response, ErrorCode.AUTHENTICATION_ERROR);
        assertFalse(error.get("detail").asText().isBlank());
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void enroll_replayedToken_37() {
        byte[] token = TestWorld.get().token("alice");
        String header = "Negotiate " + Base64.getEncoder().encodeToString(token);
        String body = ServerHarness.json(ServerHarness.alice());
        HttpResponse<String> first = harness.send(harness.request("/api/v1/enroll", null).header("Authorization", header)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(200, first.statusCode(), first.body());
        int before = harness.certificates("alice");

        HttpResponse<String> replay = harness.send(harness.request("/api/v1/enroll", null).header("Authorization", header)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertError(replay, ErrorCode.AUTHENTICATION_ERROR);
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void enroll_personOfAnotherCustomer_20() {
        harness.enrollOk("frank", ServerHarness.enrollment("frank", "frank@example.com", "Frank Two"));
        Map<String, Object> body = ServerHarness.enrollment("frank", "frank@example.com", "Frank Two");
        body.put("customerUri", ServerHarness.SECOND);
        body.put("orgId", "3");
        int before = harness.certificates(ServerHarness.SECOND, "frank");

        HttpResponse<String> response = harness.postJson("/api/v1/enroll", "frank", body);

        assertError(response, ErrorCode.PERSON_MISMATCH);
        assertEquals(before, harness.certificates(ServerHarness.SECOND, "frank"));
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("not JSON", "customerUri=x"),
                Arguments.of("truncated", "{\"customerUri\": \"x\""),
                Arguments.of("array", "[]"),
                Arguments.of("null", "null"),
                Arguments.of("empty", ""),
                Arguments.of("trailing data", "{} {}"),
                Arguments.of("duplicate key", "{\"email\": \"a@example.com\", \"email\": \"b@example.com\"}"));
    }

    @ParameterizedTest(name = "44 {0}")
    @MethodSource("malformedBodies")
    void enroll_malformedBody_44(String name, String body) {
        int before = harness.certificates("alice");

        assertError(harness.post("/api/v1/enroll", "alice", body), ErrorCode.MALFORMED_REQUEST);
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void enroll_bodyOverLimitWithContentLength_43() {
        int before = harness.certificates("alice");
        String body = "{\"customerUri\": \"" + "x".repeat(ServerHarness.MAX_BODY) + "\"}";

        assertError(harness.post("/api/v1/enroll", "alice", body), ErrorCode.REQUEST_TOO_LARGE);
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void enroll_chunkedBodyOverLimit_43() {
        byte[] body = ("{\"customerUri\": \"" + "x".repeat(ServerHarness.MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = harness.send(harness.request("/api/v1/enroll", "alice")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertError(response, ErrorCode.REQUEST_TOO_LARGE);
    }

    @Test
    void enroll_bodyExactlyAtLimit_isRead() {
        String json = ServerHarness.json(ServerHarness.alice());
        String padded = json + " ".repeat(ServerHarness.MAX_BODY - json.getBytes(StandardCharsets.UTF_8).length);

        HttpResponse<String> response = harness.post("/api/v1/enroll", "alice", padded);

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void collect_unknownRequest_46() {
        assertError(harness.get("/api/v1/requests/no-such-request", "alice"), ErrorCode.REQUEST_NOT_FOUND);
    }

    @Test
    void collect_otherUsersRequest_46() {
        JsonNode issued = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));

        assertError(harness.get("/api/v1/requests/" + issued.get("requestId").asText(), "alice"), ErrorCode.REQUEST_NOT_FOUND);
    }

    @Test
    void status_badStatus_21() {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());

        assertError(harness.postJson("/api/v1/status", "alice", Map.of("customerUri", ServerHarness.CUSTOMER,
                "serial", issued.get("serial").asText(), "status", "installed-ish")), ErrorCode.INVALID_STATUS);
    }

    @Test
    void status_callerNotAPersonOfTheCustomer_22() {
        assertError(harness.postJson("/api/v1/status", "bob", Map.of("customerUri", "https://test.example/no-suitable",
                "serial", "ABCDEF", "status", "INSTALLED")), ErrorCode.UNKNOWN_PERSON_FOR_STATUS);
    }

    @Test
    void status_unknownSerial_24() {
        harness.enrollOk("alice", ServerHarness.alice());

        assertError(harness.postJson("/api/v1/status", "alice", Map.of("customerUri", ServerHarness.CUSTOMER,
                "serial", "ABCDEF", "status", "INSTALLED")), ErrorCode.INVALID_SERIAL);
    }

    @Test
    void status_noCustomerUri_1() {
        assertError(harness.postJson("/api/v1/status", "alice", Map.of("serial", "ABCDEF", "status", "INSTALLED")),
                ErrorCode.NO_CUSTOMER_URI);
    }

    @Test
    void errorBody_carriesDetail() {
        Map<String, Object> body = ServerHarness.alice();
        body.remove("customerUri");

        JsonNode error = assertError(harness.postJson("/api/v1/enroll", "alice", body), ErrorCode.NO_CUSTOMER_URI);

        assertTrue(error.has("detail"));
    }
}
