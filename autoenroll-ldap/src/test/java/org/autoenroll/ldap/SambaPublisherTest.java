package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * userCertificate publication and cleanup on Samba AD, as the service account, seen by a later lookup.
 * The service account is put into Cert Publishers, as a deployment must do.
 */
class SambaPublisherTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static SambaDcFixture samba;
    private static TestCertificates ca;
    private static TestCertificates foreignCa;

    @BeforeAll
    static void start() throws Exception {
        samba = SambaDcFixture.shared();
        // As on AD: writing userCertificate is granted to Cert Publishers (the enterprise CA's group), not to
        // every authenticated account; the service account must be a member.
        samba.tool("group", "addmembers", "Cert Publishers", SambaDcFixture.SERVICE_ACCOUNT);
        ca = TestCertificates.ca("CN=Samba Publisher Test CA");
        foreignCa = TestCertificates.ca("CN=Samba Foreign CA");
    }

    private static boolean has(DirectoryEntry entry, byte[] value) {
        return entry.certificates().stream().anyMatch(v -> Arrays.equals(v, value));
    }

    @Test
    void updateCertificates_renewal_publishesNewRemovesOldKeepsForeign() throws Exception {
        Instant now = Instant.now();
        byte[] expired = ca.issueDer("pub-alice", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] superseded = ca.issueDer("pub-alice", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)));
        byte[] foreign = foreignCa.issueDer("pub-alice", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] fresh = ca.issueDer("pub-alice", now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(365)));
        samba.addUser(UserSpec.builder("pub-alice").certificate(expired).certificate(superseded).certificate(foreign).build());
        AdServer server = samba.adServer("samba-publish");
        AuthenticatedPrincipal alice = AuthenticatedPrincipal.of("pub-alice", SambaDcFixture.REALM, null);
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS)) {
            LdapDirectoryPublisher publisher = new LdapDirectoryPublisher(lookup);
            DirectoryEntry before = lookup.findUser(server, alice);
            assertEquals(3, before.certificates().size());
            // what core's CertificateCleanup chooses in this case: this CA's superseded and expired ones
            List<byte[]> remove = List.of(expired, superseded);
            publisher.updateCertificates(server, before.dn(), List.of(fresh), remove);

            DirectoryEntry after = lookup.findUser(server, alice);
            assertTrue(has(after, fresh));
            assertTrue(has(after, foreign));
            assertFalse(has(after, expired));
            assertFalse(has(after, superseded));
            assertEquals(2, after.certificates().size());

            // Idempotent: the same call again changes nothing and does not fail.
            publisher.updateCertificates(server, before.dn(), List.of(fresh), remove);
            assertEquals(2, lookup.findUser(server, alice).certificates().size());
        }
        // What AD itself holds, read as Administrator.
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            SearchResultEntry entry = admin.getEntry("CN=pub-alice," + SambaDcFixture.USERS_DN, "userCertificate");
            assertEquals(2, entry.getAttribute("userCertificate").getValueByteArrays().length);
        }
    }

    @Test
    void updateCertificates_revocationOnly_removesRevokedKeepsExpired() throws Exception {
        Instant now = Instant.now();
        byte[] expired = ca.issueDer("pub-bob", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] revoked = ca.issueDer("pub-bob", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)));
        samba.addUser(UserSpec.builder("pub-bob").certificate(expired).certificate(revoked).build());
        AdServer server = samba.adServer("samba-publish");
        AuthenticatedPrincipal bob = AuthenticatedPrincipal.of("pub-bob", SambaDcFixture.REALM, null);
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS)) {
            DirectoryEntry before = lookup.findUser(server, bob);
            // a revocation-only step: core's CertificateCleanup removes the revoked one, keeps the expired
            List<byte[]> remove = List.of(revoked);
            new LdapDirectoryPublisher(lookup).updateCertificates(server, before.dn(), List.of(), remove);
            DirectoryEntry after = lookup.findUser(server, bob);
            assertTrue(has(after, expired));
            assertFalse(has(after, revoked));
        }
    }
}
