package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.autoenroll.server.audit.AuditChain;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's certificate operations on a running server: search by owner, template, serial,
 * state and expiry, paged with a cursor; show one by its upper-case hex serial; the expiry
 * report; publishing a CRL now (officers only, audited). Bad parameters are 44 or 24, naming the
 * parameter.
 */
class AdminCertificatesTest {
    static final String AUDITOR_TOKEN = "auditor-token-for-certs-test-0123456789";
    static final String OFFICER_TOKEN = "officer-token-for-certs-test-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static Path auditFile;
    static Path auditorTokenFile;
    static Path officerTokenFile;
    static final List<String> ALICE = new ArrayList<>();
    static final List<String> BOB = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path serverDir = dir.resolve("server");
        Files.createDirectories(serverDir);
        auditorTokenFile = Files.writeString(serverDir.resolve("auditor.token"), AUDITOR_TOKEN);
        officerTokenFile = Files.writeString(serverDir.resolve("officer.token"), OFFICER_TOKEN);
        auditFile = serverDir.resolve("audit/audit.log");
        harness = ServerHarness.start(serverDir, (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + """
                          operators:
                            - {name: audrey, token: "file:%s", role: auditor}
                            - {name: olivia, token: "file:%s", role: officer}
                        audit:
                          file: "%s"
                        """.formatted(auditorTokenFile, officerTokenFile, auditFile));
        for (int i = 0; i < 3; i++) {
            ALICE.add(harness.enrollOk("alice", ServerHarness.alice()).get("serial").asText());
        }
        for (int i = 0; i < 2; i++) {
            BOB.add(harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"))
                    .get("serial").asText());
        }
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static HttpResponse<String> admin(String method, String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.base.resolve(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return harness.send(request.build());
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return ServerHarness.parse(response);
    }

    private static int code(HttpResponse<String> response) {
        return ServerHarness.parse(response).path("error").path("code").asInt();
    }

    /** Every certificate a search finds, walking its pages of {@code limit}. */
    static List<JsonNode> all(String query, int limit) {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; pages++) {
            JsonNode page = ok(admin("GET", "/admin/v1/certificates?" + query + "&limit=" + limit
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)), AUDITOR_TOKEN));
            assertTrue(page.get("certificates").size() <= limit);
            page.get("certificates").forEach(all::add);
            if (page.get("next").isNull()) {
                return all;
            }
            after = page.get("next").asText();
        }
        throw new AssertionError("the pages never end");
    }

    private static List<String> serials(List<JsonNode> certificates) {
        return certificates.stream().map(c -> c.get("serial").asText()).toList();
    }

    private static List<String> sorted(List<String> hex) {
        return hex.stream().sorted((a, b) -> new BigInteger(a, 16).compareTo(new BigInteger(b, 16))).toList();
    }

    @Test
    void search_byOwner_pagedOneAtATime_allHerCertificatesBySerial() {
        List<JsonNode> found = all("owner=" + URLEncoder.encode("alice@EXAMPLE.COM", StandardCharsets.UTF_8), 1);
        assertEquals(sorted(ALICE), serials(found).stream().filter(ALICE::contains).toList());
        assertTrue(found.stream().allMatch(c -> c.get("owner").asText().equals("alice@EXAMPLE.COM")));
        JsonNode first = found.get(0);
        assertEquals(ServerHarness.CUSTOMER, first.get("customerUri").asText());
        assertTrue(first.get("notAfter").asText().endsWith("Z"));
        assertFalse(first.has("certificate"), "a search lists no certificates, show does");
    }

    @Test
    void search_byTemplateStateAndExpiry_findsEveryoneWithinTheWindowOnly() {
        String template = all("owner=" + URLEncoder.encode("bob@EXAMPLE.COM", StandardCharsets.UTF_8), 10).get(0)
                .get("template").asText();
        List<String> byTemplate = serials(all("template=" + URLEncoder.encode(template, StandardCharsets.UTF_8)
                + "&state=VALID", 2));
        assertTrue(byTemplate.containsAll(ALICE) && byTemplate.containsAll(BOB), byTemplate.toString());
        // the test profile's certificates live 30 days
        String in31Days = java.time.Instant.now().plus(java.time.Duration.ofDays(31)).toString();
        assertTrue(serials(all("expiringBefore=" + in31Days, 2)).containsAll(BOB));
        assertEquals(List.of(), serials(all("expiringBefore=2000-01-01T00:00:00Z", 2)));
        assertEquals(List.of(), serials(all("template=no-such-template", 2)));
        assertEquals(List.of(BOB.get(1)), serials(all("serial=" + BOB.get(1), 5)));
        assertEquals(List.of(BOB.get(1)), serials(all("serial=" + BOB.get(1).toLowerCase(Locale.ROOT), 5)));
    }

    @Test
    void show_bySerial_recordAndPemOfThatCertificate() {
        String serial = ALICE.get(1);
        JsonNode shown = ok(admin("GET", "/admin/v1/certificates/" + serial, AUDITOR_TOKEN));
        assertEquals(serial, shown.get("serial").asText());
        assertEquals("alice@EXAMPLE.COM", shown.get("owner").asText());
        assertEquals("VALID", shown.get("state").asText());
        assertEquals(new BigInteger(serial, 16),
                ServerHarness.certificate(shown.get("certificate").asText()).getSerialNumber());
        HttpResponse<String> unknown = admin("GET", "/admin/v1/certificates/0BADC0DE0BADC0DE", AUDITOR_TOKEN);
        assertEquals(400, unknown.statusCode());
        assertEquals(24, code(unknown));
        assertEquals(24, code(admin("GET", "/admin/v1/certificates/not-hex", AUDITOR_TOKEN)));
        assertEquals(24, code(admin("GET", "/admin/v1/certificates/00", AUDITOR_TOKEN)));
        assertEquals(48, code(admin("GET", "/admin/v1/certificates/" + serial, null)));
    }

    @Test
    void search_badParameters_44NamingTheParameter() {
        for (String bad : List.of("owner=a&owner=b", "colour=red", "state=EXPIRED", "limit=0", "limit=501",
                "limit=ten", "expiringBefore=tomorrow", "after=bm90IGEgY3Vyc29y", "owner=" + "x".repeat(2000))) {
            HttpResponse<String> refused = admin("GET", "/admin/v1/certificates?" + bad, AUDITOR_TOKEN);
            assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
            assertEquals(44, code(refused), bad);
            assertFalse(refused.body().contains("red") || refused.body().contains("tomorrow"), refused.body());
        }
        assertEquals(24, code(admin("GET", "/admin/v1/certificates?serial=xyz", AUDITOR_TOKEN)));
    }

    @Test
    void expiryReport_withinDays_soonestFirstWithWindow() {
        JsonNode report = ok(admin("GET", "/admin/v1/reports/expiry?days=31&limit=500", AUDITOR_TOKEN));
        assertEquals(31, report.get("days").asInt());
        List<String> listed = serials(iterable(report.get("certificates")));
        assertTrue(listed.containsAll(ALICE) && listed.containsAll(BOB), listed.toString());
        List<String> notAfter = iterable(report.get("certificates")).stream().map(c -> c.get("notAfter").asText()).toList();
        assertEquals(notAfter.stream().map(java.time.Instant::parse).sorted().map(Object::toString).toList(),
                notAfter.stream().map(java.time.Instant::parse).map(Object::toString).toList(), "soonest first");
        JsonNode soon = ok(admin("GET", "/admin/v1/reports/expiry?days=1", AUDITOR_TOKEN));
        assertEquals(0, soon.get("certificates").size(), "30-day certificates do not expire tomorrow");
        assertEquals(44, code(admin("GET", "/admin/v1/reports/expiry?days=0", AUDITOR_TOKEN)));
        assertEquals(44, code(admin("GET", "/admin/v1/reports/expiry?days=99999", AUDITOR_TOKEN)));
    }

    @Test
    void publishCrl_officerOnly_newNumberServedAndAudited() throws Exception {
        BigInteger before = crlNumber();
        HttpResponse<String> forbidden = admin("POST", "/admin/v1/crl", AUDITOR_TOKEN);
        assertEquals(403, forbidden.statusCode());
        assertEquals(58, code(forbidden));
        assertEquals(before, crlNumber(), "an auditor's attempt published nothing");

        JsonNode published = ok(admin("POST", "/admin/v1/crl", OFFICER_TOKEN));
        BigInteger number = new BigInteger(published.get("crlNumber").asText(), 16);
        assertTrue(number.compareTo(before) > 0);
        assertEquals(number, crlNumber(), "the CRL served is the new one");
        assertTrue(published.get("bytes").asLong() > 100);

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(auditFile)) {
            events.add(JSON.readTree(line));
        }
        assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("CRL_PUBLISHED")
                && e.path("operator").asText().equals("olivia")
                && e.path("crlNumber").asText().equals(published.get("crlNumber").asText())), events.toString());
        assertTrue(AuditChain.verify(auditFile).intact());
    }

    @Test
    void commands_searchShowExpiryReportAndCrlPublish_throughTheServer() throws Exception {
        String[] auditor = {"--url", harness.base.toString(), "--cacert", harness.caPem.toString(),
            "--token", "file:" + auditorTokenFile};
        CliTest.Run search = cli("certificates", "search", auditor, "--owner", "bob@EXAMPLE.COM", "--limit", "1");
        assertEquals(0, search.exit(), search.err());
        assertTrue(search.out().contains(sorted(BOB).get(0)) && !search.out().contains(sorted(BOB).get(1)), search.out());
        String next = search.out().lines().filter(l -> l.startsWith("more: --after ")).findFirst().orElseThrow()
                .substring("more: --after ".length());
        CliTest.Run second = cli("certificates", "search", auditor, "--owner", "bob@EXAMPLE.COM", "--limit", "1",
                "--after", next);
        assertTrue(second.out().contains(sorted(BOB).get(1)), second.out());

        CliTest.Run show = cli("certificates", "show", auditor, "--serial", ALICE.get(0).toLowerCase(Locale.ROOT));
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("serial: " + ALICE.get(0)) && show.out().contains("BEGIN CERTIFICATE"), show.out());
        assertFalse(show.out().contains(AUDITOR_TOKEN));
        CliTest.Run unknown = cli("certificates", "show", auditor, "--serial", "0BADC0DE0BADC0DE");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("24 INVALID_SERIAL"), unknown.err());

        CliTest.Run report = cli("expiry-report", "", auditor, "--days", "31", "--limit", "500");
        assertEquals(0, report.exit(), report.err());
        assertTrue(ALICE.stream().allMatch(report.out()::contains), report.out());

        CliTest.Run forbidden = cli("crl", "publish", auditor);
        assertEquals(1, forbidden.exit());
        assertTrue(forbidden.err().contains("58 ADMIN_FORBIDDEN"), forbidden.err());
        CliTest.Run published = cli("crl", "publish", new String[] {"--url", harness.base.toString(), "--cacert",
            harness.caPem.toString(), "--token", "file:" + officerTokenFile});
        assertEquals(0, published.exit(), published.err());
        assertTrue(published.out().startsWith("published CRL number " + crlNumber().toString(16).toUpperCase(Locale.ROOT)),
                published.out());
    }

    private static CliTest.Run cli(String command, String subcommand, String[] connection, String... args) {
        List<String> all = new ArrayList<>(List.of(command));
        if (!subcommand.isEmpty()) {
            all.add(subcommand);
        }
        all.addAll(List.of(connection));
        all.addAll(List.of(args));
        return CliTest.run(all.toArray(String[]::new));
    }

    private static BigInteger crlNumber() throws Exception {
        X509CRLHolder crl = new X509CRLHolder(harness.getBytes("/crl").body());
        return org.bouncycastle.asn1.x509.CRLNumber.getInstance(
                crl.getExtension(org.bouncycastle.asn1.x509.Extension.cRLNumber).getParsedValue()).getCRLNumber();
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
