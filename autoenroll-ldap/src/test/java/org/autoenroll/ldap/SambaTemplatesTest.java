package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.autoenroll.api.AccessRule.Right;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;
import org.autoenroll.ldap.testkit.ComputerSpec;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.autoenroll.ldap.testkit.SecurityDescriptorBuilder;
import org.autoenroll.ldap.testkit.TemplateEntries;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificate templates and their ACLs on Samba AD: the test writes {@code pKICertificateTemplate}
 * objects into the Configuration partition as Administrator, then their DACLs as binary
 * {@code nTSecurityDescriptor} values (allow for a group that holds another group, deny for one
 * user), and reads them back as the service account through {@link AdTemplateSource}; rights are
 * checked with the SIDs the lookup reads ({@code tokenGroups}).
 */
class SambaTemplatesTest {
    private static final LdapSettings SETTINGS = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(3)).withResponseTimeout(Duration.ofSeconds(10));
    private static final String TEMPLATES_DN = "CN=Certificate Templates,CN=Public Key Services,CN=Services,CN=Configuration,"
            + SambaDcFixture.BASE_DN;

    private static SambaDcFixture samba;
    private static AdServer server;
    private static LdapDirectoryLookup lookup;
    private static ScheduledExecutorService executor;
    private static Map<String, CertificateTemplate> read;

    @BeforeAll
    static void start() throws Exception {
        samba = SambaDcFixture.shared();
        String outer = samba.addGroup("tpl-Enrollers");
        String inner = samba.addGroup("tpl-Team", outer);
        String aliceDn = samba.addUser(UserSpec.builder("tpl-alice").groups(inner).build());
        String bobDn = samba.addUser(UserSpec.builder("tpl-bob").groups(inner).build());
        samba.addUser(UserSpec.builder("tpl-carol").build());
        samba.addComputer(ComputerSpec.builder("TPL-WS01").dnsHostName("tpl-ws01.samba.test").build());
        String enrollers = samba.objectSid(outer).orElseThrow();
        String bob = samba.objectSid(bobDn).orElseThrow();
        String aliceSid = samba.objectSid(aliceDn).orElseThrow();
        String domain = aliceSid.substring(0, aliceSid.lastIndexOf('-'));
        String domainComputers = domain + "-515";

        CertificateTemplate user = CertificateTemplate.builder("tpl-User")
                .id(new TemplateId("1.3.6.1.4.1.311.21.8.4242.1", 100, 3))
                .validity(Duration.ofDays(365)).renewalWindow(Duration.ofDays(42))
                .supersedes(List.of("tpl-OldUser")).publishToDirectory(true).build();
        CertificateTemplate machine = CertificateTemplate.builder("tpl-Machine")
                .id(new TemplateId("1.3.6.1.4.1.311.21.8.4242.2", 5, 0)).subjectType(SubjectType.COMPUTER)
                .subjectNames(Set.of(SubjectName.COMMON_NAME, SubjectName.DNS, SubjectName.SID_EXTENSION)).build();
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            // the templates first (Samba gives them its default descriptor), then their DACLs as binary values
            add(admin, user);
            add(admin, machine);
            Entry broken = TemplateEntries.entry(TEMPLATES_DN, CertificateTemplate.builder("tpl-Broken")
                    .id(new TemplateId("1.3.6.1.4.1.311.21.8.4242.3", 1, 0)).build());
            broken.setAttribute("pKIExpirationPeriod", new byte[] {1, 2, 3});
            broken.removeAttribute("nTSecurityDescriptor");
            admin.add(broken);
            // as AD CS writes them: Authenticated Users may read, Domain Admins have full control
            writeDacl(admin, "tpl-User", SecurityDescriptorBuilder.create()
                    .plain(true, SecurityDescriptorBuilder.READ_MASK, "S-1-5-11")
                    .plain(true, SecurityDescriptorBuilder.FULL_CONTROL_MASK, domain + "-512")
                    .deny(bob, Right.ENROLL)
                    .allow(enrollers, Right.ENROLL).allow(enrollers, Right.AUTOENROLL).build());
            writeDacl(admin, "tpl-Machine", SecurityDescriptorBuilder.create()
                    .plain(true, SecurityDescriptorBuilder.READ_MASK, "S-1-5-11")
                    .allow(domainComputers, Right.ENROLL).allow(domainComputers, Right.AUTOENROLL).build());
        }
        server = samba.adServer("samba-templates");
        lookup = new LdapDirectoryLookup(SETTINGS, null, ref -> Optional.of(server));
        executor = Executors.newSingleThreadScheduledExecutor();
        try (AdTemplateSource source = AdTemplateSource.builder(lookup, server, executor).build()) {
            source.start();
            read = source.templates().stream().collect(Collectors.toMap(CertificateTemplate::name, Function.identity()));
        }
    }

    @AfterAll
    static void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (lookup != null) {
            lookup.close();
        }
    }

    private static void add(LDAPConnection admin, CertificateTemplate template) throws Exception {
        Entry entry = TemplateEntries.entry(TEMPLATES_DN, template);
        entry.removeAttribute("nTSecurityDescriptor");
        admin.add(entry);
    }

    /** Replaces the DACL only (SD_FLAGS control: DACL_SECURITY_INFORMATION), as an administrator's tool does. */
    private static void writeDacl(LDAPConnection admin, String template, byte[] descriptor) throws Exception {
        ModifyRequest modify = new ModifyRequest("CN=" + template + "," + TEMPLATES_DN,
                new Modification(ModificationType.REPLACE, "nTSecurityDescriptor", descriptor));
        modify.addControl(AdTemplateSource.sdFlagsControl());
        admin.modify(modify);
    }

    private static Set<String> identities(String principal) throws Exception {
        return AdTemplateSourceTest.identities(lookup.findUser(server.ref(),
                AuthenticatedPrincipal.of(principal, SambaDcFixture.REALM, null)));
    }

    @Test
    void templates_readAsServiceAccount_wholeOnesOnly() {
        assertTrue(read.keySet().containsAll(Set.of("tpl-User", "tpl-Machine")), "read " + read.keySet());
        assertFalse(read.containsKey("tpl-Broken"));
        CertificateTemplate user = read.get("tpl-User");
        assertEquals(new TemplateId("1.3.6.1.4.1.311.21.8.4242.1", 100, 3), user.id());
        assertEquals(Duration.ofDays(365), user.validity());
        assertEquals(Duration.ofDays(42), user.renewalWindow());
        assertEquals(List.of("tpl-OldUser"), user.supersedes());
        assertTrue(user.publishToDirectory());
        assertEquals(SubjectType.COMPUTER, read.get("tpl-Machine").subjectType());
    }

    @Test
    void grants_nestedGroupAllowed_userDenyWins_outsiderNothing() throws Exception {
        CertificateTemplate user = read.get("tpl-User");
        Set<String> alice = identities("tpl-alice");
        assertTrue(user.grants(Right.ENROLL, alice), "alice via tpl-Team in tpl-Enrollers: " + alice);
        assertTrue(user.grants(Right.AUTOENROLL, alice));
        Set<String> bob = identities("tpl-bob");
        assertFalse(user.grants(Right.ENROLL, bob), "bob's own deny wins over his group's allow");
        assertFalse(user.grants(Right.AUTOENROLL, bob));
        Set<String> carol = identities("tpl-carol");
        assertFalse(user.grants(Right.ENROLL, carol));
        assertFalse(user.grants(Right.AUTOENROLL, carol));
    }

    @Test
    void accessRules_asWritten_readBackFromSamba() {
        CertificateTemplate user = read.get("tpl-User");
        assertTrue(user.accessRules().stream().anyMatch(r -> !r.allow() && r.right() == Right.ENROLL),
                "the deny ACE: " + user.accessRules());
        assertTrue(user.accessRules().stream().anyMatch(r -> r.allow() && r.trustee().endsWith("-512")),
                "Domain Admins' full control grants both rights: " + user.accessRules());
    }

    @Test
    void grants_computerThroughPrimaryGroupInTokenGroups() throws Exception {
        CertificateTemplate machine = read.get("tpl-Machine");
        assertTrue(machine.grants(Right.AUTOENROLL, identities("TPL-WS01$")));
        assertFalse(machine.grants(Right.ENROLL, identities("tpl-alice")));
    }
}
