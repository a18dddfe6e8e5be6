package org.autoenroll.server;

import org.autoenroll.ldap.testkit.UserSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.ca.testkit.OpenSsl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MIT Kerberos interop: a user of a real MIT KDC (realm MIT.TEST) runs {@code kinit} and enrolls
 * with {@code curl --negotiate}, against a server that serves the Kerby realm EXAMPLE.COM too, each
 * realm with its own keytab and tenant. A ticket of one realm sent to the other's tenant gets 10.
 */
class MitInteropTest {
    static final String MIT_REALM = "MIT.TEST";
    static final String MIT_CUSTOMER = "https://test.example/mit";

    @TempDir
    static Path dir;
    static MitKdc mit;
    static ServerHarness harness;
    static KerberosClient client;
    static Path aliceCache;

    @BeforeAll
    static void start() throws Exception {
        mit = MitKdc.start(MIT_REALM, dir.resolve("mit"));
        mit.addUser("alice", "alice-mit-pw");
        Path keytab = mit.exportKeytab("HTTP/localhost", dir.resolve("mit-http.keytab"));
        harness = ServerHarness.start(dir.resolve("server"),
                (world, tls, tlsPw, caKs, caPw, db) -> withMitRealm(ServerHarness.config(world, tls, tlsPw, caKs, caPw, db), keytab));
        client = mit.client();
        aliceCache = client.kinit("alice@" + MIT_REALM, "alice-mit-pw");
        // an enterprise principal: MIT keeps it as the one-component name carol\@corp.example
        mit.addUser("carol\\@corp.example", "carol-mit-pw");
        TestWorld.get().ad.addUser(UserSpec.builder("ecarol").cn("Carol Enterprise").userPrincipalName("carol@corp.example")
                .mail("carol.enterprise@example.com").build());
    }

    /** The standard test configuration plus the MIT realm, an AD server record for it and its tenant. */
    static String withMitRealm(String config, Path keytab) {
        TestWorld world = TestWorld.get();
        return ServerHarness.withTenant(config, MIT_REALM, keytab, "ad-mit", world.ad.endpoint().toString(), false,
                world.ad.usersDn(), world.ad.bindDn(), world.adPassword, MIT_CUSTOMER, 20, "example.com");
    }

    @AfterAll
    static void stop() throws IOException {
        if (harness != null) {
            harness.close();
        }
        if (mit != null) {
            mit.close();
        }
    }

    private static String body(String customer, String orgId) {
        Map<String, Object> body = new LinkedHashMap<>(ServerHarness.alice());
        body.put("customerUri", customer);
        body.put("orgId", orgId);
        return ServerHarness.json(body);
    }

    /** Runs curl as alice of the MIT realm: the JSON answer and the HTTP status. */
    private static Map.Entry<Integer, JsonNode> curl(String customer, String orgId, boolean anyAuth) throws Exception {
        String output = client.run(null, aliceCache, KerberosClient.curlNegotiate(harness.caPem,
                harness.base.resolve("/api/v1/enroll").toString(), body(customer, orgId), anyAuth).toArray(String[]::new));
        int split = output.lastIndexOf("\nHTTP ");
        int status = Integer.parseInt(output.substring(split + 6).strip());
        return Map.entry(status, ServerHarness.JSON.readTree(output.substring(0, split)));
    }

    @Test
    void curlNegotiate_mitTicketOnFirstRequest_isIssuedAndVerifiesWithOpenssl() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        var answer = curl(MIT_CUSTOMER, "20", false);
        assertEquals(200, answer.getKey(), answer.getValue().toString());
        assertEquals("ISSUED", answer.getValue().get("status").asText());
        Path cert = Files.writeString(dir.resolve("mit-alice.pem"), answer.getValue().get("certificate").asText());
        assertTrue(openssl.verify(harness.caPem, cert).ok());
        assertTrue(openssl.certificateText(cert).contains("email:alice@example.com"));
    }

    @Test
    void curlAnyauth_tokenAfterThe401_isIssued() throws Exception {
        var answer = curl(MIT_CUSTOMER, "20", true);
        assertEquals(200, answer.getKey(), answer.getValue().toString());
        assertEquals("ISSUED", answer.getValue().get("status").asText());
    }

    @Test
    void mitTicket_sentToTheKerbyRealmsTenant_isWindowsDomainMismatch() throws Exception {
        var answer = curl(ServerHarness.CUSTOMER, "1", false);
        assertEquals(403, answer.getKey());
        assertEquals(10, answer.getValue().get("error").get("code").asInt());
    }

    @Test
    void kerbyTicket_sentToTheMitRealmsTenant_isWindowsDomainMismatch() {
        var response = harness.post("/api/v1/enroll", "alice", body(MIT_CUSTOMER, "20"));
        assertEquals(403, response.statusCode());
        assertEquals(10, ServerHarness.parse(response).get("error").get("code").asInt());
    }

    /** A real GSS initiator (MIT's, through python3-gssapi) that requires mutual authentication completes on our AP-REP. */
    @Test
    void mutualAuthentication_mitGssInitiatorCompletesOnTheServersAnswer() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean present = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import gssapi")
                .start().waitFor() == 0;
        if (System.getenv("CI") == null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(present, "python3-gssapi is missing (apt-get install python3-gssapi)");
        }
        assertTrue(present, "python3-gssapi is missing on a CI machine: .ci/run must install it");
        Path script = Path.of(getClass().getResource("/gss-mutual-client.py").toURI());
        String output = client.run(null, aliceCache, python.toString(), script.toString(),
                harness.base.resolve("/api/v1/enroll").toString(), harness.caPem.toString(), body(MIT_CUSTOMER, "20"));
        assertTrue(output.contains("COMPLETE 200"), output);
    }

    /** kinit -E carol@corp.example: the enterprise name (RFC 6806) is accepted and mapped to the entry by UPN. */
    @Test
    void curlNegotiate_enterprisePrincipal_isIssuedForTheEntryWithThatUpn() throws Exception {
        Path cache = client.kinitEnterprise("carol@corp.example", "carol-mit-pw");
        Map<String, Object> body = new LinkedHashMap<>(ServerHarness.enrollment("ecarol", "carol.enterprise@example.com",
                "Carol Enterprise"));
        body.put("customerUri", MIT_CUSTOMER);
        body.put("orgId", "20");
        String output = client.run(null, cache, KerberosClient.curlNegotiate(harness.caPem,
                harness.base.resolve("/api/v1/enroll").toString(), ServerHarness.json(body), false).toArray(String[]::new));
        int split = output.lastIndexOf("\nHTTP ");
        assertEquals(200, Integer.parseInt(output.substring(split + 6).strip()), output);
        assertEquals(1, harness.server.component(org.autoenroll.api.CertificateStore.class)
                .findByOwner(MIT_CUSTOMER, "carol@corp.example@" + MIT_REALM).size());
        String pem = ServerHarness.JSON.readTree(output.substring(0, split)).get("certificate").asText();
        assertTrue(ServerHarness.certificate(pem).getSubjectX500Principal().getName().contains("Carol Enterprise"),
                ServerHarness.certificate(pem).getSubjectX500Principal().getName());
    }

    @Test
    void klist_showsTheServiceTicketCurlUsed() throws Exception {
        curl(MIT_CUSTOMER, "20", false);
        String tickets = client.run(null, aliceCache, "/usr/bin/klist");
        assertTrue(tickets.contains("HTTP/localhost@" + MIT_REALM), tickets);
    }
}
