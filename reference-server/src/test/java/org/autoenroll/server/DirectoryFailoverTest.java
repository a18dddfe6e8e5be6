package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.autoenroll.ldap.testkit.SlapdFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollments against an AD server record with two hosts (two real slapd with the same data): when
 * one host stops during a run, enrollments go on succeeding; when both are down, 13 and nothing stored.
 */
class DirectoryFailoverTest {
    private static final char[] BIND_PASSWORD = "Server-Failover-Bind-Pw-77".toCharArray();

    @TempDir
    Path dir;

    @Test
    void oneOfTwoHostsStops_enrollmentsGoOn_bothStop_13AndNothingStored() throws Exception {
        try (SlapdFixture first = SlapdFixture.builder().bindPassword(BIND_PASSWORD).start();
             SlapdFixture second = SlapdFixture.builder().bindPassword(BIND_PASSWORD).start()) {
            for (SlapdFixture slapd : new SlapdFixture[] {first, second}) {
                slapd.addUser(UserSpec.builder("alice").cn("Alice Demo").mail("alice@example.com").build());
            }
            Path password = Files.writeString(dir.resolve("slapd-bind.pw"), new String(BIND_PASSWORD));
            ServerHarness.ConfigWriter twoHosts = (w, tls, tlsPw, caKs, caPw, db) -> ServerHarness.config(w, tls, tlsPw, caKs, caPw, db)
                    .replaceFirst("(?s)  - id: ad1\n    windowsDomain: EXAMPLE.COM\n.*?bindPassword: \"file:[^\"]*\"\n", """
                              - id: ad1
                                windowsDomain: EXAMPLE.COM
                                hosts: ["%s", "%s"]
                                usersBaseDn: "%s"
                                bindDn: "%s"
                                bindPassword: "file:%s"
                            """.formatted(first.endpoint(), second.endpoint(), first.usersDn(), first.bindDn(), password));
            try (ServerHarness harness = ServerHarness.start(dir.resolve("server"), twoHosts)) {
                assertEquals(true, Files.readString(dir.resolve("server/server.yaml")).contains(first.endpoint().toString()),
                        "ad1 points at the two slapd hosts");
                for (int i = 0; i < 8; i++) {
                    if (i == 3) {
                        first.stop();
                    }
                    HttpResponse<String> response = harness.postJson("/api/v1/enroll", "alice", ServerHarness.alice());
                    assertEquals(200, response.statusCode(), "enrollment " + i + ": " + response.body());
                }
                second.stop();
                int before = harness.certificates(ServerHarness.CUSTOMER, "alice");
                HttpResponse<String> down = harness.postJson("/api/v1/enroll", "alice", ServerHarness.alice());
                assertEquals(13, ServerHarness.parse(down).get("error").get("code").asInt(), down.body());
                assertEquals(before, harness.certificates(ServerHarness.CUSTOMER, "alice"));
            }
        }
    }
}
