package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbConfig;
import org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.kerberos.testkit.ServiceTicket;
import org.autoenroll.server.demo.DemoEnvironment;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demo mode end to end: it starts with nothing set up, and alice enrolls through it, first with a
 * token built in Java, then with exactly the commands the demo prints (MIT kinit, openssl, curl).
 * Runs in its own JVM (surefire execution "demo"): the demo starts its own Kerby KDC.
 */
class DemoModeTest {
    @TempDir
    Path dir;

    @Test
    void demo_freshDataDir_aliceEnrollsAndPrintedCommandsWork() throws Exception {
        Path data = dir.resolve("demo-data");
        try (DemoEnvironment demo = DemoEnvironment.start(data, 0)) {
            for (String file : List.of("krb5.conf", "ca.pem", "http.keytab", "demo-config.yaml")) {
                assertTrue(Files.isRegularFile(data.resolve(file)), file);
            }
            assertTrue(Files.readString(data.resolve("krb5.conf")).contains("kdc = 127.0.0.1:" + demo.kdcPort()));

            HttpResponse<String> response = enroll(demo, token(demo));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = ServerHarness.JSON.readTree(response.body());
            assertEquals("ISSUED", answer.get("status").asText());
            OpenSsl openssl = OpenSsl.require();
            Path cert = Files.writeString(dir.resolve("alice.pem"), answer.get("certificate").asText());
            OpenSsl.Result verdict = openssl.verify(demo.caPem(), cert);
            assertTrue(verdict.ok(), verdict.output());

            String instructions = demo.instructions();
            String cep = "https://localhost:" + demo.port() + "/ADPolicyProvider_CEP_Kerberos/service.svc/CEP";
            assertTrue(instructions.contains("CEP URL: " + cep), instructions);
            HttpResponse<String> policies = post(demo, URI.create(cep), token(demo), "application/soap+xml; charset=utf-8",
                    new String(org.autoenroll.wstep.testkit.SoapRequests.getPolicies(
                            org.autoenroll.wstep.testkit.SoapRequests.Style.CEPCES, "urn:uuid:1", cep, null), StandardCharsets.UTF_8));
            assertEquals(200, policies.statusCode(), policies.body());
            assertTrue(policies.body().contains("<commonName>User</commonName>"), policies.body());
            assertTrue(instructions.contains("kinit alice@EXAMPLE.COM"), instructions);
            assertTrue(instructions.contains("curl --negotiate -u : --cacert " + demo.caPem()), instructions);
            runPrintedCommands(instructions);
        }
    }

    @Test
    void demo_restartOnSameDataDir_keepsCa() throws Exception {
        Path data = dir.resolve("demo-data");
        byte[] ca;
        try (DemoEnvironment demo = DemoEnvironment.start(data, 0)) {
            ca = Files.readAllBytes(demo.caPem());
        }
        try (DemoEnvironment demo = DemoEnvironment.start(data, 0)) {
            assertEquals(new String(ca, StandardCharsets.US_ASCII), Files.readString(demo.caPem()));
            assertEquals(200, enroll(demo, token(demo)).statusCode());
        }
    }

    /** Issue 12, item 7: a second demo on the same directory stops before it overwrites anything of the first. */
    @Test
    void demo_secondDemoOnTheSameDataDir_refusedAndChangesNothing() throws Exception {
        Path data = dir.resolve("demo-data");
        try (DemoEnvironment demo = DemoEnvironment.start(data, 0)) {
            Map<String, byte[]> before = new java.util.HashMap<>();
            for (String file : List.of("krb5.conf", "http.keytab", "demo-config.yaml", "tls/server.p12", "secrets/tls.pw")) {
                before.put(file, Files.readAllBytes(data.resolve(file)));
            }
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> DemoEnvironment.start(data, 0));
            assertTrue(refused.getMessage().contains("another autoenroll demo is running"), refused.getMessage());
            for (var file : before.entrySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(file.getValue(), Files.readAllBytes(data.resolve(file.getKey())),
                        file.getKey());
            }
            assertEquals(200, enroll(demo, token(demo)).statusCode());
        }
    }

    /** Issue 12, item 7: keys and database are the owner's only; certificates point at http publication URLs. */
    @Test
    void demo_keytabOwnerOnlyDatabasePrivateAndHttpPublicationUrls() throws Exception {
        Path data = dir.resolve("demo-data");
        try (DemoEnvironment demo = DemoEnvironment.start(data, 0)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve("http.keytab"))));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve("db"))));
            JsonNode answer = ServerHarness.JSON.readTree(enroll(demo, token(demo)).body());
            String text = OpenSsl.require().certificateText(Files.writeString(dir.resolve("alice.pem"),
                    answer.get("certificate").asText()));
            assertTrue(text.contains("URI:http://localhost:") && !text.contains("URI:https://"), text);
        }
    }

    /** A SPNEGO token for alice from the demo's KDC, built as a GSS initiator does. */
    private static byte[] token(DemoEnvironment demo) throws Exception {
        // an explicit configuration: the default constructor would read KRB5_CONFIG
        KrbClient client = new KrbClient(new KrbConfig());
        client.setKdcRealm(DemoEnvironment.REALM);
        client.setKdcHost("127.0.0.1");
        client.setKdcTcpPort(demo.kdcPort());
        client.setAllowUdp(false);
        client.init();
        DemoEnvironment.DemoUser alice = DemoEnvironment.USERS.get(0);
        TgtTicket tgt = client.requestTgt(alice.name() + "@" + DemoEnvironment.REALM, alice.password());
        SgtTicket sgt = client.requestSgt(tgt, DemoEnvironment.SERVICE_PRINCIPAL + "@" + DemoEnvironment.REALM);
        return new ServiceTicket(sgt.getTicket(), sgt.getSessionKey(), alice.name(), DemoEnvironment.REALM).apReq().spnegoToken();
    }

    private static HttpResponse<String> enroll(DemoEnvironment demo, byte[] token) throws Exception {
        String body = ServerHarness.json(Map.of("customerUri", DemoEnvironment.CUSTOMER_URI, "orgId", "1",
                "email", "alice@example.com", "csr", Csrs.csr(Csrs.ec(), "Alice Demo")));
        return post(demo, URI.create("https://localhost:" + demo.port() + "/api/v1/enroll"), token, "application/json", body);
    }

    private static HttpResponse<String> post(DemoEnvironment demo, URI uri, byte[] token, String contentType, String body)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(demo.caPem())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Negotiate " + Base64.getEncoder().encodeToString(token))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the indented command lines of the printed instructions in bash, as a user pastes them. */
    private void runPrintedCommands(String instructions) throws IOException, InterruptedException {
        boolean tools = onPath("kinit") && onPath("curl") && onPath("openssl") && onPath("bash");
        Assumptions.assumeTrue(tools || System.getenv("CI") != null,
                "MIT kinit, curl, openssl or bash missing: the printed commands are not tried (they are in CI)");
        List<String> script = new ArrayList<>(List.of("set -euo pipefail"));
        boolean inBlock = false;
        for (String line : instructions.split("\n")) {
            if (line.startsWith("Enroll as alice")) {
                inBlock = true;
            } else if (inBlock && line.startsWith("  ")) {
                script.add(line);
            } else if (inBlock && !line.isBlank()) {
                break;
            }
        }
        Path work = Files.createDirectories(dir.resolve("shell"));
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", String.join("\n", script)).directory(work.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("KRB5_CONFIG");
        builder.environment().remove("KRB5CCNAME");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "commands timed out");
        assertEquals(0, process.exitValue(), String.join("\n", script) + "\n---\n" + output);
        assertTrue(output.contains("\"status\":\"ISSUED\""), output);
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
