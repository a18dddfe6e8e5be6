package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.ChangeType;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.ldap.testkit.SambaDcFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish-ad} into Samba AD as Administrator over LDAPS, read back as a plain account the
 * way Samba's own autoenrollment client reads it ({@code (objectClass=pKIEnrollmentService)} under
 * the Configuration partition, {@code cn}, {@code dNSHostName}, {@code cACertificate}) and the way
 * the server reads templates ({@code AdTemplateSource}); a second run changes nothing. Before that,
 * the record's own (read-only) account is refused and a dry run prints LDIF; neither writes.
 */
class SambaPublishAdTest {
    static final String CONFIGURATION_DN = "CN=Configuration," + SambaDcFixture.BASE_DN;
    static final String SERVICES_DN = "CN=Public Key Services,CN=Services," + CONFIGURATION_DN;
    static final String ENROLLMENT_SERVICE_DN = "CN=" + PublishAdCommandTest.CA_NAME + ",CN=Enrollment Services," + SERVICES_DN;
    static final String NTAUTH_DN = "CN=NTAuthCertificates," + SERVICES_DN;

    @TempDir
    static Path dir;
    static SambaDcFixture samba;
    static ServerHarness.Prepared prepared;
    static PublishAdCommandTest.Run asServiceAccount;
    static PublishAdCommandTest.Run dryRun;
    static boolean writtenBeforePublish;
    static PublishAdCommandTest.Run first;
    static PublishAdCommandTest.Run second;

    @BeforeAll
    static void publishTwice() throws Exception {
        samba = SambaDcFixture.shared();
        Path servicePassword = Files.writeString(dir.resolve("svc.pw"), new String(samba.bindPassword()));
        Path adminPassword = Files.writeString(dir.resolve("admin.pw"), new String(samba.adminPassword()));
        prepared = ServerHarness.prepare(dir.resolve("server"), (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db).replace("adServers:\n", """
                        adServers:
                          - id: samba-forest
                            windowsDomain: %s
                            hosts: ["127.0.0.1:%d"]
                            ssl: true
                            usersBaseDn: "%s"
                            bindDn: "%s"
                            bindPassword: "file:%s"
                        """.formatted(SambaDcFixture.REALM, SambaDcFixture.LDAPS_PORT, samba.usersDn(), samba.bindDn(),
                        servicePassword))
                        + "ldap:\n  trustedCertificates: \"" + samba.caCertificatePem() + "\"\n  connectTimeoutMillis: 5000\n"
                        + PublishAdCommandTest.PUBLICATION);
        String[] args = {"--config", prepared.configFile().toString(), "--ad-server", "samba-forest",
                "--bind-dn", samba.adminDn(), "--bind-password", "file:" + adminPassword};
        // the record's own account may read but not write the Configuration partition
        asServiceAccount = PublishAdCommandTest.run(Arrays.copyOf(args, 4));
        dryRun = PublishAdCommandTest.run(Stream.concat(Stream.of(args), Stream.of("--dry-run")).toArray(String[]::new));
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            writtenBeforePublish = admin.getEntry(ENROLLMENT_SERVICE_DN) != null || admin.getEntry(NTAUTH_DN) != null;
        }
        first = PublishAdCommandTest.run(args);
        second = PublishAdCommandTest.run(args);
    }

    @Test
    void withoutRightsOnTheConfigurationPartition_nothingIsWrittenAndTheCodeSaysAd() {
        assertEquals(1, asServiceAccount.exit(), asServiceAccount.out());
        assertTrue(asServiceAccount.err().contains("13 AD_UNAVAILABLE"), asServiceAccount.err());
        assertTrue(asServiceAccount.err().contains("refused (result 50 insufficient access rights)")
                && asServiceAccount.err().contains("Enterprise Admin"), asServiceAccount.err());
        assertFalse(asServiceAccount.err().contains(new String(samba.bindPassword())));
        assertFalse(writtenBeforePublish, "neither the refused run nor the dry run wrote anything");
    }

    @Test
    void dryRun_printsLdifForSamba_andWritesNothing() throws Exception {
        assertEquals(0, dryRun.exit(), dryRun.err());
        List<String> added = new ArrayList<>();
        try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(dryRun.out().getBytes(StandardCharsets.UTF_8)))) {
            for (LDIFChangeRecord record = reader.readChangeRecord(); record != null; record = reader.readChangeRecord()) {
                if (record.getChangeType() == ChangeType.ADD) {
                    added.add(record.getDN());
                }
            }
        }
        assertTrue(added.contains(ENROLLMENT_SERVICE_DN), dryRun.out());
        assertTrue(added.contains(NTAUTH_DN), "Samba's provision has no NTAuthCertificates: " + added);
        assertFalse(added.contains("CN=AIA," + SERVICES_DN), "Samba's provision has the containers: " + added);
        assertFalse(writtenBeforePublish);
    }

    @Test
    void firstRun_addsTheObjects_secondRunFindsNothingToDo() {
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("added     CN=" + PublishAdCommandTest.CA_NAME + ",CN=Enrollment Services,"), first.out());
        assertTrue(first.out().contains("added     CN=NTAuthCertificates,"), first.out());
        assertEquals(0, second.exit(), second.out() + second.err());
        assertTrue(second.out().contains("0 added, 0 changed, 11 unchanged"), second.out());
    }

    @Test
    void enrollmentService_readAsSambasClientReadsIt() throws Exception {
        try (LDAPConnection connection = new LDAPConnection("127.0.0.1", SambaDcFixture.LDAP_PORT)) {
            connection.bind(samba.bindDn(), new String(samba.bindPassword()));
            SearchRequest request = new SearchRequest(CONFIGURATION_DN, SearchScope.SUB, "(objectClass=pKIEnrollmentService)",
                    "cn", "dNSHostName", "cACertificate", "msPKI-Enrollment-Servers", "certificateTemplates");
            List<SearchResultEntry> services = connection.search(request).getSearchEntries();
            SearchResultEntry ours = services.stream()
                    .filter(e -> PublishAdCommandTest.CA_NAME.equals(e.getAttributeValue("cn"))).findFirst().orElseThrow();
            assertEquals(PublishAdCommandTest.HOST, ours.getAttributeValue("dNSHostName"));
            assertArrayEquals(prepared.caCertificate().getEncoded(), ours.getAttributeValueBytes("cACertificate"));
            assertEquals(Set.of("PubUser", "PubMachine"), Set.of(ours.getAttributeValues("certificateTemplates")));
            assertTrue(Set.of(ours.getAttributeValues("msPKI-Enrollment-Servers")).contains("1\n2\n0\nhttps://"
                    + PublishAdCommandTest.HOST + ":8443/" + PublishAdCommandTest.CA_NAME + "_CES_Kerberos/service.svc/CES"));

            for (String ca : List.of("CN=" + PublishAdCommandTest.CA_NAME + ",CN=Certification Authorities,",
                    "CN=" + PublishAdCommandTest.CA_NAME + ",CN=AIA,", "CN=NTAuthCertificates,")) {
                Entry entry = connection.getEntry(ca + SERVICES_DN, "cACertificate");
                assertArrayEquals(prepared.caCertificate().getEncoded(), entry.getAttributeValueBytes("cACertificate"), ca);
            }
        }
    }

    @Test
    void templates_readBackByAdTemplateSource() throws Exception {
        List<CertificateTemplate> templates = AdTemplatesReadBack.read(samba.adServer("samba-reader"));
        CertificateTemplate user = templates.stream().filter(t -> t.name().equals("PubUser")).findFirst()
                .orElseThrow(() -> new AssertionError("PubUser not read: " + templates));
        assertEquals("1.3.6.1.4.1.311.21.8.77.1", user.id().oid());
        assertEquals(100, user.id().majorRevision());
        assertTrue(user.grants(AccessRule.Right.AUTOENROLL, Set.of("s-1-5-11")), user.accessRules().toString());
        CertificateTemplate machine = templates.stream().filter(t -> t.name().equals("PubMachine")).findFirst().orElseThrow();
        assertTrue(machine.grants(AccessRule.Right.ENROLL, Set.of("s-1-5-21-1-2-3-515")));
        assertTrue(!machine.grants(AccessRule.Right.ENROLL, Set.of("s-1-5-21-1-2-3-515", "s-1-5-21-1-2-3-1999")),
                "the deny ACE survived Samba: " + machine.accessRules());
    }
}
