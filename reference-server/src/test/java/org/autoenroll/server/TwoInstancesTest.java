package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.ca.testkit.PostgresServer;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server instances on one PostgreSQL database and one CA, as a deployment behind a load
 * balancer runs them: a token replayed to the other instance is refused, concurrent issuance
 * never repeats a serial, concurrent renewals of one certificate across both give exactly one
 * new certificate and revoke the old one once, and a revocation through one instance shows in
 * the next OCSP answer of both, though each had cached a good one.
 */
class TwoInstancesTest {
    @TempDir
    static Path dir;
    static PostgresServer postgres;
    static ServerHarness first;
    static ServerHarness second;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        Path password = Files.writeString(dir.resolve("pg.pw"), "unused-with-trust-auth");
        ServerHarness.ConfigWriter onPostgres = (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db).replace("  dataDir: \"" + db + "\"",
                        "  url: \"" + postgres.jdbcUrl() + "\"\n  user: postgres\n  password: \"file:" + password + "\"");
        Path shared = dir.resolve("deployment");
        first = ServerHarness.start(shared, onPostgres);
        second = ServerHarness.start(shared, onPostgres);
    }

    @AfterAll
    static void stop() throws Exception {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static HttpResponse<String> enrollWithToken(ServerHarness instance, byte[] token, Map<String, Object> body) {
        return instance.send(HttpRequest.newBuilder(instance.base.resolve("/api/v1/enroll"))
                .header("Authorization", "Negotiate " + Base64.getEncoder().encodeToString(token))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(body))).build());
    }

    @Test
    void tokenReplayedToTheOtherInstance_isRefused() {
        byte[] token = TestWorld.get().token("alice");
        assertEquals(200, enrollWithToken(first, token, ServerHarness.alice()).statusCode());
        HttpResponse<String> replayed = enrollWithToken(second, token, ServerHarness.alice());
        assertEquals(401, replayed.statusCode());
        JsonNode error = ServerHarness.parse(replayed).get("error");
        assertEquals(37, error.get("code").asInt());
        // the detail (replayed authenticator) is in the server log only since authentication refusals
        // keep their details from the caller; a fresh token of the same user is accepted by the same
        // instance, so the refusal is the shared replay cache's
        assertEquals(200, enrollWithToken(second, TestWorld.get().token("alice"), ServerHarness.alice()).statusCode());
    }

    @Test
    void concurrentIssuanceOnBothInstances_neverRepeatsASerial() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ServerHarness instance = i % 2 == 0 ? first : second;
                answers.add(pool.submit(() -> instance.postJson("/api/v1/enroll", "bob",
                        ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"))));
            }
            Set<String> serials = new HashSet<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(200, response.statusCode(), response.body());
                serials.add(ServerHarness.parse(response).get("serial").asText());
            }
            assertEquals(20, serials.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRenewalsOfOneCertificateAcrossBoth_issueExactlyOne() throws Exception {
        JsonNode original = first.enrollOk("frank", ServerHarness.enrollment("frank", "frank@example.com", "Frank Two"));
        String serial = original.get("serial").asText();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ServerHarness instance = i % 2 == 0 ? first : second;
                Map<String, Object> renewal = ServerHarness.enrollment("frank", "frank@example.com", "Frank Two");
                renewal.put("renewSerial", serial);
                answers.add(pool.submit(() -> instance.postJson("/api/v1/enroll", "frank", renewal)));
            }
            int issued = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                if (response.statusCode() == 200) {
                    issued++;
                } else {
                    assertEquals(24, ServerHarness.parse(response).get("error").get("code").asInt(), response.body());
                }
            }
            assertEquals(1, issued);
            CertificateRecord old = second.server.component(CertificateStore.class).find(new BigInteger(serial, 16)).orElseThrow();
            assertEquals(CertificateState.REVOKED, old.state());
            assertEquals(RevocationReason.SUPERSEDED, old.revocationReason());
        } finally {
            pool.shutdownNow();
        }
    }

    /** GET /ocsp/{base64} as `openssl ocsp -no_nonce` forms the request: one SHA-1 CertID. */
    private static HttpResponse<byte[]> ocspGet(ServerHarness instance, BigInteger serial) throws Exception {
        X509CertificateHolder ca = new X509CertificateHolder(Base64.getMimeDecoder().decode(Files.readString(instance.caPem)
                .replaceAll("-----[A-Z ]+-----", "")));
        byte[] request = new OCSPReqBuilder().addRequest(new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), ca, serial)).build().getEncoded();
        HttpResponse<byte[]> answer = instance.getBytes("/ocsp/"
                + URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.US_ASCII));
        assertEquals(200, answer.statusCode());
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(answer.body()).getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca)));
        return answer;
    }

    private static CertificateStatus statusIn(HttpResponse<byte[]> answer) throws Exception {
        return ((BasicOCSPResp) new OCSPResp(answer.body()).getResponseObject()).getResponses()[0].getCertStatus();
    }

    @Test
    void ocspAnswersCachedOnBoth_revokedThroughTheFirstAdminApi_nextAnswerOfEachSaysRevoked() throws Exception {
        JsonNode issued = first.enrollOk("alice", ServerHarness.alice());
        BigInteger serial = new BigInteger(issued.get("serial").asText(), 16);
        for (ServerHarness instance : List.of(first, second)) {
            HttpResponse<byte[]> good = ocspGet(instance, serial);
            assertEquals(CertificateStatus.GOOD, statusIn(good));
            // signed once, served again: the same bytes (a new ECDSA signature would differ)
            assertArrayEquals(good.body(), ocspGet(instance, serial).body());
        }
        HttpResponse<String> revocation = first.send(HttpRequest.newBuilder(first.base.resolve("/admin/v1/revoke"))
                .header("Authorization", "Bearer " + ServerHarness.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(
                        Map.of("serial", issued.get("serial").asText(), "reason", "keyCompromise")))).build());
        assertEquals(200, revocation.statusCode(), revocation.body());
        for (ServerHarness instance : List.of(second, first)) {
            RevokedStatus revoked = (RevokedStatus) statusIn(ocspGet(instance, serial));
            assertEquals(RevocationReason.KEY_COMPROMISE.code(), revoked.getRevocationReason());
        }
    }
}
