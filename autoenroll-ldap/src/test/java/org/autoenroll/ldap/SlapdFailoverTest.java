package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ldap.testkit.SlapdFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two slapd hosts with the same data behind one AD server record: one dies during a run, then both. */
class SlapdFailoverTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withResponseTimeout(Duration.ofSeconds(5)).withPoolSize(4);
    private static final char[] BIND_PASSWORD = "Failover-Bind-Pw-5521".toCharArray();

    private SlapdFixture first;
    private SlapdFixture second;
    private AdServer server;
    private LdapDirectoryLookup lookup;

    @BeforeEach
    void startTwo() {
        first = SlapdFixture.builder().bindPassword(BIND_PASSWORD).start();
        second = SlapdFixture.builder().bindPassword(BIND_PASSWORD).start();
        for (SlapdFixture slapd : List.of(first, second)) {
            String staff = slapd.addGroup("Staff");
            for (int i = 0; i < 4; i++) {
                slapd.addUser(UserSpec.builder("user" + i).mail("user" + i + "@slapd.test").groups(staff).build());
            }
        }
        server = new AdServer("failover", first.realm(), List.of(first.endpoint(), second.endpoint()), false,
                first.usersDn(), first.bindDn(), SecretRef.literal(BIND_PASSWORD));
        lookup = new LdapDirectoryLookup(SETTINGS);
    }

    @AfterEach
    void stopAll() {
        lookup.close();
        first.close();
        second.close();
    }

    @Test
    void findUser_firstHostStopsDuringRun_everyLookupSucceeds() throws Exception {
        for (int i = 0; i < 60; i++) {
            if (i == 20) {
                first.stop();
            }
            String name = "user" + (i % 4);
            assertEquals(name, lookup.findUser(server, principal(name)).samAccountName(), "lookup " + i);
        }
    }

    @Test
    void findUser_firstHostStopsUnderConcurrentLoad_everyLookupSucceeds() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "user" + (i % 4);
                results.add(threads.submit(() -> lookup.findUser(server, principal(name)).samAccountName()));
                if (i == 50) {
                    first.stop();
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals("user" + (i % 4), results.get(i).get(), "lookup " + i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void findUser_bothHostsStopped_throwsAdUnavailable() throws Exception {
        assertEquals("user0", lookup.findUser(server, principal("user0")).samAccountName());
        first.stop();
        second.stop();
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> lookup.findUser(server, principal("user1")));
        assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        // And back: a host that returns serves again without a new lookup object.
        second.restart();
        assertEquals("user2", lookup.findUser(server, principal("user2")).samAccountName());
    }

    private static AuthenticatedPrincipal principal(String name) {
        return AuthenticatedPrincipal.of(name, "SLAPD.TEST", null);
    }
}
