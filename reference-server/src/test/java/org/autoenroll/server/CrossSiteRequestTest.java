package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web page of another site must not be able to make a browser that does Kerberos single
 * sign-on to this server enroll or renew for its user (issue 12, item 2): the requests a page can
 * send without a CORS preflight (form or text/plain bodies) are refused, so is anything whose
 * Origin is another site, and a preflight gets no CORS grant. Nothing is issued for a refused request.
 */
class CrossSiteRequestTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private HttpResponse<String> enroll(String user, String contentType, String origin) {
        HttpRequest.Builder request = harness.request("/api/v1/enroll", user)
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(ServerHarness.enrollment(user, user + "@example.com",
                        "Alice Demo"))));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return harness.send(request.build());
    }

    @Test
    void enroll_textPlainBody_415AndNothingIssued() {
        int before = harness.certificates("alice");
        HttpResponse<String> response = enroll("alice", "text/plain", null);
        assertEquals(415, response.statusCode(), response.body());
        assertEquals(44, ServerHarness.parse(response).at("/error/code").asInt());
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void enroll_formBodyOrNoContentType_415() {
        assertEquals(415, enroll("alice", "application/x-www-form-urlencoded", null).statusCode());
        assertEquals(415, enroll("alice", null, null).statusCode());
    }

    @Test
    void enroll_otherSitesOrigin_403Code61AndNothingIssued() {
        int before = harness.certificates("alice");
        HttpResponse<String> response = enroll("alice", "application/json", "https://evil.example");
        assertEquals(403, response.statusCode(), response.body());
        assertEquals(61, ServerHarness.parse(response).at("/error/code").asInt());
        assertEquals(before, harness.certificates("alice"));
        assertEquals(403, enroll("alice", "application/json", "null").statusCode());
        assertEquals(403, enroll("alice", "application/json", "https://localhost:1").statusCode());
    }

    @Test
    void enroll_ownOriginAndJsonWithCharset_issued() {
        HttpResponse<String> response = enroll("alice", "application/json; charset=utf-8",
                "https://localhost:" + harness.base.getPort());
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void preflight_answersAllowWithoutAnyCorsGrant() {
        HttpResponse<String> response = harness.send(harness.request("/api/v1/enroll", null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
        assertEquals(204, response.statusCode());
        assertTrue(response.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
                response.headers().map().toString());
        assertTrue(response.headers().firstValue("Allow").orElse("").contains("POST"));
    }
}
