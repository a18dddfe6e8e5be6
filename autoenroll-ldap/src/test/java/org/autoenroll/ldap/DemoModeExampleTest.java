package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.Test;

/** What the reference server's demo mode does, kept compiling and passing. */
class DemoModeExampleTest {
    @Test
    void demoMode_twoUsers_lookupFindsBoth() throws Exception {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.builder().baseDn("DC=example,DC=com").start();
             LdapDirectoryLookup lookup = new LdapDirectoryLookup(LdapSettings.defaults())) {
            String staff = ad.addGroup("Staff");
            ad.addUser(UserSpec.builder("alice").cn("Alice Example").mail("alice@example.com")
                    .proxyAddresses("SMTP:alice@example.com", "smtp:alice.example@example.com").groups(staff).build());
            ad.addUser(UserSpec.builder("bob").cn("Bob Example").mail("bob@example.com").build());
            AdServer server = ad.adServer("demo-ad", "EXAMPLE.COM");

            DirectoryEntry alice = lookup.findUser(server, AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null));
            DirectoryEntry bob = lookup.findUser(server, AuthenticatedPrincipal.of("bob", "EXAMPLE.COM", null));
            assertTrue(alice.ownsEmail("alice.example@example.com"));
            assertEquals("Bob Example", bob.commonName());
        }
    }
}
