package org.autoenroll.ldap.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.autoenroll.api.AdServer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ldap.LdapDirectoryLookup;
import org.autoenroll.ldap.LdapSettings;
import org.autoenroll.api.SubjectType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link DirectoryLookup} must do against every directory, run against the in-memory
 * directory, slapd and Samba AD in this module; an integrator extends it for their own directory
 * (a {@link DirectoryFixture}) and/or their own lookup ({@link #createLookup}).
 *
 * <pre>{@code
 * class MyDirectoryContractTest extends DirectoryContractTest {
 *     protected DirectoryFixture startFixture() { return MyDirectoryFixture.start(); }
 * }
 * }</pre>
 *
 * <p>Adds, once per class, users and groups whose names start with {@link #prefix()} (keep it
 * unique when several subclasses share one directory): direct and nested groups (with a diamond),
 * a user found by UPN, a disabled user. Checks: lookup by sAMAccountName (any case) and by
 * userPrincipalName; mail, SMTP proxyAddresses, cn; the disabled flag; all groups, direct and
 * nested, each once; 17 for unknown users and for every injection value; 13 for a wrong bind
 * password, without the password in the message; a search from the domain root (where AD answers
 * with continuation references). Computers ({@link DirectoryFixture#addComputer}): a machine principal
 * {@code NAME$} finds the computer (type, dNSHostName, groups), a user name never finds a computer nor a
 * machine principal a user. Where the directory gives SIDs ({@link DirectoryFixture#objectSid}): the
 * entry's objectSid and the SIDs of all its groups, nested ones included; accountExpires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DirectoryContractTest {
    /** Short timeouts: every peer is local. */
    protected static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static final String WRONG_PASSWORD = "Wr0ng-Bind-Secret-7781";

    private DirectoryFixture fixture;
    private DirectoryLookup lookup;
    private String dnsDomain;
    private String everyone;
    private String allStaff;
    private String staff;
    private String admins;
    private String aliceDn;
    private String machines;
    private String computerDn;
    private boolean computers;
    private static final java.time.Instant EXPIRES = java.time.Instant.parse("2031-01-02T03:04:05Z");

    /** The directory under test; called once per class. */
    protected abstract DirectoryFixture startFixture();

    /** Called once after the class's tests; closes the fixture when it is {@link AutoCloseable}. */
    protected void stopFixture(DirectoryFixture started) throws Exception {
        if (started instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The lookup under test; {@link LdapDirectoryLookup} with {@link #SETTINGS} by default. */
    protected DirectoryLookup createLookup() {
        return new LdapDirectoryLookup(SETTINGS, null, ref -> Optional.ofNullable(servers.get(ref.id())));
    }

    /** AD server records the suite's lookups resolve a {@link DirectoryRef} to, by id. */
    protected final Map<String, AdServer> servers = new ConcurrentHashMap<>();

    /** Registers {@code server} with the lookups and returns the reference the pipeline would pass. */
    protected final DirectoryRef ref(AdServer server) {
        servers.put(server.id(), server);
        return server.ref();
    }

    /** A lookup that reports direct groups only; null when the implementation has no such mode (test aborted). */
    protected DirectoryLookup createLookupWithoutNestedGroups() {
        return new LdapDirectoryLookup(SETTINGS.withNestedGroups(false), null, ref -> Optional.ofNullable(servers.get(ref.id())));
    }

    /** Prefix of every name this suite adds (sAMAccountName at most 20 characters in AD). */
    protected String prefix() {
        return "ct-";
    }

    protected final DirectoryFixture fixture() {
        return fixture;
    }

    @BeforeAll
    void addEntries() {
        fixture = startFixture();
        lookup = createLookup();
        dnsDomain = fixture.realm().toLowerCase(Locale.ROOT);
        String p = prefix();
        everyone = fixture.addGroup(p + "Everyone");
        allStaff = fixture.addGroup(p + "AllStaff", everyone);
        staff = fixture.addGroup(p + "Staff", allStaff);
        // Admins also leads to AllStaff: a diamond, whose groups must still come once each.
        admins = fixture.addGroup(p + "Admins", allStaff);
        fixture.addGroup(p + "Unrelated");
        aliceDn = fixture.addUser(UserSpec.builder(p + "alice").cn("CT Alice Example").mail(p + "alice@" + dnsDomain)
                .proxyAddresses("SMTP:" + p + "alice@" + dnsDomain, "smtp:alice.alias@" + dnsDomain,
                        "X400:c=US;a= ;p=Example;o=Ex;s=Alice;", "SIP:alice.sip@" + dnsDomain)
                .groups(staff, admins).build());
        fixture.addUser(UserSpec.builder(p + "bob").cn("CT Bob Smith").userPrincipalName("bob.smith@" + dnsDomain)
                .mail("bob.smith@" + dnsDomain).build());
        fixture.addUser(UserSpec.builder(p + "carol").cn("CT Carol Disabled").disabled(true).build());
        fixture.addUser(UserSpec.builder(p + "dave").cn("CT Dave Leaving").accountExpires(EXPIRES).build());
        machines = fixture.addGroup(p + "Machines");
        try {
            computerDn = fixture.addComputer(ComputerSpec.builder(computerName()).dnsHostName(computerName().toLowerCase(Locale.ROOT)
                    + "." + dnsDomain).groups(machines).build());
            computers = true;
        } catch (UnsupportedOperationException e) {
            computers = false;
        }
    }

    /** The computer this suite adds (at most 15 characters): the prefix and {@code WS01}, upper case. */
    protected String computerName() {
        return (prefix() + "WS01").toUpperCase(Locale.ROOT);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (lookup instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } finally {
            if (fixture != null) {
                stopFixture(fixture);
            }
        }
    }

    @Test
    void findUser_bySamAccountName_returnsEntry() throws Exception {
        DirectoryEntry entry = find(prefix() + "alice");
        assertEquals(prefix() + "alice", entry.samAccountName());
        assertSameDn(aliceDn, entry.dn());
        assertEquals((prefix() + "alice@" + dnsDomain), lower(entry.userPrincipalName()));
    }

    @Test
    void findUser_samAccountNameInOtherCase_returnsEntry() throws Exception {
        assertEquals(prefix() + "alice", find((prefix() + "alice").toUpperCase(Locale.ROOT)).samAccountName());
    }

    @Test
    void findUser_byUserPrincipalName_returnsEntry() throws Exception {
        DirectoryEntry entry = find("bob.smith");
        assertEquals(prefix() + "bob", entry.samAccountName());
        assertEquals("bob.smith@" + dnsDomain, lower(entry.userPrincipalName()));
    }

    @Test
    void findUser_mailAndSmtpProxyAddresses_mapped() throws Exception {
        DirectoryEntry entry = find(prefix() + "alice");
        assertEquals(prefix() + "alice@" + dnsDomain, lower(entry.mail()));
        Set<String> smtp = new HashSet<>(entry.smtpAddresses().stream().map(DirectoryContractTest::lower).toList());
        assertEquals(Set.of(prefix() + "alice@" + dnsDomain, "alice.alias@" + dnsDomain), smtp);
        assertTrue(entry.ownsEmail(("ALICE.ALIAS@" + dnsDomain).toUpperCase(Locale.ROOT)));
        assertFalse(entry.ownsEmail("alice.sip@" + dnsDomain));
    }

    @Test
    void findUser_commonName_mapped() throws Exception {
        assertEquals("CT Alice Example", find(prefix() + "alice").commonName());
        assertEquals("CT Bob Smith", find(prefix() + "bob").commonName());
    }

    @Test
    void findUser_disabledAccount_isFlagged() throws Exception {
        assertTrue(find(prefix() + "carol").disabled());
        assertFalse(find(prefix() + "alice").disabled());
    }

    @Test
    void findUser_nestedGroups_listsDirectAndNestedGroupsOnce() throws Exception {
        List<String> groups = find(prefix() + "alice").groups();
        assertEquals(normalized(List.of(staff, admins, allStaff, everyone)), normalized(groups), "groups " + groups);
        assertEquals(4, groups.size(), "each group once: " + groups);
    }

    @Test
    void findUser_nestedGroupsOff_listsDirectGroupsOnly() throws Exception {
        DirectoryLookup direct = createLookupWithoutNestedGroups();
        org.junit.jupiter.api.Assumptions.assumeTrue(direct != null, "no direct-groups-only mode");
        try {
            List<String> groups = direct.findUser(ref(fixture.adServer("contract-direct")), principal(prefix() + "alice")).groups();
            assertEquals(normalized(List.of(staff, admins)), normalized(groups), "groups " + groups);
        } finally {
            if (direct instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @Test
    void findUser_userWithoutGroups_hasNoGroups() throws Exception {
        assertEquals(List.of(), find(prefix() + "bob").groups());
    }

    @Test
    void findUser_unknownUser_throwsNoValidUser() {
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find(prefix() + "nobody"));
    }

    Stream<String> injectionValues() {
        String p = prefix();
        return Stream.of("*", p + "*", p + "alic*", "*" + "alice", p + "alice)(sAMAccountName=*", "*)(|(objectClass=*",
                p + "alice)(|(cn=*))", "(", ")", "\\", p + "alice\\", "\\2a", "\\00", p + "alice\u0000", "\u0000",
                p + "älice", "ユーザー", p + "alice\u200b", "x".repeat(300), p + "alice" + " ".repeat(5) + "*",
                "(objectClass=*)", "*)(userAccountControl:1.2.840.113556.1.4.803:=2");
    }

    @ParameterizedTest
    @MethodSource("injectionValues")
    void findUser_injectionValue_throwsNoValidUserNeverAnotherUser(String name) {
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find(name));
    }

    @Test
    void findUser_wrongBindPassword_throwsAdUnavailableWithoutPassword() {
        AdServer good = fixture.adServer("contract-wrong-password");
        AdServer wrong = new AdServer(good.id() + "-wrong", good.windowsDomain(), good.hosts(), good.useSsl(), good.usersBaseDn(),
                good.bindDn(), SecretRef.literal(WRONG_PASSWORD.toCharArray()));
        EnrollmentException e = assertCode(ErrorCode.AD_UNAVAILABLE,
                () -> lookup.findUser(ref(wrong), principal(prefix() + "alice")));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(WRONG_PASSWORD), "password in " + t);
            assertFalse(String.valueOf(t).contains(WRONG_PASSWORD), "password in " + t);
        }
    }

    @Test
    void findUser_domainRootAsUsersBase_findsUserDespiteReferences() throws Exception {
        // AD answers a subtree search from the domain root with continuation references to other partitions.
        AdServer good = fixture.adServer("contract-root");
        AdServer root = new AdServer(good.id() + "-root", good.windowsDomain(), good.hosts(), good.useSsl(), fixture.baseDn(),
                good.bindDn(), good.bindPassword());
        DirectoryEntry entry = lookup.findUser(ref(root), principal(prefix() + "alice"));
        assertSameDn(aliceDn, entry.dn());
        assertEquals(4, entry.groups().size());
        assertEquals(prefix() + "bob", lookup.findUser(ref(root), principal("bob.smith")).samAccountName());
    }

    protected final DirectoryEntry find(String name) throws EnrollmentException {
        return lookup.findUser(ref(fixture.adServer("contract")), principal(name));
    }

    protected final AuthenticatedPrincipal principal(String name) {
        return AuthenticatedPrincipal.of(name, fixture.realm(), null);
    }

    protected static EnrollmentException assertCode(ErrorCode expected, Executable call) {
        EnrollmentException e = assertThrows(EnrollmentException.class, call);
        assertEquals(expected, e.code(), () -> "detail: " + e.detail());
        return e;
    }

    protected static void assertSameDn(String expected, String actual) throws LDAPException {
        assertEquals(new DN(expected), new DN(actual), () -> expected + " vs " + actual);
    }

    private static Set<DN> normalized(List<String> dns) throws LDAPException {
        Set<DN> result = new HashSet<>();
        for (String dn : dns) {
            result.add(new DN(dn));
        }
        return result;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    @Test
    void findUser_machinePrincipal_returnsComputer() throws Exception {
        Assumptions.assumeTrue(computers, "this fixture adds no computers");
        DirectoryEntry entry = find(computerName() + "$");
        assertEquals(SubjectType.COMPUTER, entry.type());
        assertSameDn(computerDn, entry.dn());
        assertEquals(computerName() + "$", entry.samAccountName().toUpperCase(Locale.ROOT));
        assertEquals(computerName().toLowerCase(Locale.ROOT) + "." + dnsDomain, lower(entry.dnsHostName().orElse(null)));
        assertTrue(normalized(entry.groups()).contains(new DN(machines)), "groups " + entry.groups());
        assertFalse(entry.disabled());
    }

    @Test
    void findUser_userAndComputerNeverConfused() throws Exception {
        Assumptions.assumeTrue(computers, "this fixture adds no computers");
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find(computerName()));
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find(prefix() + "alice$"));
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> find(prefix() + "*$"));
        assertEquals(SubjectType.USER, find(prefix() + "alice").type());
    }

    @Test
    void findUser_objectSid_asTheDirectoryHoldsIt() throws Exception {
        Optional<String> expected = fixture.objectSid(aliceDn);
        assertEquals(expected, find(prefix() + "alice").objectSid());
        if (computers) {
            assertEquals(fixture.objectSid(computerDn), find(computerName() + "$").objectSid());
        }
    }

    @Test
    void findUser_groupSids_includeNestedGroups() throws Exception {
        Optional<String> staffSid = fixture.objectSid(staff);
        Assumptions.assumeTrue(staffSid.isPresent(), "this directory gives its groups no SIDs");
        Set<String> sids = Set.copyOf(find(prefix() + "alice").groupSids());
        for (String group : List.of(staff, admins, allStaff, everyone)) {
            String sid = fixture.objectSid(group).orElseThrow();
            assertTrue(sids.contains(sid), group + " (" + sid + ") in " + sids);
        }
        assertFalse(sids.contains(fixture.objectSid(machines).orElseThrow()));
    }

    @Test
    void findUser_accountExpires_readOrNever() throws Exception {
        assertEquals(Optional.of(EXPIRES), find(prefix() + "dave").accountExpires());
        assertEquals(Optional.empty(), find(prefix() + "alice").accountExpires());
    }
}
