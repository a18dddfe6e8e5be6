package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.util.List;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kerberos names that real clients send (issue 12, item 6): a UPN whose prefix is not the
 * sAMAccountName, an enterprise principal, and the impostor checks of the PAC's account and SID
 * against the entry found.
 */
class PrincipalMatchTest {
    private static final String REALM = "EXAMPLE.COM";
    private static final String SID = "S-1-5-21-3623811015-3361044348-30300820-1110";
    private static final byte[] SID_BYTES = sidBytes(SID);
    private static InMemoryActiveDirectory ad;
    private static AdServer server;
    private final LdapDirectoryLookup lookup = new LdapDirectoryLookup(LdapSettings.defaults());

    @BeforeAll
    static void start() throws Exception {
        ad = InMemoryActiveDirectory.start();
        String jdoe = ad.addUser(UserSpec.builder("jdoe").cn("John Doe").userPrincipalName("john.doe@example.com")
                .mail("john.doe@example.com").build());
        ad.server().modify(jdoe, new Modification(ModificationType.REPLACE, "objectSid", SID_BYTES));
        ad.addUser(UserSpec.builder("carol").cn("Carol Corp").userPrincipalName("carol@corp.example").build());
        ad.addUser(UserSpec.builder("alice").cn("Alice Example").build());
        server = ad.adServer("ad1", REALM);
    }

    @AfterAll
    static void stop() {
        ad.close();
    }

    /** The binary form (MS-DTYP 2.4.2): revision, count, 48-bit big-endian authority, little-endian sub-authorities. */
    static byte[] sidBytes(String sid) {
        String[] parts = sid.split("-");
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + 4 * (parts.length - 3));
        out.put((byte) Integer.parseInt(parts[1])).put((byte) (parts.length - 3));
        long authority = Long.parseLong(parts[2]);
        for (int i = 5; i >= 0; i--) {
            out.put((byte) (authority >> (8 * i)));
        }
        out.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 3; i < parts.length; i++) {
            out.putInt((int) Long.parseLong(parts[i]));
        }
        return out.array();
    }

    @Test
    void sidString_binarySid_readsAsWindowsWritesIt() {
        // BUILTIN\Administrators as AD stores it
        assertEquals("S-1-5-32-544", PrincipalMatch.sidString(new byte[] {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0}));
        assertEquals(SID, PrincipalMatch.sidString(SID_BYTES));
        assertEquals("malformed", PrincipalMatch.sidString(new byte[] {1, 5, 0}));
    }

    @Test
    void findUser_upnPrefixOtherThanAccountWithItsPac_findsTheAccount() throws Exception {
        var principal = AuthenticatedPrincipal.of("john.doe", REALM, null).withPac(SID, List.of(), "jdoe");
        assertEquals("jdoe", lookup.findUser(server, principal).samAccountName());
    }

    @Test
    void findUser_enterprisePrincipal_findsByUpn() throws Exception {
        var principal = AuthenticatedPrincipal.enterprise("carol@corp.example", REALM, null);
        assertEquals("carol", lookup.findUser(server, principal).samAccountName());
    }

    @Test
    void findUser_enterpriseNameOfNoOne_17() {
        var principal = AuthenticatedPrincipal.enterprise("alice@corp.example", REALM, null);
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD,
                assertThrows(EnrollmentException.class, () -> lookup.findUser(server, principal)).code());
    }

    @Test
    void findUser_pacNamesAnotherAccountThanTheEntry_17() {
        var principal = AuthenticatedPrincipal.of("john.doe", REALM, null).withPac(SID, List.of(), "alice");
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD,
                assertThrows(EnrollmentException.class, () -> lookup.findUser(server, principal)).code());
    }

    @Test
    void findUser_pacSidOtherThanTheEntrys_17() {
        var principal = AuthenticatedPrincipal.of("john.doe", REALM, null)
                .withPac("S-1-5-21-3623811015-3361044348-30300820-500", List.of(), "jdoe");
        assertEquals(ErrorCode.NO_VALID_USER_IN_AD,
                assertThrows(EnrollmentException.class, () -> lookup.findUser(server, principal)).code());
    }
}
