package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;
import org.autoenroll.ldap.testkit.ComputerSpec;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Computers (from {@code samba-tool computer create}), SIDs, tokenGroups and accountExpires on
 * Samba AD. The AD server record's base is CN=Users, as for users; computers are found from the
 * domain root all the same.
 */
class SambaAccountsTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static final Instant EXPIRES = Instant.parse("2031-01-02T03:04:05Z");

    private static SambaDcFixture samba;
    private static LdapDirectoryLookup lookup;
    private static AdServer server;
    private static String outer;
    private static String inner;
    private static String machines;
    private static String aliceDn;
    private static String ws01Dn;
    private static String domainSid;

    @BeforeAll
    static void start() {
        samba = SambaDcFixture.shared();
        outer = samba.addGroup("acc-Outer");
        inner = samba.addGroup("acc-Inner", outer);
        machines = samba.addGroup("acc-Machines");
        aliceDn = samba.addUser(UserSpec.builder("acc-alice").groups(inner).accountExpires(EXPIRES).build());
        samba.addUser(UserSpec.builder("acc-ws01").build());
        ws01Dn = samba.addComputer(ComputerSpec.builder("ACC-WS01").dnsHostName("acc-ws01.samba.test").groups(machines).build());
        samba.addComputer(ComputerSpec.builder("acc-bob").build());
        String aliceSid = samba.objectSid(aliceDn).orElseThrow();
        domainSid = aliceSid.substring(0, aliceSid.lastIndexOf('-'));
        server = samba.adServer("samba-accounts");
        lookup = new LdapDirectoryLookup(SETTINGS, null, ref -> Optional.of(server));
    }

    @AfterAll
    static void stop() {
        if (lookup != null) {
            lookup.close();
        }
    }

    private static DirectoryEntry find(String name) throws EnrollmentException {
        return lookup.findUser(server.ref(), AuthenticatedPrincipal.of(name, SambaDcFixture.REALM, null));
    }

    @Test
    void findUser_machinePrincipal_findsComputerWithHostNameSidAndTokenGroups() throws Exception {
        DirectoryEntry entry = find("ACC-WS01$");
        assertEquals(SubjectType.COMPUTER, entry.type());
        assertEquals(new com.unboundid.ldap.sdk.DN(ws01Dn), new com.unboundid.ldap.sdk.DN(entry.dn()));
        assertEquals("ACC-WS01$", entry.samAccountName());
        assertEquals("acc-ws01.samba.test", entry.dnsHostName().orElseThrow());
        assertEquals(samba.objectSid(ws01Dn).orElseThrow(), entry.objectSid().orElseThrow());
        assertFalse(entry.disabled());
        // tokenGroups: the group it was put in, and its primary group Domain Computers (RID 515)
        assertTrue(entry.groupSids().contains(samba.objectSid(machines).orElseThrow()), "groupSids " + entry.groupSids());
        assertTrue(entry.groupSids().contains(domainSid + "-515"), "groupSids " + entry.groupSids());
        assertFalse(entry.groupSids().contains(domainSid + "-513"), "not Domain Users: " + entry.groupSids());
    }

    @Test
    void findUser_user_tokenGroupsHoldNestedAndPrimaryGroup() throws Exception {
        DirectoryEntry alice = find("acc-alice");
        assertEquals(SubjectType.USER, alice.type());
        assertEquals(samba.objectSid(aliceDn).orElseThrow(), alice.objectSid().orElseThrow());
        Set<String> sids = Set.copyOf(alice.groupSids());
        assertTrue(sids.containsAll(Set.of(samba.objectSid(inner).orElseThrow(), samba.objectSid(outer).orElseThrow(),
                domainSid + "-513")), "groupSids " + sids);
        assertEquals(EXPIRES, alice.accountExpires().orElseThrow());
    }

    @Test
    void findUser_samba_newUserNeverExpires() throws Exception {
        // samba-tool writes accountExpires 0x7FFFFFFFFFFFFFFF (or 0): never
        assertTrue(find("acc-ws01").accountExpires().isEmpty());
    }

    @Test
    void findUser_userAndComputerNeverConfused() throws Exception {
        assertEquals(SubjectType.USER, find("acc-ws01").type());
        assertCode(() -> find("acc-bob"));
        assertCode(() -> find("acc-alice$"));
        assertCode(() -> find("ACC-WS0*$"));
    }

    private static void assertCode(org.junit.jupiter.api.function.Executable call) {
        EnrollmentException e = assertThrows(EnrollmentException.class, call);
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, e.code(), e.getMessage());
    }
}
