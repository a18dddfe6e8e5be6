package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.time.Duration;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Samba locks an account after bad-password simple binds once the domain has a lockout threshold;
 * the lookup must then report it disabled. The threshold is set for this class only and reset after,
 * so the shared DC's other tests (wrong service-account passwords) lock nobody.
 */
class SambaLockoutTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static SambaDcFixture samba;

    @BeforeAll
    static void threshold() {
        samba = SambaDcFixture.shared();
        samba.tool("domain", "passwordsettings", "set", "--account-lockout-threshold=3");
    }

    @AfterAll
    static void noThreshold() {
        if (samba != null) {
            samba.tool("domain", "passwordsettings", "set", "--account-lockout-threshold=0");
        }
    }

    @Test
    void findUser_lockedByBadPasswords_reportsDisabled() throws Exception {
        String dn = samba.addUser(UserSpec.builder("lock-dave").password("Ae1-Right-Password-1".toCharArray()).build());
        AuthenticatedPrincipal dave = AuthenticatedPrincipal.of("lock-dave", SambaDcFixture.REALM, null);
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS)) {
            assertFalse(lookup.findUser(samba.adServer("samba-lock"), dave).disabled());
            for (int i = 0; i < 3; i++) {
                try (LDAPConnection connection = new LDAPConnection("127.0.0.1", SambaDcFixture.LDAP_PORT)) {
                    assertThrows(LDAPException.class, () -> connection.bind(dn, "Ae1-Wrong-Password-2"));
                }
            }
            assertTrue(lookup.findUser(samba.adServer("samba-lock"), dave).disabled());
        }
    }
}
