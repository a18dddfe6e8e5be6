package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.ca.testkit.OpenSsl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A domain user enrolls over real HTTPS with a real Kerberos ticket; OpenSSL judges the result. */
class EnrollEndToEndTest {
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

    @Test
    void enroll_aliceWithTicketAndRsaCsr_issuesCertificateOpenSslAccepts() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        Map<String, Object> body = ServerHarness.alice();
        body.put("csr", Csrs.csr(Csrs.rsa2048(), "Alice Demo"));
        body.put("commonName", "Alice Demo");
        int before = harness.certificates("alice");

        HttpResponse<String> response = harness.postJson("/api/v1/enroll", "alice", body);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Optional.of("application/json"), response.headers().firstValue("Content-Type"));
        String mutual = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(mutual.startsWith("Negotiate "), mutual);
        assertTrue(Base64.getDecoder().decode(mutual.substring("Negotiate ".length())).length > 0);
        JsonNode answer = ServerHarness.parse(response);
        assertEquals("ISSUED", answer.get("status").asText());
        assertFalse(answer.get("requestId").asText().isBlank());
        X509Certificate certificate = ServerHarness.certificate(answer.get("certificate").asText());
        assertEquals(certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT), answer.get("serial").asText());
        assertEquals(1, answer.get("chain").size());
        assertTrue(ServerHarness.certificate(answer.get("chain").get(0).asText()).getSubjectX500Principal().getName()
                .contains("autoenroll test CA"));
        assertEquals(before + 1, harness.certificates("alice"));

        Path certPem = Files.writeString(dir.resolve("alice.pem"), answer.get("certificate").asText());
        OpenSsl.Result verify = openssl.verify(harness.caPem, certPem);
        assertTrue(verify.ok(), verify.output());
        String text = openssl.certificateText(certPem);
        assertTrue(text.contains("email:alice@example.com"), text);
        assertTrue(text.matches("(?s).*othername:\\s*UPN:+alice@example\\.com.*"), text);
        assertTrue(text.contains("TLS Web Client Authentication"), text);
        assertTrue(text.contains("E-mail Protection"), text);
        assertTrue(text.contains("CN = Alice Demo"), text);
    }

    @Test
    void collect_issuedRequest_returnsSameCertificate() {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());

        HttpResponse<String> response = harness.get("/api/v1/requests/" + issued.get("requestId").asText(), "alice");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode collected = ServerHarness.parse(response);
        assertEquals("ISSUED", collected.get("status").asText());
        assertEquals(issued.get("serial").asText(), collected.get("serial").asText());
        assertEquals(issued.get("certificate").asText(), collected.get("certificate").asText());
    }

    @Test
    void enroll_tokenAfterChallenge_succeedsOnSameClient() {
        // curl --anyauth style: first without credentials, then with the token after the 401.
        String body = ServerHarness.json(ServerHarness.alice());
        HttpResponse<String> challenge = harness.send(harness.request("/api/v1/enroll", null)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(401, challenge.statusCode());
        assertEquals(List.of("Negotiate"), challenge.headers().allValues("WWW-Authenticate"));
        assertEquals(42, ServerHarness.parse(challenge).at("/error/code").asInt());

        HttpResponse<String> answer = harness.post("/api/v1/enroll", "alice", body);

        assertEquals(200, answer.statusCode(), answer.body());
    }

    @Test
    void enroll_orgIdAsNumber_isAccepted() {
        Map<String, Object> body = ServerHarness.alice();
        body.put("orgId", 1);

        assertEquals("ISSUED", harness.enrollOk("alice", body).get("status").asText());
    }

    @Test
    void caCertificate_servedAsDer() throws Exception {
        HttpResponse<byte[]> response = harness.getBytes("/ca.crt");

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/pkix-cert"), response.headers().firstValue("Content-Type"));
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(response.body()));
        assertTrue(ca.getBasicConstraints() >= 0);
    }

    @Test
    void crl_servedAsDerSignedByCa() throws Exception {
        HttpResponse<byte[]> ca = harness.getBytes("/ca.crt");
        HttpResponse<byte[]> response = harness.getBytes("/crl");

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/pkix-crl"), response.headers().firstValue("Content-Type"));
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509CRL crl = (X509CRL) factory.generateCRL(new ByteArrayInputStream(response.body()));
        crl.verify(factory.generateCertificate(new ByteArrayInputStream(ca.body())).getPublicKey());
    }

    @Test
    void healthz_databaseAnswers_up() {
        HttpResponse<String> response = harness.get("/healthz", null);

        assertEquals(200, response.statusCode());
        assertEquals("UP", ServerHarness.parse(response).get("status").asText());
    }

    @Test
    void unknownPath_404WithItsOwnCodeAndNoEcho() {
        HttpResponse<String> response = harness.get("/api/v1/nothing-%3Cscript%3E", "alice");

        assertEquals(404, response.statusCode());
        assertEquals(60, ServerHarness.parse(response).at("/error/code").asInt());
        assertFalse(response.body().contains("script"), response.body());
    }

    @Test
    void wrongMethod_405WithAllow() {
        HttpResponse<String> response = harness.get("/api/v1/enroll", "alice");

        assertEquals(405, response.statusCode());
        assertEquals(Optional.of("POST"), response.headers().firstValue("Allow"));
    }

    @Test
    void serialInAnswer_isTheCertificatesSerial() {
        JsonNode issued = harness.enrollOk("alice", ServerHarness.alice());
        BigInteger serial = new BigInteger(issued.get("serial").asText(), 16);

        assertEquals(serial, ServerHarness.certificate(issued.get("certificate").asText()).getSerialNumber());
    }
}
