package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.autoenroll.ldap.AdServerVerifier.Report;
import org.autoenroll.ldap.AdServerVerifier.Step;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier against Samba: plain LDAP, LDAPS trusting Samba's CA, LDAPS with the JVM's default trust store. */
class SambaAdServerVerifierTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static SambaDcFixture samba;

    @BeforeAll
    static void start() {
        samba = SambaDcFixture.shared();
    }

    @Test
    void verify_plainLdap_ok() {
        Report report = new AdServerVerifier(SETTINGS).verify(samba.adServer("samba-verify"));
        assertTrue(report.ok(), report::message);
    }

    @Test
    void verify_ldapsTrusted_ok() {
        Report report = new AdServerVerifier(SETTINGS, samba.caTrustContext().getSocketFactory())
                .verify(samba.ldapsServer("samba-verify-tls", "127.0.0.1"));
        assertTrue(report.ok(), report::message);
    }

    @Test
    void verify_ldapsUntrusted_failsAtTls() {
        Report report = new AdServerVerifier(SETTINGS).verify(samba.ldapsServer("samba-verify-untrusted", "127.0.0.1"));
        assertEquals(Optional.of(Step.TLS), report.failedStep(), report::message);
    }

    @Test
    void verify_ldapsWrongHostName_failsAtTls() {
        Report report = new AdServerVerifier(SETTINGS, samba.caTrustContext().getSocketFactory())
                .verify(samba.ldapsServer("samba-verify-name", "localhost"));
        assertEquals(Optional.of(Step.TLS), report.failedStep(), report::message);
    }
}
