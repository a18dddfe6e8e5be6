package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.wstep.RstRequest;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.testkit.SoapRequests;
import org.autoenroll.wstep.testkit.SoapRequests.Style;
import org.autoenroll.wstep.testkit.WindowsRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request the policy holds for approval: CES answers pending with a SecurityTokenReference and
 * a RequestID, and nothing is issued. The policy here is an integrator's: it pends template
 * NeedsApproval. Once an officer approves it ({@code /admin/v1/requests/{id}/approve}),
 * QueryTokenStatus with the RequestID returns the certificate; a denied one is a fault.
 */
class WindowsEnrollmentPendingTest {
    static final String CES = WindowsEnrollment.cesPath("Test-CA", Authentication.KERBEROS);

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static SoapClient client;

    @BeforeAll
    static void start() {
        CertificateProfile profile = new CertificateProfile("default", Duration.ofDays(30), Duration.ofDays(10), false);
        EnrollmentPolicy pendsApproval = request -> request.template().filter("NeedsApproval"::equals).isPresent()
                && !request.approved()
                ? new EnrollmentPolicy.Pend(profile, "template NeedsApproval needs a manager's approval")
                : new EnrollmentPolicy.Issue(profile);
        harness = ServerHarness.start(dir.resolve("server"), (w, tls, tlsPw, ca, caPw, db) ->
                WindowsEnrollmentEndToEndTest.windowsConfig(ServerHarness.config(w, tls, tlsPw, ca, caPw, db), false),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(EnrollmentPolicy.class).toInstance(pendsApproval);
                    }
                });
        client = new SoapClient(harness);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void issue_templateThatPends_pendingAnswerAndNothingIssued(Style style) throws Exception {
        int before = harness.certificates("alice");
        HttpResponse<byte[]> submitted = client.post(CES, "alice", SoapRequests.requestSecurityToken(style,
                "urn:uuid:" + UUID.randomUUID(), "https://localhost" + CES, RstRequest.Type.ISSUE, RstRequest.PKCS10,
                WindowsRequests.pkcs10(Csrs.ec(), "CN=Alice Demo", "NeedsApproval"), "NeedsApproval", null));
        assertEquals(200, submitted.statusCode(), new String(submitted.body()));
        SoapElement pending = SoapClient.rstr(submitted);
        assertEquals(List.of("TokenType", "DispositionMessage", "RequestedSecurityToken", "RequestID"),
                pending.children().stream().map(SoapElement::localName).toList());
        assertEquals("https://localhost" + CES, pending.child(Namespaces.WST, "RequestedSecurityToken").orElseThrow()
                .child(Namespaces.WSSE, "SecurityTokenReference").orElseThrow().child(Namespaces.WSSE, "Reference").orElseThrow()
                .attribute("URI").orElseThrow());
        String requestId = pending.childText(Namespaces.WSTEP, "RequestID").orElseThrow();
        assertTrue(Long.parseLong(requestId) > 0);

        assertEquals(before, harness.certificates("alice"));
    }

    /** The ids of the pending requests, as operators see them. */
    private static java.util.Set<String> pendingIds() throws Exception {
        HttpResponse<String> listed = harness.send(harness.request("/admin/v1/requests?state=PENDING&limit=1000", null)
                .header("Authorization", "Bearer " + ServerHarness.ADMIN_TOKEN).GET().build());
        assertEquals(200, listed.statusCode(), listed.body());
        java.util.Set<String> ids = new java.util.HashSet<>();
        ServerHarness.parse(listed).get("requests").forEach(request -> ids.add(request.get("requestId").asText()));
        return ids;
    }

    /** The one request {@code pend} added. */
    private static String newPending(java.util.Set<String> before) throws Exception {
        java.util.Set<String> added = new java.util.HashSet<>(pendingIds());
        added.removeAll(before);
        assertEquals(1, added.size(), added.toString());
        return added.iterator().next();
    }

    private static HttpResponse<byte[]> pend() throws Exception {
        HttpResponse<byte[]> submitted = client.post(CES, "alice", SoapRequests.requestSecurityToken(Style.WINDOWS,
                "urn:uuid:" + UUID.randomUUID(), "https://localhost" + CES, RstRequest.Type.ISSUE, RstRequest.PKCS10,
                WindowsRequests.pkcs10(Csrs.ec(), "CN=Alice Demo", "NeedsApproval"), "NeedsApproval", null));
        assertEquals(200, submitted.statusCode(), new String(submitted.body()));
        return submitted;
    }

    private static HttpResponse<byte[]> query(String requestId) throws Exception {
        return client.post(CES, "alice", SoapRequests.queryTokenStatus(Style.WINDOWS, "urn:uuid:" + UUID.randomUUID(),
                "https://localhost" + CES, requestId));
    }

    @Test
    void queryTokenStatus_afterAnOfficerApproves_returnsTheCertificate() throws Exception {
        java.util.Set<String> before = pendingIds();
        String cesId = SoapClient.rstr(pend()).childText(Namespaces.WSTEP, "RequestID").orElseThrow();
        String id = newPending(before);
        assertTrue(SoapClient.rstr(query(cesId)).child(Namespaces.WST, "RequestedSecurityToken").orElseThrow()
                .child(Namespaces.WSSE, "SecurityTokenReference").isPresent(), "still pending before the approval");

        HttpResponse<String> approved = harness.send(harness.request("/admin/v1/requests/" + id + "/approve", null)
                .header("Authorization", "Bearer " + ServerHarness.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, approved.statusCode(), approved.body());

        int issuedBefore = harness.certificates("alice");
        HttpResponse<byte[]> collected = query(cesId);
        assertEquals(200, collected.statusCode(), new String(collected.body()));
        byte[] der = SoapClient.issuedCertificate(SoapClient.rstr(collected));
        assertTrue(der.length > 0);
        assertEquals(issuedBefore + 1, harness.certificates("alice"));
    }

    @Test
    void queryTokenStatus_afterAnOfficerDenies_isAFault() throws Exception {
        java.util.Set<String> before = pendingIds();
        String cesId = SoapClient.rstr(pend()).childText(Namespaces.WSTEP, "RequestID").orElseThrow();
        String id = newPending(before);
        HttpResponse<String> denied = harness.send(harness.request("/admin/v1/requests/" + id + "/deny", null)
                .header("Authorization", "Bearer " + ServerHarness.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, denied.statusCode(), denied.body());
        HttpResponse<byte[]> answer = query(cesId);
        assertEquals(500, answer.statusCode());
        assertTrue(String.join(" ", SoapClient.fault(answer)).contains("55"), String.join(" ", SoapClient.fault(answer)));
    }
}
