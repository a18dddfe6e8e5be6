package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LDAPS on Samba's port 636 with a trust store holding only Samba's own CA (DIR/private/tls/ca.pem).
 * Samba's certificate names DC1.samba.test, which does not resolve here, so the record uses 127.0.0.1
 * (the SDK's host name check accepts loopback addresses); by the name "localhost" it must fail.
 */
class SambaLdapsTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static SambaDcFixture samba;

    @BeforeAll
    static void addUser() {
        samba = SambaDcFixture.shared();
        samba.addUser(UserSpec.builder("tls-user").cn("TLS User").mail("tls-user@samba.test").build());
    }

    @Test
    void findUser_ldapsTrustingSambaCa_returnsEntry() throws Exception {
        assertTrue(Files.isRegularFile(samba.caCertificatePem()));
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS, samba.caTrustContext().getSocketFactory())) {
            assertEquals("TLS User", lookup.findUser(samba.ldapsServer("samba-ldaps", "127.0.0.1"), principal()).commonName());
        }
    }

    @Test
    void findUser_ldapsWithDefaultTrustStore_throwsAdUnavailable() {
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS)) {
            EnrollmentException e = assertThrows(EnrollmentException.class,
                    () -> lookup.findUser(samba.ldapsServer("samba-ldaps-untrusted", "127.0.0.1"), principal()));
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        }
    }

    @Test
    void findUser_ldapsHostNameNotInCertificate_throwsAdUnavailable() throws Exception {
        // The name reaches the DC (so the failure is the certificate's name, not the network)...
        try (java.net.Socket reachable = new java.net.Socket("localhost", SambaDcFixture.LDAPS_PORT)) {
            assertTrue(reachable.isConnected());
        }
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS, samba.caTrustContext().getSocketFactory())) {
            EnrollmentException e = assertThrows(EnrollmentException.class,
                    () -> lookup.findUser(samba.ldapsServer("samba-ldaps-wrong-name", "localhost"), principal()));
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        }
    }

    @Test
    void findUser_startTlsTrustingSambaCa_returnsEntry() throws Exception {
        LdapSettings startTls = SETTINGS.toBuilder().startTls(true).build();
        AdServer plain = samba.adServer("samba-starttls");   // port 389, not LDAPS: upgraded before the bind
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(startTls, samba.caTrustContext().getSocketFactory())) {
            assertEquals("TLS User", lookup.findUser(plain, principal()).commonName());
        }
    }

    @Test
    void findUser_startTlsWithDefaultTrustStore_throwsAdUnavailableNeverFallsBackToClear() {
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(SETTINGS.toBuilder().startTls(true).build())) {
            EnrollmentException e = assertThrows(EnrollmentException.class,
                    () -> lookup.findUser(samba.adServer("samba-starttls-untrusted"), principal()));
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        }
    }

    private static AuthenticatedPrincipal principal() {
        return AuthenticatedPrincipal.of("tls-user", SambaDcFixture.REALM, null);
    }
}
