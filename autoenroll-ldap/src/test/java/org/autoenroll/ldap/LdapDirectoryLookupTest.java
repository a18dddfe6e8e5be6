package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LdapDirectoryLookupTest {
    private static final String REALM = "EXAMPLE.COM";
    private static final LdapSettings FAST = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withResponseTimeout(Duration.ofSeconds(3));

    private static InMemoryActiveDirectory ad;
    private static byte[] aliceCert;
    private static byte[] aliceOldCert;
    private static String staffDn;
    private static String adminsDn;

    private LdapDirectoryLookup lookup;

    @BeforeAll
    static void startDirectory() throws IOException {
        aliceCert = resource("alice-cert.der");
        aliceOldCert = resource("alice-old-cert.der");
        ad = InMemoryActiveDirectory.start();
        staffDn = ad.addGroup("Staff");
        adminsDn = ad.addGroup("Admins");
        ad.addUser(UserSpec.builder("alice").cn("Alice Example").mail("alice@example.com")
                .proxyAddresses("SMTP:alice@example.com", "smtp:a.example@example.com", "X400:c=US;a= ;p=Example;o=Ex;s=Alice;",
                        "sip:alice@example.com")
                .groups(staffDn, adminsDn)
                .certificate(aliceCert).binaryCertificate(aliceOldCert)
                .build());
        ad.addUser(UserSpec.builder("bsmith").cn("Bob Smith").userPrincipalName("bob.smith@example.com")
                .mail("bob.smith@example.com").build());
        ad.addUser(UserSpec.builder("carol").cn("Carol Disabled").disabled(true).build());
        ad.addUser(UserSpec.builder("jürgen").cn("Jürgen Ü").build());
        // Two entries answering to "dup": one by sAMAccountName, one by UPN.
        ad.addUser(UserSpec.builder("dup").cn("Dup One").build());
        ad.addUser(UserSpec.builder("dup2").cn("Dup Two").userPrincipalName("dup@example.com").build());
    }

    @AfterAll
    static void stopDirectory() {
        ad.close();
    }

    @BeforeEach
    void openLookup() {
        lookup = new LdapDirectoryLookup(FAST);
    }

    @AfterEach
    void closeLookup() {
        lookup.close();
    }

    private static AuthenticatedPrincipal principal(String name) {
        return AuthenticatedPrincipal.of(name, REALM, null);
    }

    @Test
    void findUser_bySamAccountName_returnsEntry() throws Exception {
        DirectoryEntry entry = lookup.findUser(ad.adServer("ad1", REALM), principal("alice"));
        assertEquals("alice", entry.samAccountName());
        assertEquals("CN=Alice Example," + ad.usersDn(), entry.dn());
        assertEquals("alice@example.com", entry.userPrincipalName());
    }

    @Test
    void findUser_byUserPrincipalNameIgnoringCase_returnsEntry() throws Exception {
        DirectoryEntry entry = lookup.findUser(ad.adServer("ad1", REALM), principal("bob.smith"));
        assertEquals("bsmith", entry.samAccountName());
        assertEquals("bob.smith@example.com", entry.userPrincipalName());
    }

    @Test
    void findUser_samAccountNameInOtherCase_returnsEntry() throws Exception {
        assertEquals("alice", lookup.findUser(ad.adServer("ad1", REALM), principal("ALICE")).samAccountName());
    }

    @Test
    void findUser_nonAsciiName_returnsEntry() throws Exception {
        assertEquals("Jürgen Ü", lookup.findUser(ad.adServer("ad1", REALM), principal("jürgen")).commonName());
    }

    @Test
    void findUser_fullEntry_mapsEveryAttribute() throws Exception {
        DirectoryEntry entry = lookup.findUser(ad.adServer("ad1", REALM), principal("alice"));
        assertEquals("alice@example.com", entry.mail());
        assertEquals("Alice Example", entry.commonName());
        assertEquals(List.of("alice@example.com", "a.example@example.com"), entry.smtpAddresses());
        assertEquals(List.of(staffDn, adminsDn), entry.groups());
        assertFalse(entry.disabled());
        assertEquals(2, entry.certificates().size());
        assertTrue(entry.certificates().stream().anyMatch(c -> java.util.Arrays.equals(c, aliceCert)));
        assertTrue(entry.certificates().stream().anyMatch(c -> java.util.Arrays.equals(c, aliceOldCert)));
        assertTrue(entry.ownsEmail("A.Example@example.com"));
    }

    @Test
    void findUser_binaryOptionCertificateOnly_isReturned() throws Exception {
        ad.addUser(UserSpec.builder("dora").binaryCertificate(aliceCert).build());
        DirectoryEntry entry = lookup.findUser(ad.adServer("ad1", REALM), principal("dora"));
        assertEquals(1, entry.certificates().size());
        assertArrayEquals(aliceCert, entry.certificates().get(0));
    }

    @Test
    void findUser_disabledAccount_isFlagged() throws Exception {
        DirectoryEntry entry = lookup.findUser(ad.adServer("ad1", REALM), principal("carol"));
        assertTrue(entry.disabled());
        assertEquals(null, entry.mail());
        assertEquals(List.of(), entry.smtpAddresses());
        assertEquals(List.of(), entry.certificates());
    }

    @Test
    void findUser_unknownName_throwsNoValidUser() {
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> lookup.findUser(ad.adServer("ad1", REALM), principal("mallory")));
    }

    @Test
    void findUser_realmOfOtherDomain_doesNotMatchByUpn() {
        AuthenticatedPrincipal other = AuthenticatedPrincipal.of("bob.smith", "OTHER.TEST", null);
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> lookup.findUser(ad.adServer("ad1", REALM), other));
    }

    @Test
    void findUser_twoMatchingEntries_throwsNoValidUserAmbiguous() {
        EnrollmentException e = assertCode(ErrorCode.NO_VALID_USER_IN_AD,
                () -> lookup.findUser(ad.adServer("ad1", REALM), principal("dup")));
        assertTrue(e.detail().contains("ambiguous"));
    }

    @Test
    void findUser_threeMatchingEntries_throwsNoValidUserAmbiguous() {
        ad.addUser(UserSpec.builder("trip").cn("Trip One").build());
        ad.addUser(UserSpec.builder("trip").cn("Trip Two").build());
        ad.addUser(UserSpec.builder("trip3").cn("Trip Three").userPrincipalName("TRIP@example.com").build());
        EnrollmentException e = assertCode(ErrorCode.NO_VALID_USER_IN_AD,
                () -> lookup.findUser(ad.adServer("ad1", REALM), principal("trip")));
        assertTrue(e.detail().contains("ambiguous"));
    }

    @Test
    void findUser_searchReferenceInScope_isIgnored() throws Exception {
        try (InMemoryActiveDirectory withReferral = InMemoryActiveDirectory.start()) {
            withReferral.addUser(UserSpec.builder("alice").build());
            withReferral.server().add(new com.unboundid.ldap.sdk.Entry("OU=Elsewhere," + withReferral.usersDn(),
                    new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "referral", "extensibleObject"),
                    new com.unboundid.ldap.sdk.Attribute("ou", "Elsewhere"),
                    new com.unboundid.ldap.sdk.Attribute("ref", "ldap://dc2.other.test/OU=Elsewhere,DC=other,DC=test")));
            assertEquals("alice", lookup.findUser(withReferral.adServer("referral", REALM), principal("alice")).samAccountName());
        }
    }

    @Test
    void findUser_entryLargerThanMaxEntryBytes_throwsAdUnavailable() throws Exception {
        String[] many = new String[400];
        for (int i = 0; i < many.length; i++) {
            many[i] = "smtp:some.rather.long.address." + i + "@example.com";
        }
        ad.addUser(UserSpec.builder("huge").proxyAddresses(many).build());
        try (LdapDirectoryLookup small = new LdapDirectoryLookup(FAST.withMaxEntryBytes(4096))) {
            assertCode(ErrorCode.AD_UNAVAILABLE, () -> small.findUser(ad.adServer("ad1", REALM), principal("huge")));
            assertEquals("alice", small.findUser(ad.adServer("ad1", REALM), principal("alice")).samAccountName());
        }
        assertEquals(400, lookup.findUser(ad.adServer("ad1", REALM), principal("huge")).smtpAddresses().size());
    }

    static Stream<String> hostileNames() {
        return Stream.of("*", "a*", "*e", "al*ce", "(", ")", "\\", "\\2a", "alice)", "(alice",
                "alice)(sAMAccountName=*", "*)(|(objectClass=*", "alice)(|(cn=*))", "alice\\", "\\00",
                "alice\u0000", "\u0000", "alice\u0000)(cn=*", "alice\n", "ålice", "алиса", "爱丽丝", "alice\uD83D\uDE00",
                "x".repeat(LdapDirectoryLookup.MAX_PRINCIPAL_NAME_CHARS),
                "x".repeat(LdapDirectoryLookup.MAX_PRINCIPAL_NAME_CHARS + 1), "a".repeat(100_000));
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void findUser_hostileName_throwsNoValidUser(String name) {
        assertCode(ErrorCode.NO_VALID_USER_IN_AD, () -> lookup.findUser(ad.adServer("ad1", REALM), principal(name)));
    }

    @Test
    void findUser_wrongBindPassword_throwsAdUnavailableWithoutPassword() {
        String secret = "Wr0ng-S3cret-Value";
        AdServer bad = new AdServer("bad", REALM, List.of(ad.endpoint()), false, ad.usersDn(), ad.bindDn(),
                SecretRef.literal(secret.toCharArray()));
        EnrollmentException e = assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(bad, principal("alice")));
        assertTrue(e.detail().contains("bind"));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret));
            assertFalse(t.toString().contains(secret));
        }
    }

    @Test
    void findUser_passwordCorrectedUnderSameId_succeeds() throws Exception {
        AdServer wrong = new AdServer("rotated", REALM, List.of(ad.endpoint()), false, ad.usersDn(), ad.bindDn(),
                SecretRef.literal("old-password".toCharArray()));
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(wrong, principal("alice")));
        AdServer right = new AdServer("rotated", REALM, List.of(ad.endpoint()), false, ad.usersDn(), ad.bindDn(),
                SecretRef.literal(ad.bindPassword()));
        assertEquals("alice", lookup.findUser(right, principal("alice")).samAccountName());
    }

    @Test
    void findUser_emptyBindPassword_refusesAnonymousBind() {
        AdServer anonymous = new AdServer("anon", REALM, List.of(ad.endpoint()), false, ad.usersDn(), ad.bindDn(),
                SecretRef.literal(new char[0]));
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(anonymous, principal("alice")));
    }

    @Test
    void findUser_unreadableSecret_throwsAdUnavailable() {
        AdServer unset = new AdServer("unset", REALM, List.of(ad.endpoint()), false, ad.usersDn(), ad.bindDn(),
                SecretRef.parse("env:AUTOENROLL_TEST_UNSET_VARIABLE_4711"));
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(unset, principal("alice")));
    }

    @Test
    void findUser_missingUsersBase_throwsAdUnavailable() {
        AdServer wrongBase = new AdServer("wrong-base", REALM, List.of(ad.endpoint()), false,
                "CN=Nobody," + ad.baseDn(), ad.bindDn(), SecretRef.literal(ad.bindPassword()));
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(wrongBase, principal("alice")));
    }

    @Test
    void findUser_serverClosedBeforeFirstUse_throwsAdUnavailable() {
        InMemoryActiveDirectory gone = InMemoryActiveDirectory.start();
        AdServer server = gone.adServer("gone", REALM);
        gone.close();
        EnrollmentException e = assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(server, principal("alice")));
        assertTrue(e.detail().contains("connect"));
    }

    @Test
    void findUser_serverClosedAfterUse_throwsAdUnavailable() throws Exception {
        InMemoryActiveDirectory dying = InMemoryActiveDirectory.start();
        dying.addUser(UserSpec.builder("alice").build());
        AdServer server = dying.adServer("dying", REALM);
        assertEquals("alice", lookup.findUser(server, principal("alice")).samAccountName());
        dying.close();
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(server, principal("alice")));
    }

    @Test
    void findUser_serverNeverAnswers_throwsAdUnavailableTimeout() throws Exception {
        // A listening socket that nobody accepts from: TCP connects (backlog), the bind is never answered.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             LdapDirectoryLookup quick = new LdapDirectoryLookup(
                     LdapSettings.defaults().withResponseTimeout(Duration.ofMillis(300)))) {
            AdServer server = new AdServer("silent", REALM, List.of(new LdapEndpoint("127.0.0.1", silent.getLocalPort())),
                    false, ad.usersDn(), ad.bindDn(), SecretRef.literal(ad.bindPassword()));
            EnrollmentException e = assertCode(ErrorCode.AD_UNAVAILABLE, () -> quick.findUser(server, principal("alice")));
            assertTrue(e.detail().contains("timeout"), e.detail());
        }
    }

    @Test
    void findUser_firstHostDead_failsOverToSecond() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        AdServer server = new AdServer("failover", REALM,
                List.of(new LdapEndpoint("127.0.0.1", deadPort), ad.endpoint()), false, ad.usersDn(), ad.bindDn(),
                SecretRef.literal(ad.bindPassword()));
        assertEquals("alice", lookup.findUser(server, principal("alice")).samAccountName());
    }

    @Test
    void findUser_firstHostDiesAfterUse_failsOverToSecond() throws Exception {
        char[] password = "same-password-on-both".toCharArray();
        try (InMemoryActiveDirectory primary = InMemoryActiveDirectory.builder().bindPassword(password).start();
             InMemoryActiveDirectory secondary = InMemoryActiveDirectory.builder().bindPassword(password).start()) {
            primary.addUser(UserSpec.builder("alice").cn("Alice on primary").build());
            secondary.addUser(UserSpec.builder("alice").cn("Alice on secondary").build());
            AdServer server = new AdServer("pair", REALM, List.of(primary.endpoint(), secondary.endpoint()), false,
                    primary.usersDn(), primary.bindDn(), SecretRef.literal(password));
            assertEquals("Alice on primary", lookup.findUser(server, principal("alice")).commonName());
            primary.close();
            assertEquals("Alice on secondary", lookup.findUser(server, principal("alice")).commonName());
            assertEquals("Alice on secondary", lookup.findUser(server, principal("alice")).commonName());
        }
    }

    @Test
    void findUser_searchFailsTwiceWithServerDown_retriesAtApplicationLevel() throws Exception {
        // The pool retries once on a fresh connection; the lookup retries once more on top of that.
        AtomicInteger failuresLeft = new AtomicInteger(2);
        InMemoryOperationInterceptor flaky = new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new LDAPException(ResultCode.SERVER_DOWN, "injected");
                }
            }
        };
        try (InMemoryActiveDirectory flakyAd = InMemoryActiveDirectory.builder().operationInterceptor(flaky).start()) {
            flakyAd.addUser(UserSpec.builder("alice").build());
            assertEquals("alice", lookup.findUser(flakyAd.adServer("flaky", REALM), principal("alice")).samAccountName());
            assertTrue(failuresLeft.get() < 0);
        }
    }

    @Test
    void findUser_searchKeepsFailingWithServerDown_throwsAdUnavailable() {
        InMemoryOperationInterceptor broken = new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
                throw new LDAPException(ResultCode.SERVER_DOWN, "injected");
            }
        };
        try (InMemoryActiveDirectory brokenAd = InMemoryActiveDirectory.builder().operationInterceptor(broken).start()) {
            assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(brokenAd.adServer("broken", REALM), principal("alice")));
        }
    }

    @Test
    void findUser_recordWithSameIdChanges_usesNewHosts() throws Exception {
        try (InMemoryActiveDirectory other = InMemoryActiveDirectory.start()) {
            other.addUser(UserSpec.builder("otto").build());
            assertEquals("alice", lookup.findUser(ad.adServer("moving", REALM), principal("alice")).samAccountName());
            assertEquals("otto", lookup.findUser(other.adServer("moving", REALM), principal("otto")).samAccountName());
        }
    }

    @Test
    void findUser_afterClose_throwsAdUnavailable() {
        lookup.close();
        assertCode(ErrorCode.AD_UNAVAILABLE, () -> lookup.findUser(ad.adServer("ad1", REALM), principal("alice")));
    }

    @Test
    void findUser_concurrentCallers_allSucceed() throws Exception {
        AdServer server = ad.adServer("concurrent", REALM);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = i % 2 == 0 ? "alice" : "bob.smith";
                results.add(pool.submit(() -> lookup.findUser(server, principal(name)).samAccountName()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0 ? "alice" : "bsmith", results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void userFilter_specialCharacters_areEscaped() {
        String filter = AccountSearch.filter("a*)(b\\", REALM).toString();
        assertEquals("(&(objectClass=user)(!(objectClass=computer))(|(sAMAccountName=a\\2a\\29\\28b\\5c)"
                + "(userPrincipalName=a\\2a\\29\\28b\\5c@EXAMPLE.COM)))", filter);
        assertEquals("(&(objectClass=computer)(sAMAccountName=w\\2a\\29\\28$))",
                AccountSearch.filter("w*)($", REALM).toString());
    }

    private static EnrollmentException assertCode(ErrorCode expected, org.junit.jupiter.api.function.Executable call) {
        EnrollmentException e = assertThrows(EnrollmentException.class, call);
        assertEquals(expected, e.code(), e.getMessage());
        return e;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LdapDirectoryLookupTest.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        }
    }
}
