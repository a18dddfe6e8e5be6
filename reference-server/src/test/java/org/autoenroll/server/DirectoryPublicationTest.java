package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile that publishes puts each new certificate into the user's {@code userCertificate}; a
 * renewal takes the superseded one out, as Windows autoenrollment does (docs/ARCHITECTURE.md, Sources).
 */
class DirectoryPublicationTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir.resolve("server"), (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db)
                        .replace("  renewalWindowDays: 10\n", "  renewalWindowDays: 10\n  publishToDirectory: true\n"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static boolean published(String user, String pem) throws Exception {
        SearchResultEntry entry = TestWorld.get().ad.server().getEntry(
                "CN=" + user + "," + TestWorld.get().ad.usersDn(), "userCertificate", "userCertificate;binary");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        for (Attribute attribute : entry.getAttributesWithOptions("userCertificate", null)) {
            for (byte[] value : attribute.getValueByteArrays()) {
                if (Arrays.equals(value, der)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void enrollAndRenew_publishTheNewCertificateAndRemoveTheSupersededOne() throws Exception {
        JsonNode first = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        assertTrue(published("Bob Example", first.get("certificate").asText()));

        Map<String, Object> renewal = ServerHarness.enrollment("bob", "bob@example.com", "Bob Example");
        renewal.put("renewSerial", first.get("serial").asText());
        JsonNode second = harness.enrollOk("bob", renewal);
        assertTrue(published("Bob Example", second.get("certificate").asText()));
        assertFalse(published("Bob Example", first.get("certificate").asText()), "the superseded certificate is removed");

        // an operator's revocation takes it out of the directory as well
        java.net.http.HttpResponse<String> revoked = harness.send(java.net.http.HttpRequest.newBuilder(
                harness.base.resolve("/admin/v1/revoke")).header("Authorization", "Bearer " + ServerHarness.ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        ServerHarness.json(Map.of("serial", second.get("serial").asText(), "reason", "keyCompromise")))).build());
        assertTrue(revoked.statusCode() == 200, revoked.body());
        assertFalse(published("Bob Example", second.get("certificate").asText()), "the revoked certificate is removed");
    }
}
