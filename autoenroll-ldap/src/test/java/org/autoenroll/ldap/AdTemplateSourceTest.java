package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.autoenroll.api.AccessRule.Right;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TemplateId;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.TemplateEntries;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AdTemplateSource against the in-memory directory: templates and ACLs written as AD CS stores them. */
class AdTemplateSourceTest {
    private static final String REALM = "EXAMPLE.COM";
    private static final LdapSettings FAST = LdapSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(2)).withResponseTimeout(Duration.ofSeconds(3));
    private static final List<List<Control>> TEMPLATE_SEARCH_CONTROLS = new CopyOnWriteArrayList<>();

    private static InMemoryActiveDirectory ad;
    private static AdServer server;
    private static String staffSid;
    private static String bobSid;

    private LdapDirectoryLookup lookup;
    private ScheduledExecutorService executor;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeAll
    static void startDirectory() {
        ad = InMemoryActiveDirectory.builder().operationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                if (request.getRequest().getBaseDN().startsWith("CN=Certificate Templates")) {
                    TEMPLATE_SEARCH_CONTROLS.add(List.of(request.getRequest().getControls()));
                }
            }
        }).start();
        String everyone = ad.addGroup("All-Staff");
        String staff = ad.addGroup("Staff", everyone);
        ad.addUser(UserSpec.builder("alice").groups(staff).build());
        String bobDn = ad.addUser(UserSpec.builder("bob").groups(staff).build());
        staffSid = ad.objectSid(everyone).orElseThrow();
        bobSid = ad.objectSid(bobDn).orElseThrow();
        add(template("User", "1.3.6.1.4.1.311.21.8.7.1").allow(staffSid, Right.ENROLL).allow(staffSid, Right.AUTOENROLL)
                .deny(bobSid, Right.ENROLL).build());
        add(template("Machine", "1.3.6.1.4.1.311.21.8.7.2").subjectType(org.autoenroll.api.SubjectType.COMPUTER)
                .subjectNames(Set.of(org.autoenroll.api.SubjectName.DNS)).build());
        // two that cannot be read whole: a broken OID, a CA template
        Entry broken = TemplateEntries.entry(ad.certificateTemplatesDn(), template("Broken", "1.3.6.1.4.1.311.21.8.7.3").build());
        broken.setAttribute("msPKI-Cert-Template-OID", "1.3.6.x");
        Entry ca = TemplateEntries.entry(ad.certificateTemplatesDn(), template("SubCA", "1.3.6.1.4.1.311.21.8.7.4").build());
        ca.setAttribute("flags", "128");
        try {
            ad.server().add(broken);
            ad.server().add(ca);
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalStateException(e);
        }
        server = ad.adServer("ad1", REALM);
    }

    @AfterAll
    static void stopDirectory() {
        ad.close();
    }

    @BeforeEach
    void open() {
        lookup = new LdapDirectoryLookup(FAST, null, ref -> Optional.of(server));
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        lookup.close();
    }

    static CertificateTemplate.Builder template(String name, String oid) {
        return CertificateTemplate.builder(name).id(new TemplateId(oid, 100, 2));
    }

    static void add(CertificateTemplate template) {
        assertEquals("CN=" + template.name() + "," + ad.certificateTemplatesDn(), ad.addTemplate(template));
    }

    private AdTemplateSource source(Duration interval) {
        return AdTemplateSource.builder(lookup, server, executor).refreshInterval(interval).maxAge(Duration.ofHours(24))
                .clock(clock).build();
    }

    private static Set<String> names(List<CertificateTemplate> templates) {
        Set<String> names = new HashSet<>();
        templates.forEach(t -> names.add(t.name()));
        return names;
    }

    @Test
    void templates_beforeStart_throwsAdUnavailable() {
        try (AdTemplateSource source = source(Duration.ofMinutes(15))) {
            EnrollmentException e = assertThrows(EnrollmentException.class, source::templates);
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
            assertTrue(source.lastRead().isEmpty());
        }
    }

    @Test
    void start_readsWholeTemplatesSkipsBrokenAndCaTemplates() throws Exception {
        try (AdTemplateSource source = source(Duration.ofMinutes(15))) {
            source.start();
            List<CertificateTemplate> templates = source.templates();
            assertTrue(names(templates).containsAll(Set.of("User", "Machine")), "templates " + names(templates));
            assertFalse(names(templates).contains("Broken"));
            assertFalse(names(templates).contains("SubCA"));
            assertEquals(now.get(), source.lastRead().orElseThrow());
            CertificateTemplate machine = templates.stream().filter(t -> t.name().equals("Machine")).findFirst().orElseThrow();
            assertEquals(org.autoenroll.api.SubjectType.COMPUTER, machine.subjectType());
        }
    }

    @Test
    void start_asksForDaclOnlyWithSdFlagsControl() throws Exception {
        TEMPLATE_SEARCH_CONTROLS.clear();
        try (AdTemplateSource source = source(Duration.ofMinutes(15))) {
            source.start();
        }
        assertFalse(TEMPLATE_SEARCH_CONTROLS.isEmpty());
        Control sdFlags = TEMPLATE_SEARCH_CONTROLS.get(0).stream()
                .filter(c -> c.getOID().equals("1.2.840.113556.1.4.801")).findFirst().orElseThrow();
        ASN1OctetString value = sdFlags.getValue();
        assertEquals("3003020104", HexFormat.of().formatHex(value.getValue()));
        assertFalse(sdFlags.isCritical());
    }

    @Test
    void grants_withGroupSidsFromLookup_nestedAllowDenyWins() throws Exception {
        try (AdTemplateSource source = source(Duration.ofMinutes(15))) {
            source.start();
            CertificateTemplate user = source.templates().stream().filter(t -> t.name().equals("User")).findFirst().orElseThrow();
            Set<String> alice = identities(lookup.findUser(server.ref(), AuthenticatedPrincipal.of("alice", REALM, null)));
            Set<String> bob = identities(lookup.findUser(server.ref(), AuthenticatedPrincipal.of("bob", REALM, null)));
            assertTrue(user.grants(Right.ENROLL, alice), "alice is in Staff, which is in All-Staff: " + alice);
            assertTrue(user.grants(Right.AUTOENROLL, alice));
            assertFalse(user.grants(Right.ENROLL, bob), "bob is denied by his own SID");
            assertFalse(user.grants(Right.AUTOENROLL, bob));
        }
    }

    @Test
    void refresh_onSchedule_picksUpNewTemplate() throws Exception {
        try (AdTemplateSource source = source(Duration.ofSeconds(1))) {
            source.start();
            assertFalse(names(source.templates()).contains("Later"));
            add(template("Later", "1.3.6.1.4.1.311.21.8.7.5").build());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!names(source.templates()).contains("Later") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(names(source.templates()).contains("Later"));
        } finally {
            ad.delete("CN=Later," + ad.certificateTemplatesDn());
        }
    }

    @Test
    void templates_copyOlderThanMaxAge_throwsAdUnavailableUntilRead() throws Exception {
        try (AdTemplateSource source = source(Duration.ofMinutes(15))) {
            source.start();
            now.set(now.get().plus(Duration.ofHours(23)));
            assertFalse(source.templates().isEmpty());
            now.set(now.get().plus(Duration.ofHours(2)));
            EnrollmentException e = assertThrows(EnrollmentException.class, source::templates);
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
            source.refresh();
            assertFalse(source.templates().isEmpty());
        }
    }

    @Test
    void refresh_directoryDown_throwsAdUnavailableKeepsCopy() throws Exception {
        try (InMemoryActiveDirectory other = InMemoryActiveDirectory.start()) {
            AdServer otherServer = other.adServer("other", "EXAMPLE.COM");
            other.server().add(TemplateEntries.entry(other.certificateTemplatesDn(), template("Only", "1.2.3.4").build()));
            try (AdTemplateSource source = AdTemplateSource.builder(lookup, otherServer, executor).clock(clock).build()) {
                source.start();
                assertEquals(Set.of("Only"), names(source.templates()));
                other.close();
                EnrollmentException e = assertThrows(EnrollmentException.class, source::refresh);
                assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
                assertEquals(Set.of("Only"), names(source.templates()));
            }
        }
    }

    @Test
    void start_directoryDown_templatesUnavailableNotThrownAtStart() {
        InMemoryActiveDirectory gone = InMemoryActiveDirectory.start();
        AdServer goneServer = gone.adServer("gone", "EXAMPLE.COM");
        gone.close();
        try (AdTemplateSource source = AdTemplateSource.builder(lookup, goneServer, executor).clock(clock).build()) {
            source.start();
            EnrollmentException e = assertThrows(EnrollmentException.class, source::templates);
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        }
    }

    @Test
    void refresh_noTemplatesContainer_isEmpty() throws Exception {
        try (AdTemplateSource source = AdTemplateSource.builder(lookup, server, executor)
                .configurationDn("CN=Elsewhere,DC=example,DC=com").build()) {
            assertEquals(List.of(), source.refresh());
        }
    }

    @Test
    void builder_badIntervals_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> AdTemplateSource.builder(lookup, server, executor).refreshInterval(Duration.ofMillis(10)).build());
        assertThrows(IllegalArgumentException.class, () -> AdTemplateSource.builder(lookup, server, executor)
                .refreshInterval(Duration.ofHours(2)).maxAge(Duration.ofHours(1)).build());
    }

    /** What the policy would match rules against: the account's SID and its groups' SIDs, lower case. */
    static Set<String> identities(DirectoryEntry entry) {
        Set<String> result = new HashSet<>();
        entry.objectSid().ifPresent(sid -> result.add(sid.toLowerCase(Locale.ROOT)));
        entry.groupSids().forEach(sid -> result.add(sid.toLowerCase(Locale.ROOT)));
        return result;
    }
}
