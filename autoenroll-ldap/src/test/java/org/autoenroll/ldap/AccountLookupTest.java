package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;
import org.autoenroll.ldap.testkit.ComputerSpec;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Computers, SIDs and account expiry against the in-memory directory (group SIDs from the groups' objectSid). */
class AccountLookupTest {
    private static final String REALM = "EXAMPLE.COM";
    private static final LdapSettings FAST = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withResponseTimeout(Duration.ofSeconds(3));
    private static final Instant EXPIRES = Instant.parse("2031-01-02T03:04:05Z");

    private static InMemoryActiveDirectory ad;
    private static LdapDirectoryLookup lookup;
    private static AdServer server;
    private static String everyone;
    private static String staff;
    private static String workstations;
    private static String aliceDn;
    private static String ws01Dn;

    @BeforeAll
    static void start() {
        ad = InMemoryActiveDirectory.start();
        everyone = ad.addGroup("Everyone-Group");
        staff = ad.addGroup("Staff", everyone);
        workstations = ad.addGroup("Workstations");
        aliceDn = ad.addUser(UserSpec.builder("alice").groups(staff).accountExpires(EXPIRES).build());
        // a user whose name is the computer's without "$", and a computer named like a user
        ad.addUser(UserSpec.builder("ws01").cn("WS01 the user").build());
        ws01Dn = ad.addComputer(ComputerSpec.builder("WS01").dnsHostName("ws01.example.com").groups(workstations).build());
        ad.addComputer(ComputerSpec.builder("bob").build());
        ad.addComputer(ComputerSpec.builder("OLD").disabled(true).accountExpires(EXPIRES).build());
        server = ad.adServer("ad1", REALM);
        lookup = new LdapDirectoryLookup(FAST, null, ref -> Optional.of(server));
    }

    @AfterAll
    static void stop() {
        lookup.close();
        ad.close();
    }

    private static DirectoryEntry find(String name) throws EnrollmentException {
        return lookup.findUser(server.ref(), AuthenticatedPrincipal.of(name, REALM, null));
    }

    @Test
    void findUser_machinePrincipal_findsComputerOutsideUsersBase() throws Exception {
        DirectoryEntry entry = find("WS01$");
        assertEquals(SubjectType.COMPUTER, entry.type());
        assertEquals(ws01Dn, entry.dn());
        assertEquals("WS01$", entry.samAccountName());
        assertEquals("ws01.example.com", entry.dnsHostName().orElseThrow());
        assertEquals(ad.objectSid(ws01Dn).orElseThrow(), entry.objectSid().orElseThrow());
        assertTrue(entry.objectSid().orElseThrow().startsWith(ad.domainSid() + "-"));
        assertEquals(List.of(ad.objectSid(workstations).orElseThrow()), entry.groupSids());
        assertTrue(entry.accountExpires().isEmpty(), "accountExpires 0 is never");
    }

    @Test
    void findUser_machinePrincipalInOtherCase_findsComputer() throws Exception {
        assertEquals(ws01Dn, find("ws01$").dn());
    }

    @Test
    void findUser_userName_neverMatchesComputer() throws Exception {
        DirectoryEntry user = find("ws01");
        assertEquals(SubjectType.USER, user.type());
        assertEquals("WS01 the user", user.commonName());
        // "bob" exists only as a computer (bob$): no user answers
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find("bob"));
    }

    @Test
    void findUser_machinePrincipal_neverMatchesUser() {
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find("alice$"));
    }

    @Test
    void findUser_computerNameInjection_isEscaped() {
        for (String name : List.of("*$", "WS0*$", "*)(objectClass=*)$", "WS01)(|(sAMAccountName=*)$", "\\2a$")) {
            assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find(name));
        }
    }

    @Test
    void findUser_disabledComputer_flaggedWithExpiry() throws Exception {
        DirectoryEntry old = find("OLD$");
        assertTrue(old.disabled());
        assertEquals(EXPIRES, old.accountExpires().orElseThrow());
    }

    @Test
    void findUser_user_hasSidExpiryAndNestedGroupSids() throws Exception {
        DirectoryEntry alice = find("alice");
        assertEquals(ad.objectSid(aliceDn).orElseThrow(), alice.objectSid().orElseThrow());
        assertEquals(EXPIRES, alice.accountExpires().orElseThrow());
        assertEquals(Set.of(ad.objectSid(staff).orElseThrow(), ad.objectSid(everyone).orElseThrow()), Set.copyOf(alice.groupSids()));
        assertEquals(2, alice.groupSids().size());
    }

    @Test
    void findUser_nestedGroupsOff_groupSidsOfDirectGroupsOnly() throws Exception {
        try (LdapDirectoryLookup direct = new LdapDirectoryLookup(FAST.withNestedGroups(false), null, ref -> Optional.of(server))) {
            DirectoryEntry alice = direct.findUser(server.ref(), AuthenticatedPrincipal.of("alice", REALM, null));
            assertEquals(List.of(ad.objectSid(staff).orElseThrow()), alice.groupSids());
        }
    }

    private static void assertCode(ErrorCode expected, org.junit.jupiter.api.function.Executable call) {
        EnrollmentException e = assertThrows(EnrollmentException.class, call);
        assertEquals(expected, e.code(), e.getMessage());
    }
}
