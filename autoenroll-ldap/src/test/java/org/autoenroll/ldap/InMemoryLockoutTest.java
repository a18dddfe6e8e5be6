package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Duration;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.Test;

/** A lockoutTime on an in-memory entry (no computed flags there) makes the lookup report the account disabled. */
class InMemoryLockoutTest {
    @Test
    void findUser_lockoutTimeSet_reportsDisabled() throws Exception {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
             LdapDirectoryLookup lookup = new LdapDirectoryLookup(LdapSettings.defaults().withResponseTimeout(Duration.ofSeconds(3)))) {
            String dn = ad.addUser(UserSpec.builder("locky").build());
            AuthenticatedPrincipal locky = AuthenticatedPrincipal.of("locky", "EXAMPLE.COM", null);
            assertFalse(lookup.findUser(ad.adServer("ad"), locky).disabled());
            ad.server().modify(dn, new Modification(ModificationType.REPLACE, "lockoutTime", "133500000000000000"));
            assertTrue(lookup.findUser(ad.adServer("ad"), locky).disabled());
            ad.server().modify(dn, new Modification(ModificationType.REPLACE, "lockoutTime", "0"));
            assertFalse(lookup.findUser(ad.adServer("ad"), locky).disabled());
        }
    }
}
