package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the pipeline needs from every {@link DirectoryLookup}, whatever holds the accounts (AD over
 * LDAP, an HR database, a SCIM service): the caller's entry with the names certificates carry, the
 * kind of account, a disabled account that says so, and nothing for anyone else: an unknown name,
 * a name that only looks like a query, a directory the lookup does not know. Extend it with your
 * backend set up with {@link #ACCOUNTS}; the LDAP-specific suite (failover, referrals, bind
 * errors) stays with the LDAP backend.
 *
 * @since 0.2
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DirectoryLookupContract {
    /** The realm of every account's principal. */
    public static final String REALM = "EXAMPLE.COM";

    /**
     * An account the backend must hold: {@code sam@REALM} logs on; {@code dnsHostName} is set for
     * computers ({@code sam} ends in {@code $}).
     */
    public record Account(String sam, String commonName, String mail, String userPrincipalName, boolean disabled,
                          String dnsHostName) {
        public Account {
            Objects.requireNonNull(sam, "sam");
        }

        public boolean computer() {
            return sam.endsWith("$");
        }
    }

    /** The accounts of the suite; a backend without computers skips {@code WS01$}. */
    public static final List<Account> ACCOUNTS = List.of(
            new Account("ct-alice", "Alice Contract", "alice@example.com", "alice@example.com", false, null),
            new Account("ct-bob", "Bob Contract", "bob@example.com", "bob.contract@example.com", false, null),
            new Account("ct-dora", "Dora Disabled", "dora@example.com", "dora@example.com", true, null),
            new Account("WS01$", null, null, null, false, "ws01.example.com"));

    private DirectoryLookup lookup;

    /** The directory the lookup reads, as the tenant model names it. */
    protected abstract DirectoryRef directory();

    /** The backend under test, set up with {@code accounts} (the computers only when {@link #supportsComputers()}). */
    protected abstract DirectoryLookup createLookup(List<Account> accounts) throws Exception;

    /** Whether the backend holds computer accounts (machine principals {@code NAME$}). */
    protected boolean supportsComputers() {
        return false;
    }

    @BeforeAll
    void setUpBackend() throws Exception {
        lookup = createLookup(ACCOUNTS.stream().filter(a -> supportsComputers() || !a.computer()).toList());
    }

    private DirectoryEntry find(String name) throws EnrollmentException {
        return lookup.findUser(directory(), AuthenticatedPrincipal.of(name, REALM, null));
    }

    private static Account account(String sam) {
        return ACCOUNTS.stream().filter(a -> a.sam().equals(sam)).findFirst().orElseThrow();
    }

    @Test
    void findUser_knownUser_hasTheNamesCertificatesCarry() throws Exception {
        DirectoryEntry entry = find("ct-alice");
        Account alice = account("ct-alice");
        assertEquals(SubjectType.USER, entry.type());
        assertTrue(entry.samAccountName().equalsIgnoreCase(alice.sam()), entry.samAccountName());
        assertEquals(alice.commonName(), entry.commonName());
        assertTrue(entry.ownsEmail(alice.mail()), "the entry owns its mail");
        assertTrue(alice.userPrincipalName().equalsIgnoreCase(entry.userPrincipalName()), entry.userPrincipalName());
        assertTrue(!entry.disabled());
    }

    @Test
    void findUser_twoUsers_areNotConfused() throws Exception {
        assertEquals("Bob Contract", find("ct-bob").commonName());
        assertTrue(!find("ct-bob").ownsEmail("alice@example.com"));
    }

    @Test
    void findUser_disabledAccount_saysSoOrIsRefusedAsDisabled() throws Exception {
        Optional<DirectoryEntry> entry;
        try {
            entry = Optional.of(find("ct-dora"));
        } catch (EnrollmentException e) {
            assertEquals(ErrorCode.ACCOUNT_DISABLED, e.code(), "refused as a disabled account (45, or a code refining it)");
            return;
        }
        assertTrue(entry.get().disabled(), "a disabled account must not look enabled");
    }

    @Test
    void findUser_unknownName_is17() {
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, assertThrows(EnrollmentException.class, () -> find("ct-nobody")).code());
    }

    protected Stream<String> hostileNames() {
        return Stream.of("*", "ct-*", "ct-alic*", "ct-alice)(cn=*", "*)(|(objectClass=*", "ct-alice\\", "\\2a",
                "ct-alice" + " ".repeat(3), "CT-ALICE*", "' OR '1'='1", "ct-alice'--", "../ct-alice", "x".repeat(300));
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void findUser_nameThatLooksLikeAQuery_is17NeverAnotherUser(String name) {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> find(name));
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, e.code(), name);
    }

    @Test
    void findUser_directoryTheLookupDoesNotKnow_is13Or17() {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> lookup.findUser(
                new DirectoryRef("no-such-directory-" + System.nanoTime(), "OTHER.EXAMPLE"),
                AuthenticatedPrincipal.of("ct-alice", "OTHER.EXAMPLE", null)));
        assertTrue(e.code() == ErrorCode.AD_UNAVAILABLE || e.code() == ErrorCode.NO_VALID_USER_IN_AD, e.code().toString());
    }

    @Test
    void findUser_machinePrincipal_isTheComputerWithItsDnsName_orUnknownWithoutComputers() throws Exception {
        if (!supportsComputers()) {
            assertEquals(ErrorCode.NO_VALID_USER_IN_AD, assertThrows(EnrollmentException.class, () -> find("WS01$")).code(),
                    "a backend without computers never answers a machine principal with a user entry");
            return;
        }
        DirectoryEntry computer = find("WS01$");
        assertEquals(SubjectType.COMPUTER, computer.type());
        assertEquals(Optional.of("ws01.example.com"), computer.dnsHostName().map(String::toLowerCase));
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD, assertThrows(EnrollmentException.class, () -> find("WS01")).code(),
                "a user principal never finds a computer");
    }
}
