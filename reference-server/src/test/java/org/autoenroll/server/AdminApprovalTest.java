package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.server.cli.RequestCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Officers approve and deny pending requests through {@code /admin/v1/requests} and the
 * {@code pending}, {@code approve} and {@code deny} commands, each operator with a token and a
 * role of their own: an auditor lists but cannot decide or revoke (58), a decision names its
 * officer, only a pending request can be decided (46). bob's requests pend; alice's are issued.
 */
class AdminApprovalTest {
    private static final String AUDITOR_TOKEN = "auditor-token-for-tests-0123456789";
    private static final String OFFICER_TOKEN = "officer-token-for-tests-0123456789";

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static Path auditorTokenFile;
    static Path officerTokenFile;

    @BeforeAll
    static void start() throws Exception {
        Path serverDir = dir.resolve("server");
        Files.createDirectories(serverDir);
        auditorTokenFile = Files.writeString(serverDir.resolve("auditor.token"), AUDITOR_TOKEN);
        officerTokenFile = Files.writeString(serverDir.resolve("officer.token"), OFFICER_TOKEN);
        harness = ServerHarness.start(serverDir, (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + """
                          operators:
                            - {name: audrey, token: "file:%s", role: auditor}
                            - {name: olivia, token: "file:%s", role: officer}
                        """.formatted(auditorTokenFile, officerTokenFile), new AbstractModule() {
                    @Provides
                    @Singleton
                    EnrollmentPolicy policy(CertificateProfile profile) {
                        EnrollmentPolicy issue = new DefaultEnrollmentPolicy(profile);
                        return request -> request.principal().principal().startsWith("bob@")
                                ? new EnrollmentPolicy.Pend(profile, "needs a manager's approval") : issue.decide(request);
                    }
                });
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** bob enrolls, the policy pends it: its request id. */
    private static String pendingRequest() {
        HttpResponse<String> response = harness.postJson("/api/v1/enroll", "bob",
                ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        assertEquals(202, response.statusCode(), response.body());
        return ServerHarness.parse(response).get("requestId").asText();
    }

    private static HttpResponse<String> admin(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return harness.send(request.build());
    }

    private static int code(HttpResponse<String> response) {
        return ServerHarness.parse(response).path("error").path("code").asInt();
    }

    private static RequestRecord stored(String requestId) throws Exception {
        return harness.server.component(CertificateStore.class).findRequest(requestId).orElseThrow();
    }

    /** Every pending request, walking the pages of {@code pageSize}. */
    private static List<JsonNode> allPending(String token, int pageSize) {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; pages++) {
            HttpResponse<String> page = admin("GET", "/admin/v1/requests?state=PENDING&limit=" + pageSize
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)), token, null);
            assertEquals(200, page.statusCode(), page.body());
            JsonNode answer = ServerHarness.parse(page);
            assertTrue(answer.get("requests").size() <= pageSize);
            answer.get("requests").forEach(all::add);
            if (answer.get("next").isNull()) {
                return all;
            }
            after = answer.get("next").asText();
        }
        throw new AssertionError("the pages never end");
    }

    @Test
    void pendingRequest_listedForAuditorWithWhatTheClientSent() {
        String id = pendingRequest();
        JsonNode listed = allPending(AUDITOR_TOKEN, 1000).stream()
                .filter(r -> r.get("requestId").asText().equals(id)).findFirst().orElseThrow();
        assertEquals("PENDING", listed.get("state").asText());
        assertEquals("bob@" + TestWorld.REALM, listed.get("owner").asText());
        assertEquals(ServerHarness.CUSTOMER, listed.get("customerUri").asText());
        assertEquals("bob@example.com", listed.get("email").asText());
        assertEquals("1", listed.get("orgId").asText());
        assertEquals("default", listed.get("template").asText());
        assertTrue(listed.get("csr").asText().startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        assertFalse(listed.get("expired").asBoolean());
    }

    @Test
    void auditor_cannotApproveDenyRevokeOrReload_58AndTheRequestStaysPending() throws Exception {
        String id = pendingRequest();
        for (HttpResponse<String> refused : List.of(
                admin("POST", "/admin/v1/requests/" + id + "/approve", AUDITOR_TOKEN, null),
                admin("POST", "/admin/v1/requests/" + id + "/deny", AUDITOR_TOKEN, "{\"reason\":\"no\"}"),
                admin("POST", "/admin/v1/revoke", AUDITOR_TOKEN, "{\"serial\":\"01\",\"reason\":\"keyCompromise\"}"),
                admin("POST", "/admin/v1/reload", AUDITOR_TOKEN, null))) {
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals(58, code(refused));
        }
        assertEquals(RequestRecord.State.PENDING, stored(id).state());
    }

    @Test
    void officer_approves_decisionNamesTheOfficerAndOnlyOnce() throws Exception {
        String id = pendingRequest();
        HttpResponse<String> approved = admin("POST", "/admin/v1/requests/" + id + "/approve", OFFICER_TOKEN, null);
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("APPROVED", ServerHarness.parse(approved).get("state").asText());
        assertEquals("olivia", ServerHarness.parse(approved).get("decidedBy").asText());
        RequestRecord record = stored(id);
        assertEquals(RequestRecord.State.APPROVED, record.state());
        assertEquals("olivia", record.decidedBy());
        assertNotNull(record.decidedAt());

        // decided once: approving or denying it again is 46 and changes nothing
        HttpResponse<String> again = admin("POST", "/admin/v1/requests/" + id + "/approve", OFFICER_TOKEN, "{}");
        assertEquals(404, again.statusCode());
        assertEquals(46, code(again));
        assertEquals(46, code(admin("POST", "/admin/v1/requests/" + id + "/deny", OFFICER_TOKEN, null)));
        assertEquals(record, stored(id));
        assertTrue(allPending(OFFICER_TOKEN, 1000).stream().noneMatch(r -> r.get("requestId").asText().equals(id)));
    }

    @Test
    void officer_deniesWithReason_stateDenied() throws Exception {
        String id = pendingRequest();
        HttpResponse<String> denied = admin("POST", "/admin/v1/requests/" + id + "/deny", OFFICER_TOKEN,
                "{\"reason\":\"not for contractors\"}");
        assertEquals(200, denied.statusCode(), denied.body());
        assertEquals("DENIED", ServerHarness.parse(denied).get("state").asText());
        assertEquals(RequestRecord.State.DENIED, stored(id).state());
        assertEquals("olivia", stored(id).decidedBy());
    }

    @Test
    void decide_issuedUnknownOrBadBody_refusedAndNothingChanges() throws Exception {
        String issued = harness.enrollOk("alice", ServerHarness.alice()).get("requestId").asText();
        HttpResponse<String> notPending = admin("POST", "/admin/v1/requests/" + issued + "/approve", OFFICER_TOKEN, null);
        assertEquals(404, notPending.statusCode());
        assertEquals(46, code(notPending));
        assertEquals(RequestRecord.State.ISSUED, stored(issued).state());
        assertEquals(46, code(admin("POST", "/admin/v1/requests/no-such-request/approve", OFFICER_TOKEN, null)));
        assertEquals(46, code(admin("POST", "/admin/v1/requests/" + "x".repeat(300) + "/deny", OFFICER_TOKEN, null)));

        String id = pendingRequest();
        assertEquals(44, code(admin("POST", "/admin/v1/requests/" + id + "/approve", OFFICER_TOKEN, "{\"really\":true}")));
        assertEquals(44, code(admin("POST", "/admin/v1/requests/" + id + "/deny", OFFICER_TOKEN, "{\"reason\":[\"a\"]}")));
        assertEquals(44, code(admin("POST", "/admin/v1/requests/" + id + "/deny", OFFICER_TOKEN,
                "{\"reason\":\"" + "x".repeat(600) + "\"}")));
        assertEquals(RequestRecord.State.PENDING, stored(id).state());
        // no such action; the wrong method on a decision
        assertEquals(404, admin("POST", "/admin/v1/requests/" + id + "/reopen", OFFICER_TOKEN, null).statusCode());
        assertEquals(405, admin("GET", "/admin/v1/requests/" + id + "/approve", OFFICER_TOKEN, null).statusCode());
    }

    @Test
    void expiredPendingRequest_approvalIs56DenialClearsIt() throws Exception {
        // a request of bob's that has waited 61 days, as the store would hold it
        String id = "expired-" + System.nanoTime();
        harness.server.component(CertificateStore.class).recordPending(RequestRecord.pending(id, ServerHarness.CUSTOMER,
                "bob@" + TestWorld.REALM, Instant.now().minus(java.time.Duration.ofDays(61)),
                new RequestRecord.Submitted("default", "1", "bob@example.com", null,
                        Csrs.csr(Csrs.ec(), "Bob Example"), null)));
        JsonNode listed = allPending(AUDITOR_TOKEN, 1000).stream()
                .filter(r -> r.get("requestId").asText().equals(id)).findFirst().orElseThrow();
        assertTrue(listed.get("expired").asBoolean());

        HttpResponse<String> approve = admin("POST", "/admin/v1/requests/" + id + "/approve", OFFICER_TOKEN, null);
        assertEquals(410, approve.statusCode(), approve.body());
        assertEquals(56, code(approve));
        assertEquals(RequestRecord.State.PENDING, stored(id).state());
        assertEquals(200, admin("POST", "/admin/v1/requests/" + id + "/deny", OFFICER_TOKEN, null).statusCode());
        assertEquals(RequestRecord.State.DENIED, stored(id).state());
    }

    @Test
    void list_oneCustomer_onlyItsRequests() {
        String id = pendingRequest();
        HttpResponse<String> other = admin("GET", "/admin/v1/requests?customerUri="
                + URLEncoder.encode(ServerHarness.SECOND, StandardCharsets.UTF_8), AUDITOR_TOKEN, null);
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(0, ServerHarness.parse(other).get("requests").size());
        HttpResponse<String> mine = admin("GET", "/admin/v1/requests?limit=1000&customerUri="
                + URLEncoder.encode(ServerHarness.CUSTOMER, StandardCharsets.UTF_8), AUDITOR_TOKEN, null);
        List<String> ids = new ArrayList<>();
        ServerHarness.parse(mine).get("requests").forEach(r -> ids.add(r.get("requestId").asText()));
        assertTrue(ids.contains(id), ids.toString());
    }

    @Test
    void legacyAdminToken_isAnOfficerNamedAdmin() throws Exception {
        String id = pendingRequest();
        HttpResponse<String> approved = admin("POST", "/admin/v1/requests/" + id + "/approve", ServerHarness.ADMIN_TOKEN, null);
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("admin", stored(id).decidedBy());
    }

    @Test
    void withoutOrWithWrongToken_48() {
        for (HttpResponse<String> refused : List.of(
                admin("GET", "/admin/v1/requests", null, null),
                admin("GET", "/admin/v1/requests", "not-anyones-token-0123456789", null),
                admin("POST", "/admin/v1/requests/x/approve", "not-anyones-token-0123456789", null))) {
            assertEquals(401, refused.statusCode());
            assertEquals(48, code(refused));
        }
    }

    @Test
    void list_pagedByCursorEachOnceOldestFirst_badParameters44() {
        Set<String> mine = new HashSet<>(List.of(pendingRequest(), pendingRequest(), pendingRequest()));
        List<JsonNode> all = allPending(AUDITOR_TOKEN, 2);
        List<String> ids = all.stream().map(r -> r.get("requestId").asText()).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "a request on two pages: " + ids);
        assertTrue(ids.containsAll(mine), ids + " lacks some of " + mine);
        for (int i = 1; i < all.size(); i++) {
            assertFalse(Instant.parse(all.get(i - 1).get("createdAt").asText())
                    .isAfter(Instant.parse(all.get(i).get("createdAt").asText())), "not oldest first: " + ids);
        }
        assertEquals(ids, allPending(AUDITOR_TOKEN, 1000).stream().map(r -> r.get("requestId").asText()).toList());

        for (String bad : List.of("limit=0", "limit=1001", "limit=many", "state=ISSUED", "colour=red",
                "after=bm90IGEgY3Vyc29y", "limit=1&limit=2")) {
            HttpResponse<String> refused = admin("GET", "/admin/v1/requests?" + bad, AUDITOR_TOKEN, null);
            assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
            assertEquals(44, code(refused), bad);
        }
    }

    @Test
    void commands_pendingThenApproveAndDeny_throughTheServer() throws Exception {
        String toApprove = pendingRequest();
        String toDeny = pendingRequest();
        String[] connection = {"--url", harness.base.toString(), "--cacert", harness.caPem.toString()};

        Run pending = Run.of(RequestCommands::pending, connection, "--token", "file:" + auditorTokenFile, "--limit", "1000");
        assertEquals(0, pending.exit, pending.err);
        assertTrue(pending.out.contains(toApprove) && pending.out.contains(toDeny), pending.out);
        assertFalse(pending.out.contains(AUDITOR_TOKEN));

        Run forbidden = Run.of(RequestCommands::approve, connection, "--token", "file:" + auditorTokenFile, "--id", toApprove);
        assertEquals(1, forbidden.exit);
        assertTrue(forbidden.err.contains("58 ADMIN_FORBIDDEN"), forbidden.err);

        Run approve = Run.of(RequestCommands::approve, connection, "--token", "file:" + officerTokenFile, "--id", toApprove);
        assertEquals(0, approve.exit, approve.err);
        assertTrue(approve.out.contains("APPROVED by olivia"), approve.out);
        Run deny = Run.of(RequestCommands::deny, connection, "--token", "file:" + officerTokenFile, "--id", toDeny,
                "--reason", "duplicate");
        assertEquals(0, deny.exit, deny.err);
        assertTrue(deny.out.contains("DENIED by olivia"), deny.out);
        assertEquals(RequestRecord.State.APPROVED, stored(toApprove).state());
        assertEquals(RequestRecord.State.DENIED, stored(toDeny).state());

        Run again = Run.of(RequestCommands::deny, connection, "--token", "file:" + officerTokenFile, "--id", toApprove);
        assertEquals(1, again.exit);
        assertTrue(again.err.contains("46 REQUEST_NOT_FOUND"), again.err);
        assertEquals(2, Run.of(RequestCommands::approve, connection, "--token", "file:" + officerTokenFile).exit);
        assertEquals(2, Run.of(RequestCommands::approve, connection, "--token", "file:" + officerTokenFile,
                "--id", "../revoke").exit);
    }

    /** A command's exit code and output. */
    private record Run(int exit, String out, String err) {
        interface Command {
            int run(String[] args, PrintStream out, PrintStream err);
        }

        static Run of(Command command, String[] connection, String... args) {
            List<String> all = new ArrayList<>(List.of(connection));
            all.addAll(List.of(args));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = command.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
