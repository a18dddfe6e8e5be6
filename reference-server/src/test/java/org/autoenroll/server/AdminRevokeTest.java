package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.server.cli.RevokeCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators revoke through {@code /admin/v1/revoke} with a token of their own, and through the {@code revoke} command. */
class AdminRevokeTest {
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

    private HttpResponse<String> revoke(String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.base.resolve("/admin/v1/revoke"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return harness.send(request.build());
    }

    private static int code(HttpResponse<String> response) {
        return ServerHarness.parse(response).get("error").get("code").asInt();
    }

    private static String body(String serial, String reason) {
        return ServerHarness.json(Map.of("serial", serial, "reason", reason));
    }

    @Test
    void revoke_withoutOrWithWrongCredentials_is48AndRevokesNothing() {
        JsonNode issued = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        String serial = issued.get("serial").asText();
        HttpResponse<String> none = revoke(null, body(serial, "keyCompromise"));
        assertEquals(401, none.statusCode());
        assertEquals(48, code(none));
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(48, code(revoke("Bearer wrong-token-of-the-right-length-xx", body(serial, "keyCompromise"))));
        assertEquals(48, code(revoke("Negotiate " + java.util.Base64.getEncoder().encodeToString(TestWorld.get().token("alice")),
                body(serial, "keyCompromise"))));
        assertEquals(48, code(revoke("Bearer " + "x".repeat(10_000), body(serial, "keyCompromise"))));
        // still valid: a status report for it is accepted
        assertEquals(200, harness.postJson("/api/v1/status", "bob",
                Map.of("customerUri", ServerHarness.CUSTOMER, "serial", serial, "status", "INSTALLED")).statusCode());
    }

    @Test
    void revoke_badReasonOrUnknownSerial_is47Or24() {
        JsonNode issued = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        String bearer = "Bearer " + ServerHarness.ADMIN_TOKEN;
        HttpResponse<String> badReason = revoke(bearer, body(issued.get("serial").asText(), "removeFromCRL"));
        assertEquals(400, badReason.statusCode());
        assertEquals(47, code(badReason));
        assertEquals(24, code(revoke(bearer, body("0BADC0DE", "keyCompromise"))));
        assertEquals(24, code(revoke(bearer, body("not hex", "keyCompromise"))));
        assertEquals(44, code(revoke(bearer, "{\"serial\":1")));
    }

    @Test
    void revokeCommand_revokesOnceAndTheCrlSaysSo() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());
        String serial = issued.get("serial").asText();
        Path tokenFile = ServerHarness.adminToken(dir.resolve("server"));
        String[] args = {"--url", harness.base.toString(), "--serial", serial, "--reason", "keyCompromise",
            "--token", "file:" + tokenFile, "--cacert", harness.caPem.toString()};

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, RevokeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("KEY_COMPROMISE"));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(ServerHarness.ADMIN_TOKEN));

        Path crl = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", harness.getBytes("/crl").body());
        Path cert = Files.writeString(dir.resolve("revoked.pem"), issued.get("certificate").asText());
        OpenSsl.Result verdict = openssl.verify(harness.caPem, cert, "-crl_check", "-CRLfile", crl.toString());
        assertFalse(verdict.ok(), verdict.output());
        assertTrue(verdict.output().toLowerCase(Locale.ROOT).contains("certificate revoked"), verdict.output());
        assertTrue(openssl.runOk(dir, "crl", "-in", crl.toString(), "-noout", "-text").contains("Key Compromise"));

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(1, RevokeCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(again, true, StandardCharsets.UTF_8)));
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("24 INVALID_SERIAL"), again.toString(StandardCharsets.UTF_8));
    }

    @Test
    void revokeCommand_missingArguments_isUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, RevokeCommand.run(new String[] {"--serial", "01"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--url"));
    }
}
