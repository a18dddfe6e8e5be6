package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ldap.AdServerVerifier.Report;
import org.autoenroll.ldap.AdServerVerifier.Step;
import org.autoenroll.ldap.testkit.ExternalPrograms;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdServerVerifierTest {
    private static final LdapSettings FAST = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withResponseTimeout(Duration.ofSeconds(3));
    private static final String WRONG = "Wrong-Secret-Value-991";
    private static InMemoryActiveDirectory ad;
    private static AdServer good;
    private final AdServerVerifier verifier = new AdServerVerifier(FAST);

    @BeforeAll
    static void start() {
        ad = InMemoryActiveDirectory.start();
        good = ad.adServer("verify", "EXAMPLE.COM");
    }

    @AfterAll
    static void stop() {
        ad.close();
    }

    private static AdServer with(List<LdapEndpoint> hosts, String base, SecretRef password) {
        return new AdServer(good.id(), good.windowsDomain(), hosts, false, base, good.bindDn(), password);
    }

    private static void assertNoSecret(Report report) {
        assertFalse(report.toString().contains(WRONG), report::toString);
        assertFalse(report.toString().contains(new String(ad.bindPassword())), "password in report");
    }

    @Test
    void verify_goodRecord_ok() {
        Report report = verifier.verify(good);
        assertTrue(report.ok(), report::message);
        assertEquals(Optional.empty(), report.failedStep());
        assertEquals(List.of(Step.DNS, Step.TCP, Step.BIND, Step.BASE_DN),
                report.hosts().get(0).steps().stream().map(AdServerVerifier.StepResult::step).toList());
        assertNoSecret(report);
    }

    /** ldap.startTls is honoured: a DC without StartTLS fails at TLS instead of being bound in clear text. */
    @Test
    void verify_startTlsAgainstADcWithoutIt_failsAtTlsAndNeverBinds() {
        Report report = new AdServerVerifier(FAST.toBuilder().startTls(true).build()).verify(good);
        assertFalse(report.ok());
        assertEquals(Optional.of(Step.TLS), report.failedStep());
        assertEquals(List.of(Step.DNS, Step.TCP, Step.TLS),
                report.hosts().get(0).steps().stream().map(AdServerVerifier.StepResult::step).toList());
    }

    @Test
    void verify_wrongPassword_failsAtBind() {
        Report report = verifier.verify(with(good.hosts(), good.usersBaseDn(), SecretRef.literal(WRONG.toCharArray())));
        assertFalse(report.ok());
        assertEquals(Optional.of(Step.BIND), report.failedStep());
        assertNoSecret(report);
    }

    @Test
    void verify_unsetPasswordVariable_failsAtBind() {
        Report report = verifier.verify(with(good.hosts(), good.usersBaseDn(),
                SecretRef.parse("env:AUTOENROLL_TEST_SURELY_UNSET_VARIABLE_4711")));
        assertEquals(Optional.of(Step.BIND), report.failedStep());
    }

    @Test
    void verify_wrongBaseDn_failsAtBaseDn() {
        Report report = verifier.verify(with(good.hosts(), "OU=People," + ad.baseDn(), good.bindPassword()));
        assertEquals(Optional.of(Step.BASE_DN), report.failedStep(), report::message);
    }

    @Test
    void verify_closedPort_failsAtTcp() {
        int closed = ExternalPrograms.freePort();
        Report report = verifier.verify(with(List.of(new LdapEndpoint("127.0.0.1", closed)), good.usersBaseDn(), good.bindPassword()));
        assertEquals(Optional.of(Step.TCP), report.failedStep(), report::message);
    }

    @Test
    void verify_unresolvableHost_failsAtDns() {
        Report report = verifier.verify(with(List.of(new LdapEndpoint("no-such-host.invalid", 389)), good.usersBaseDn(),
                good.bindPassword()));
        assertEquals(Optional.of(Step.DNS), report.failedStep(), report::message);
    }

    @Test
    void verify_secondHostDown_reportsBothHostsNotOk() {
        int closed = ExternalPrograms.freePort();
        Report report = verifier.verify(with(List.of(good.hosts().get(0), new LdapEndpoint("127.0.0.1", closed)),
                good.usersBaseDn(), good.bindPassword()));
        assertFalse(report.ok());
        assertTrue(report.hosts().get(0).ok());
        assertEquals(Step.TCP, report.hosts().get(1).failure().orElseThrow().step());
    }
}
