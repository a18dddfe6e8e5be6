package org.autoenroll.server;

import static org.autoenroll.server.ServerHarness.CUSTOMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.TemplateId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates the AD administrator manages as {@code pKICertificateTemplate} objects (with their
 * ACL in {@code nTSecurityDescriptor}), read by the server from the directory: enrollment by such
 * a template, and its deny entry.
 */
class TemplatesFromAdServerTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() {
        TestWorld world = TestWorld.get();
        String bob = world.ad.objectSid("CN=Bob Example," + world.ad.usersDn()).orElseThrow();
        world.ad.addTemplate(CertificateTemplate.builder("AdManagedUser").id(new TemplateId("1.3.6.1.4.1.311.21.8.7.50", 2, 1))
                .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL)
                .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.AUTOENROLL)
                .deny(bob, AccessRule.Right.ENROLL).build());
        harness = ServerHarness.start(dir, (w, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(w, tls, tlsPw, caKs, caPw, db) + """
                        templatesFromAd:
                          adServer: ad1
                          refreshMinutes: 5
                        """);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void enroll_adTemplate_issuesWithItsRevisionInTheCertificate() throws Exception {
        Map<String, Object> body = ServerHarness.alice();
        body.put("template", "AdManagedUser");
        JsonNode issued = harness.enrollOk("alice", body);
        X509Certificate certificate = ServerHarness.certificate(issued.get("certificate").asText());
        assertNotNull(certificate.getExtensionValue("1.3.6.1.4.1.311.21.7"));
    }

    @Test
    void enroll_adTemplateDeniesTheCallersSid_refusedWith49() {
        Map<String, Object> body = ServerHarness.enrollment("bob", "bob@example.com", "Bob Example");
        body.put("template", "AdManagedUser");
        HttpResponse<String> refused = harness.postJson("/api/v1/enroll", "bob", body);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals(49, ServerHarness.parse(refused).get("error").get("code").asInt());
    }

    @Test
    void requirements_listTheAdTemplate() {
        HttpResponse<String> response = harness.get("/api/v1/requirements?customerUri="
                + java.net.URLEncoder.encode(CUSTOMER, java.nio.charset.StandardCharsets.UTF_8), "frank");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("AdManagedUser", ServerHarness.parse(response).get("actions").get(0).get("template").asText(), response.body());
    }
}
