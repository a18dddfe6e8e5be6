package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators by Kerberos (admin.kerberos): frank is in the officers' group and dave in the auditors'
 * group of the test AD; each authenticates with a Negotiate ticket and gets the role of his group;
 * alice, in neither, is refused with 58; a bad ticket is 48; the 401 offers both Bearer and
 * Negotiate; the operators' tokens keep working beside them.
 */
class KerberosOperatorsTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;
    static String officers;
    static String auditors;
    static String frankDn;
    static String daveDn;

    @BeforeAll
    static void start() throws Exception {
        TestWorld world = TestWorld.get();
        officers = world.ad.addGroup("PKI Officers " + System.nanoTime());
        auditors = world.ad.addGroup("PKI Auditors " + System.nanoTime());
        frankDn = dn(world, "frank");
        daveDn = dn(world, "dave");
        world.ad.server().modify(frankDn, new Modification(ModificationType.ADD, "memberOf", officers));
        world.ad.server().modify(daveDn, new Modification(ModificationType.ADD, "memberOf", auditors));
        Path serverDir = dir.resolve("server");
        Files.createDirectories(serverDir);
        harness = ServerHarness.start(serverDir, (w, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(w, tls, tlsPw, caKs, caPw, db) + """
                          kerberos:
                            adServer: ad1
                            officerGroups: ["%s"]
                            auditorGroups: ["%s"]
                        """.formatted(officers.toUpperCase(java.util.Locale.ROOT), auditors));
    }

    private static String dn(TestWorld world, String user) throws Exception {
        return world.ad.server().searchForEntry(world.ad.baseDn(), SearchScope.SUB, "(sAMAccountName=" + user + ")").getDN();
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        TestWorld world = TestWorld.get();
        world.ad.server().modify(frankDn, new Modification(ModificationType.DELETE, "memberOf", officers));
        world.ad.server().modify(daveDn, new Modification(ModificationType.DELETE, "memberOf", auditors));
    }

    private static HttpResponse<String> call(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return harness.send(request.build());
    }

    private static String negotiate(String user) {
        return "Negotiate " + Base64.getEncoder().encodeToString(TestWorld.get().token(user));
    }

    private static int code(HttpResponse<String> response) {
        return ServerHarness.parse(response).path("error").path("code").asInt();
    }

    @Test
    void officersGroup_readsAndPublishes() {
        assertEquals(200, call("GET", "/admin/v1/certificates", negotiate("frank")).statusCode());
        HttpResponse<String> published = call("POST", "/admin/v1/crl", negotiate("frank"));
        assertEquals(200, published.statusCode(), published.body());
        // an officer's decision route: authenticated and allowed, the request is what is unknown
        assertEquals(46, code(call("POST", "/admin/v1/requests/no-such-request/approve", negotiate("frank"))));
    }

    @Test
    void auditorsGroup_readsOnly() {
        assertEquals(200, call("GET", "/admin/v1/reports/expiry", negotiate("dave")).statusCode());
        HttpResponse<String> forbidden = call("POST", "/admin/v1/crl", negotiate("dave"));
        assertEquals(403, forbidden.statusCode());
        assertEquals(58, code(forbidden));
    }

    @Test
    void noOperatorsGroupOrBadTicket_refused() {
        HttpResponse<String> alice = call("GET", "/admin/v1/certificates", negotiate("alice"));
        assertEquals(403, alice.statusCode());
        assertEquals(58, code(alice));
        HttpResponse<String> bad = call("GET", "/admin/v1/certificates", "Negotiate " + Base64.getEncoder()
                .encodeToString("not a ticket".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(401, bad.statusCode());
        assertEquals(48, code(bad));
        HttpResponse<String> none = call("GET", "/admin/v1/certificates", null);
        assertEquals(401, none.statusCode());
        List<String> challenges = none.headers().allValues("WWW-Authenticate");
        assertTrue(challenges.stream().anyMatch(c -> c.startsWith("Bearer"))
                && challenges.stream().anyMatch(c -> c.equals("Negotiate")), challenges.toString());
    }

    @Test
    void tokens_stillWorkBesideKerberos() {
        assertEquals(200, call("GET", "/admin/v1/certificates", "Bearer " + ServerHarness.ADMIN_TOKEN).statusCode());
    }
}
