package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.kerberos.KerberosAcceptor;
import org.autoenroll.ldap.testkit.ComputerSpec;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.autoenroll.server.cli.KeytabCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samba 4 as an Active Directory domain controller: the server's keytab is exported with
 * {@code samba-tool domain exportkeytab} for {@code HTTP/localhost} on a service account, users are
 * read from Samba's LDAPS (port 636, trusting Samba's CA from the configuration), and a user who ran {@code kinit} against Samba's KDC enrolls with
 * {@code curl --negotiate}. The ticket carries a real PAC: its user SID reaches the certificate.
 */
class SambaInteropTest {
    static final String CUSTOMER = "https://test.example/samba";
    static final String SALLY_PASSWORD = "Sally-Samba-Pw-2026!";
    static final String SERVICE_PASSWORD = "Websvc-Samba-Pw-2026!";

    @TempDir
    static Path dir;
    static SambaDcFixture samba;
    static ServerHarness harness;
    static KerberosClient client;
    static Path sallyCache;
    static Path machineCache;
    /** The customer's default (users) and a computer template. */
    static final String SAMBA_TEMPLATES = """
            templates:
              - name: SambaUser
                oid: 1.3.6.1.4.1.311.21.8.9.2
                extendedKeyUsages: [clientAuth, emailProtection]
                enroll: [S-1-5-11]
              - name: SambaMachine
                oid: 1.3.6.1.4.1.311.21.8.9.1
                subject: computer
                extendedKeyUsages: [serverAuth, clientAuth]
                enroll: [S-1-5-11]
                autoenroll: [S-1-5-11]
            """;

    @BeforeAll
    static void start() throws Exception {
        samba = SambaDcFixture.shared();
        samba.addUser(UserSpec.builder("sally").cn("Sally Samba").mail("sally@samba.test")
                .password(SALLY_PASSWORD.toCharArray()).build());
        samba.addComputer(ComputerSpec.builder("WS07").dnsHostName("ws07.samba.test").build());
        String service = samba.addUser(UserSpec.builder("websvc").password(SERVICE_PASSWORD.toCharArray()).build());
        samba.tool("spn", "add", "HTTP/localhost", "websvc");
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            // AES keys for the service, as real AD needs it: without this the keytab holds RC4 only
            admin.modify(service, new Modification(ModificationType.REPLACE, "msDS-SupportedEncryptionTypes", "24"));
        }
        Path keytab = dir.resolve("samba-http.keytab");
        samba.tool("domain", "exportkeytab", keytab.toString(), "--principal=HTTP/localhost");
        Path adPassword = Files.writeString(dir.resolve("samba-bind.pw"), new String(samba.bindPassword()));
        harness = ServerHarness.start(dir.resolve("server"), (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.withTenant(ServerHarness.config(world, tls, tlsPw, caKs, caPw, db), SambaDcFixture.REALM, keytab,
                        // LDAPS to Samba, trusting exactly Samba's CA through the ldap section
                        "samba", "127.0.0.1:" + SambaDcFixture.LDAPS_PORT, true, samba.usersDn(), samba.bindDn(), adPassword,
                        CUSTOMER, 30, "samba.test")
                        .replace("defaultAdServer: samba\n", "defaultAdServer: samba\n    defaultTemplate: SambaUser\n")
                        + "ldap:\n  trustedCertificates: \"" + samba.caCertificatePem() + "\"\n  connectTimeoutMillis: 5000\n"
                        + SAMBA_TEMPLATES);
        Path krb5Conf = Files.writeString(dir.resolve("krb5.conf"), """
                [libdefaults]
                 default_realm = %1$s
                 dns_lookup_kdc = false
                 dns_lookup_realm = false
                 dns_canonicalize_hostname = false
                 rdns = false
                [realms]
                 %1$s = {
                  kdc = 127.0.0.1:88
                 }
                """.formatted(SambaDcFixture.REALM));
        client = new KerberosClient(krb5Conf, dir);
        sallyCache = client.kinit("sally@" + SambaDcFixture.REALM, SALLY_PASSWORD);
        // the machine's own keytab, exported by samba-tool as a join leaves /etc/krb5.keytab on a Linux member
        Path machineKeytab = dir.resolve("ws07.keytab");
        samba.tool("domain", "exportkeytab", machineKeytab.toString(), "--principal=WS07$");
        machineCache = client.kinitKeytab("WS07$@" + SambaDcFixture.REALM, machineKeytab);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void curlNegotiate_sambaTicket_isIssuedWithTheSidFromThePac() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", CUSTOMER);
        body.put("orgId", "30");
        body.put("email", "sally@samba.test");
        body.put("csr", Csrs.csr(Csrs.ec(), "Sally Samba"));
        String output = client.run(null, sallyCache, KerberosClient.curlNegotiate(harness.caPem,
                harness.base.resolve("/api/v1/enroll").toString(), ServerHarness.json(body), false).toArray(String[]::new));
        int split = output.lastIndexOf("\nHTTP ");
        JsonNode answer = ServerHarness.JSON.readTree(output.substring(0, split));
        assertEquals("200", output.substring(split + 6).strip(), answer.toString());
        Path cert = Files.writeString(dir.resolve("sally.pem"), answer.get("certificate").asText());
        assertTrue(openssl.verify(harness.caPem, cert).ok());
        String text = openssl.certificateText(cert);
        assertTrue(text.contains("email:sally@samba.test"), text);
        assertTrue(text.contains("UPN::sally@samba.test"), text);
        assertTrue(text.contains("1.3.6.1.4.1.311.25.2"), "the SID extension (KB5014754) from the PAC: " + text);
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer enroll(Path cache, Map<String, Object> body) throws Exception {
        String output = client.run(null, cache, KerberosClient.curlNegotiate(harness.caPem,
                harness.base.resolve("/api/v1/enroll").toString(), ServerHarness.json(body), false).toArray(String[]::new));
        int split = output.lastIndexOf("\nHTTP ");
        return new Answer(Integer.parseInt(output.substring(split + 6).strip()),
                ServerHarness.JSON.readTree(output.substring(0, split)));
    }

    static Map<String, Object> machineRequest(String template) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", CUSTOMER);
        body.put("csr", Csrs.csr(Csrs.ec(), "ws07.samba.test"));
        body.put("template", template);
        return body;
    }

    /** A domain-joined machine (kinit -k with its keytab from samba-tool, as WS07$) is looked up as a computer and sends no e-mail. */
    @Test
    void machine_computerTemplate_issuedWithItsDnsNameAndServerAuth() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        Answer answer = enroll(machineCache, machineRequest("SambaMachine"));
        assertEquals(200, answer.status(), answer.body().toString());
        Path cert = Files.writeString(dir.resolve("ws07.pem"), answer.body().get("certificate").asText());
        assertTrue(openssl.verify(harness.caPem, cert).ok());
        String text = openssl.certificateText(cert);
        assertTrue(text.contains("DNS:ws07.samba.test"), text);
        assertTrue(text.contains("TLS Web Server Authentication") && text.contains("TLS Web Client Authentication"), text);
        assertTrue(!text.contains("email:"), text);
        assertTrue(text.contains("1.3.6.1.4.1.311.25.2"), "the machine's SID from its PAC: " + text);
    }

    @Test
    void machine_userTemplate_refusedWith54() throws Exception {
        Answer answer = enroll(machineCache, machineRequest("SambaUser"));
        assertEquals(403, answer.status(), answer.body().toString());
        assertEquals(54, answer.body().get("error").get("code").asInt());
    }

    @Test
    void user_computerTemplate_refusedWith54() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", CUSTOMER);
        body.put("orgId", "30");
        body.put("email", "sally@samba.test");
        body.put("csr", Csrs.csr(Csrs.ec(), "Sally Samba"));
        body.put("template", "SambaMachine");
        Answer answer = enroll(sallyCache, body);
        assertEquals(403, answer.status(), answer.body().toString());
        assertEquals(54, answer.body().get("error").get("code").asInt());
    }

    static final String JDOE_PASSWORD = "John-Doe-Samba-Pw-2026!";

    /** Enrolls with curl from {@code cache}; the status line's code and the JSON answer. */
    private static Map.Entry<Integer, JsonNode> enrollFrom(Path cache, String email, String commonName) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", CUSTOMER);
        body.put("orgId", "30");
        body.put("email", email);
        body.put("csr", Csrs.csr(Csrs.ec(), commonName));
        String output = client.run(null, cache, KerberosClient.curlNegotiate(harness.caPem,
                harness.base.resolve("/api/v1/enroll").toString(), ServerHarness.json(body), false).toArray(String[]::new));
        int split = output.lastIndexOf("\nHTTP ");
        return Map.entry(Integer.parseInt(output.substring(split + 6).strip()), ServerHarness.JSON.readTree(output.substring(0, split)));
    }

    /**
     * Issue 12, item 6: the account jdoe logs on as john.doe (its UPN prefix) and as the enterprise
     * name john.doe@samba.test (kinit -E); Samba's PAC names the account jdoe, its UPN_DNS_INFO ties
     * the two, and the entry found by UPN is jdoe with the PAC's SID.
     */
    @Test
    void curlNegotiate_upnPrefixOtherThanTheAccountName_isIssuedForTheAccount() throws Exception {
        if (!usersWithUpn) {
            samba.addUser(UserSpec.builder("jdoe").cn("John Doe").mail("john.doe@samba.test")
                    .userPrincipalName("john.doe@samba.test").password(JDOE_PASSWORD.toCharArray()).build());
            usersWithUpn = true;
        }
        Path cache = client.kinit("john.doe@" + SambaDcFixture.REALM, JDOE_PASSWORD);
        var answer = enrollFrom(cache, "john.doe@samba.test", "John Doe");
        assertEquals(200, answer.getKey(), answer.getValue().toString());

        Path enterprise = client.kinitEnterprise("john.doe@samba.test", JDOE_PASSWORD);
        var second = enrollFrom(enterprise, "john.doe@samba.test", "John Doe");
        assertEquals(200, second.getKey(), second.getValue().toString());
    }

    private static boolean usersWithUpn;

    @Test
    void keytabCommand_fromTheServicePassword_validatesARealSambaTicket() throws Exception {
        Path keytab = dir.resolve("made.keytab");
        Path password = Files.writeString(dir.resolve("websvc.pw"), SERVICE_PASSWORD);
        String kvno;
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            kvno = admin.getEntry(samba.usersDn().replace("CN=Users", "CN=websvc,CN=Users"), "msDS-KeyVersionNumber")
                    .getAttributeValue("msDS-KeyVersionNumber");
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, KeytabCommand.run(new String[] {"--principal", "HTTP/localhost@" + SambaDcFixture.REALM,
            "--password", "file:" + password, "--ad-user", "websvc", "--kvno", kvno, "--out", keytab.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));

        AuthenticatedPrincipal sally = KerberosAcceptor.builder().addRealm(SambaDcFixture.REALM, keytab).build()
                .validate(capturedToken());
        assertEquals("sally@" + SambaDcFixture.REALM, sally.principal());
        assertTrue(sally.userSid().orElseThrow().startsWith("S-1-5-21-"), sally.userSid().toString());
    }

    /** Negative cases driven by a real Samba token, each altering the one thing it needs. */
    @Test
    void sambaToken_replayedSkewedOrUnderTheWrongKey_isRefusedWithItsOwnDetail() throws Exception {
        Path keytab = dir.resolve("samba-negative.keytab");
        samba.tool("domain", "exportkeytab", keytab.toString(), "--principal=HTTP/localhost");
        byte[] token = capturedToken();
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(SambaDcFixture.REALM, keytab).build();
        acceptor.validate(token);
        String replay = refusal(acceptor, token);

        KerberosAcceptor skewed = KerberosAcceptor.builder().addRealm(SambaDcFixture.REALM, keytab)
                .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(10))).build();
        String skew = refusal(skewed, capturedToken());

        Path wrong = dir.resolve("wrong.keytab");
        Path password = Files.writeString(dir.resolve("wrong.pw"), "Not-The-Service-Password-1!");
        String kvno;
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            kvno = admin.getEntry(samba.usersDn().replace("CN=Users", "CN=websvc,CN=Users"), "msDS-KeyVersionNumber")
                    .getAttributeValue("msDS-KeyVersionNumber");
        }
        assertEquals(0, KeytabCommand.run(new String[] {"--principal", "HTTP/localhost@" + SambaDcFixture.REALM,
            "--password", "file:" + password, "--ad-user", "websvc", "--kvno", kvno, "--out", wrong.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        String wrongKey = refusal(KerberosAcceptor.builder().addRealm(SambaDcFixture.REALM, wrong).build(), capturedToken());

        String noRealm = refusal(KerberosAcceptor.builder().addRealm("OTHER.TEST", keytabOfAnotherRealm()).build(),
                capturedToken());
        assertEquals(4, java.util.Set.of(replay, skew, wrongKey, noRealm).size(),
                "each refusal names its own cause: " + java.util.List.of(replay, skew, wrongKey, noRealm));
        assertTrue(replay.toLowerCase().contains("replay"), replay);
    }

    private static String refusal(KerberosAcceptor acceptor, byte[] token) {
        org.autoenroll.api.EnrollmentException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.autoenroll.api.EnrollmentException.class, () -> acceptor.validate(token));
        assertEquals(org.autoenroll.api.ErrorCode.AUTHENTICATION_ERROR, e.code());
        return e.detail();
    }

    private static Path keytabOfAnotherRealm() throws Exception {
        Path other = dir.resolve("other-realm.keytab");
        Path password = Files.writeString(dir.resolve("other.pw"), "other-realm-pw");
        assertEquals(0, KeytabCommand.run(new String[] {"--principal", "HTTP/localhost@OTHER.TEST", "--password",
            "file:" + password, "--out", other.toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        return other;
    }

    /** The Negotiate token curl sends for HTTP/localhost, caught by a plain local HTTP server. */
    private static byte[] capturedToken() throws Exception {
        AtomicReference<String> header = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            header.set(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            client.run(null, sallyCache, KerberosClient.curlNegotiate(null,
                    "http://localhost:" + server.getAddress().getPort() + "/", null, false).toArray(String[]::new));
        } finally {
            server.stop(0);
        }
        assertTrue(header.get() != null && header.get().startsWith("Negotiate "), String.valueOf(header.get()));
        return Base64.getDecoder().decode(header.get().substring("Negotiate ".length()));
    }
}
