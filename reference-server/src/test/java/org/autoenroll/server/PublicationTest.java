package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.autoenroll.ca.testkit.OpenSsl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server publishes to anyone: OCSP (POST and GET), the CRL and the delta CRL, checked by openssl. */
class PublicationTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;
    static OpenSsl openssl;
    static Path good;
    static Path revoked;

    @BeforeAll
    static void start() throws Exception {
        openssl = OpenSsl.require();
        harness = ServerHarness.start(dir.resolve("server"));
        JsonNode first = harness.enrollOk("alice", ServerHarness.alice());
        JsonNode second = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        good = Files.writeString(dir.resolve("good.pem"), first.get("certificate").asText());
        revoked = Files.writeString(dir.resolve("revoked.pem"), second.get("certificate").asText());
        HttpResponse<String> revocation = harness.send(HttpRequest.newBuilder(harness.base.resolve("/admin/v1/revoke"))
                .header("Authorization", "Bearer " + ServerHarness.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(
                        Map.of("serial", second.get("serial").asText(), "reason", "keyCompromise")))).build());
        assertEquals(200, revocation.statusCode(), revocation.body());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static byte[] request(Path certificate) throws Exception {
        Path out = dir.resolve("req-" + certificate.getFileName() + ".der");
        openssl.runOk(dir, "ocsp", "-issuer", harness.caPem.toString(), "-cert", certificate.toString(), "-no_nonce",
                "-reqout", out.toString());
        return Files.readAllBytes(out);
    }

    private static String verdict(Path certificate, byte[] response) throws Exception {
        Path in = Files.write(dir.resolve("resp-" + certificate.getFileName() + ".der"), response);
        return openssl.runOk(dir, "ocsp", "-respin", in.toString(), "-issuer", harness.caPem.toString(), "-cert",
                certificate.toString(), "-CAfile", harness.caPem.toString(), "-no_nonce", "-resp_text");
    }

    private static HttpResponse<byte[]> post(byte[] body) throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.base.resolve("/ocsp"))
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void ocspPost_goodAndRevokedCertificates_verifyWithOpenssl() throws Exception {
        HttpResponse<byte[]> goodAnswer = post(request(good));
        assertEquals(200, goodAnswer.statusCode());
        assertEquals("application/ocsp-response", goodAnswer.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", goodAnswer.headers().firstValue("Cache-Control").orElse(""));
        String goodText = verdict(good, goodAnswer.body());
        assertTrue(goodText.contains("Response verify OK") || goodText.contains(good + ": good"), goodText);
        assertTrue(goodText.contains(good + ": good"), goodText);

        String revokedText = verdict(revoked, post(request(revoked)).body());
        assertTrue(revokedText.contains(revoked + ": revoked"), revokedText);
        assertTrue(revokedText.contains("Key Compromise") || revokedText.contains("keyCompromise"), revokedText);
    }

    @Test
    void ocspGet_base64InThePath_answersWithCacheHeaders() throws Exception {
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(request(good)), StandardCharsets.US_ASCII);
        HttpResponse<byte[]> answer = harness.http.send(HttpRequest.newBuilder(harness.base.resolve("/ocsp/" + encoded)).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode());
        assertTrue(answer.headers().firstValue("Cache-Control").orElse("").contains("max-age="), answer.headers().toString());
        assertTrue(answer.headers().firstValue("Last-Modified").isPresent());
        assertTrue(verdict(good, answer.body()).contains(good + ": good"));
    }

    @Test
    void ocspPost_garbage_isMalformedRequestInsideA200() throws Exception {
        HttpResponse<byte[]> answer = post("not an OCSP request".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, answer.statusCode());
        Path in = Files.write(dir.resolve("malformed.der"), answer.body());
        OpenSsl.Result text = openssl.run(dir, "ocsp", "-respin", in.toString(), "-resp_text", "-noverify");
        assertTrue(text.output().contains("malformedrequest") || text.output().toLowerCase().contains("malformed"), text.output());
    }

    @Test
    void crlAndDelta_verifyWithOpensslAndCarryCacheHeaders() throws Exception {
        for (String path : new String[] {"/crl", "/crl/delta"}) {
            HttpResponse<byte[]> crl = harness.getBytes(path);
            assertEquals(200, crl.statusCode(), path);
            assertEquals("application/pkix-crl", crl.headers().firstValue("Content-Type").orElse(""));
            assertTrue(crl.headers().firstValue("Cache-Control").orElse("").contains("max-age="), path);
            assertTrue(crl.headers().firstValue("Expires").isPresent(), path);
            Path pem = OpenSsl.writePem(dir.resolve(path.replace('/', '_') + ".pem"), "X509 CRL", crl.body());
            String text = openssl.runOk(dir, "crl", "-in", pem.toString(), "-CAfile", harness.caPem.toString(), "-noout", "-text");
            assertTrue(text.contains("Issuing Distribution Point"), text);
        }
        Path base = OpenSsl.writePem(dir.resolve("base.pem"), "X509 CRL", harness.getBytes("/crl").body());
        OpenSsl.Result refused = openssl.verify(harness.caPem, revoked, "-crl_check", "-CRLfile", base.toString());
        assertTrue(refused.output().contains("certificate revoked"), refused.output());
    }

    @Test
    void plainHttpListener_servesThePublicationsOnly() throws Exception {
        java.net.URI plain = java.net.URI.create("http://localhost:" + harness.server.publicationPort());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        HttpResponse<byte[]> crl = http.send(HttpRequest.newBuilder(plain.resolve("/crl")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crl.statusCode());
        assertEquals("application/pkix-crl", crl.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, http.send(HttpRequest.newBuilder(plain.resolve("/ca.crt")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        HttpResponse<byte[]> ocsp = http.send(HttpRequest.newBuilder(plain.resolve("/ocsp"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request(good))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(verdict(good, ocsp.body()).contains(good + ": good"));
        for (String path : new String[] {"/api/v1/enroll", "/healthz", "/admin/v1/revoke"}) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(plain.resolve(path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, refused.statusCode(), path + " must not be served over plain HTTP");
        }
    }

    @Test
    void issuedCertificate_pointsAtOcspAndDeltaCrl() throws Exception {
        String text = openssl.certificateText(good);
        assertTrue(text.contains("OCSP - URI:https://localhost:8443/ocsp"), text);
        assertTrue(text.contains("/crl/delta"), text);
    }
}
