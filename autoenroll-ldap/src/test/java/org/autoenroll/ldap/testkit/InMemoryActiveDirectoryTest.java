package org.autoenroll.ldap.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.util.Arrays;
import java.util.List;
import org.autoenroll.api.AdServer;
import org.junit.jupiter.api.Test;

class InMemoryActiveDirectoryTest {
    @Test
    void start_defaults_seedsRootUsersAndServiceAccount() throws Exception {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
             LDAPConnection c = new LDAPConnection("127.0.0.1", ad.port())) {
            assertEquals("DC=example,DC=com", ad.baseDn());
            assertEquals("CN=Users,DC=example,DC=com", ad.usersDn());
            assertEquals("CN=svc-autoenroll,CN=Users,DC=example,DC=com", ad.bindDn());
            assertEquals("example.com", ad.dnsDomain());
            c.bind(ad.bindDn(), new String(ad.bindPassword()));
            assertTrue(c.getEntry(ad.usersDn()).hasObjectClass("container"));
            assertTrue(c.getEntry(ad.baseDn()).hasObjectClass("domain"));
        }
    }

    @Test
    void start_twice_usesDifferentPortsAndRandomPasswords() {
        try (InMemoryActiveDirectory a = InMemoryActiveDirectory.start();
             InMemoryActiveDirectory b = InMemoryActiveDirectory.start()) {
            assertNotEquals(a.port(), b.port());
            assertFalse(Arrays.equals(a.bindPassword(), b.bindPassword()));
        }
    }

    @Test
    void bind_wrongPassword_isRefused() {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
             LDAPConnection c = new LDAPConnection("127.0.0.1", ad.port())) {
            LDAPException e = assertThrows(LDAPException.class, () -> c.bind(ad.bindDn(), "wrong"));
            assertEquals(ResultCode.INVALID_CREDENTIALS, e.getResultCode());
        } catch (LDAPException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void addUser_withGroups_writesMemberOfAndGroupMember() throws Exception {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
             LDAPConnection c = new LDAPConnection("127.0.0.1", ad.port())) {
            String staff = ad.addGroup("Staff");
            String dn = ad.addUser(UserSpec.builder("alice").cn("Alice Example").mail("alice@example.com")
                    .groups(staff, "CN=Elsewhere,DC=other,DC=com").disabled(true).build());
            c.bind(ad.bindDn(), new String(ad.bindPassword()));
            SearchResultEntry user = c.getEntry(dn);
            assertEquals("alice@example.com", user.getAttributeValue("userPrincipalName"));
            assertEquals(List.of(staff, "CN=Elsewhere,DC=other,DC=com"), Arrays.asList(user.getAttributeValues("memberOf")));
            assertEquals("514", user.getAttributeValue("userAccountControl"));
            assertEquals(dn, c.getEntry(staff).getAttributeValue("member"));
        }
    }

    @Test
    void addUser_withPassword_canBind() throws Exception {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
             LDAPConnection c = new LDAPConnection("127.0.0.1", ad.port())) {
            String dn = ad.addUser(UserSpec.builder("alice").password("pw-alice".toCharArray()).build());
            assertEquals(ResultCode.SUCCESS, c.bind(dn, "pw-alice").getResultCode());
        }
    }

    @Test
    void addUser_sameCnTwice_throws() {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start()) {
            ad.addUser(UserSpec.builder("alice").build());
            assertThrows(IllegalArgumentException.class, () -> ad.addUser(UserSpec.builder("alice").build()));
        }
    }

    @Test
    void addUser_withoutUpn_hasNone() throws Exception {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
             LDAPConnection c = new LDAPConnection("127.0.0.1", ad.port())) {
            String dn = ad.addUser(UserSpec.builder("legacy").userPrincipalName(null).build());
            c.bind(ad.bindDn(), new String(ad.bindPassword()));
            assertFalse(c.getEntry(dn).hasAttribute("userPrincipalName"));
        }
    }

    @Test
    void adServer_customBaseDn_pointsAtTheServer() {
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.builder().baseDn("DC=corp,DC=example,DC=org")
                .serviceAccount("svc-ae").bindPassword("fixed".toCharArray()).start()) {
            AdServer server = ad.adServer("corp");
            assertEquals("CORP.EXAMPLE.ORG", server.windowsDomain());
            assertEquals(List.of(ad.endpoint()), server.hosts());
            assertEquals("127.0.0.1", server.hosts().get(0).host());
            assertFalse(server.useSsl());
            assertEquals("CN=Users,DC=corp,DC=example,DC=org", server.usersBaseDn());
            assertEquals("CN=svc-ae,CN=Users,DC=corp,DC=example,DC=org", server.bindDn());
            assertTrue(Arrays.equals("fixed".toCharArray(), resolve(server)));
            assertFalse(server.toString().contains("fixed"));
        }
    }

    @Test
    void start_baseDnWithoutDc_throws() {
        assertThrows(IllegalArgumentException.class, () -> InMemoryActiveDirectory.builder().baseDn("O=Example").start());
        assertThrows(IllegalArgumentException.class, () -> InMemoryActiveDirectory.builder().baseDn("not a dn").start());
    }

    @Test
    void close_twice_isHarmless() {
        InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
        ad.close();
        ad.close();
    }

    private static char[] resolve(AdServer server) {
        try {
            return server.bindPassword().resolve();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
