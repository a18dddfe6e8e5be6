package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.ChangeType;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.server.cli.PublishAdCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish-ad} against the in-memory AD: what Windows and Samba clients read is there after
 * one run, a second run changes nothing, a dry run prints LDIF and writes nothing, and passwords
 * are references that are never printed.
 */
class PublishAdCommandTest {
    static final String CA_NAME = "Pub-Issuing-CA";
    static final String HOST = "ca.example.com";
    static final String PUBLICATION = """
            windows:
              customer: "%s"
              hostName: %s:8443
              caName: %s
            templates:
              - name: PubUser
                oid: 1.3.6.1.4.1.311.21.8.77.1
                majorRevision: 100
                extendedKeyUsages: [clientAuth, emailProtection]
                enroll: [S-1-5-11]
                autoenroll: [S-1-5-11]
              - name: PubMachine
                oid: 1.3.6.1.4.1.311.21.8.77.2
                subject: computer
                extendedKeyUsages: [serverAuth, clientAuth]
                enroll: ["S-1-5-21-1-2-3-515"]
                denyEnroll: ["S-1-5-21-1-2-3-1999"]
            """.formatted(ServerHarness.CUSTOMER, HOST, CA_NAME);

    @TempDir
    Path dir;
    InMemoryActiveDirectory ad;
    ServerHarness.Prepared prepared;
    Path adminPassword;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = PublishAdCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void start() throws Exception {
        ad = InMemoryActiveDirectory.start();
        adminPassword = Files.writeString(dir.resolve("admin.pw"), new String(ad.bindPassword()));
        prepared = ServerHarness.prepare(dir.resolve("server"), (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db).replace("adServers:\n", """
                        adServers:
                          - id: forest
                            windowsDomain: EXAMPLE.COM
                            hosts: ["%s"]
                            usersBaseDn: "%s"
                            bindDn: "CN=reader,CN=Users,DC=example,DC=com"
                            bindPassword: "file:%s"
                        """.formatted(ad.endpoint(), ad.usersDn(), adminPassword)) + PUBLICATION);
    }

    @AfterEach
    void stop() {
        ad.close();
    }

    private String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("--config", prepared.configFile().toString(), "--ad-server", "forest",
                "--bind-dn", ad.bindDn(), "--bind-password", "file:" + adminPassword));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private String services() {
        return "CN=Public Key Services,CN=Services," + ad.configurationDn();
    }

    @Test
    void publishAd_writesWhatClientsRead_andASecondRunChangesNothing() throws Exception {
        Run first = run(args());
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("added     CN=" + CA_NAME + ",CN=Enrollment Services," + services()), first.out());

        // as Samba's client looks: (objectClass=pKIEnrollmentService) under the Configuration partition
        List<SearchResultEntry> services = ad.server().search(ad.configurationDn(), SearchScope.SUB,
                "(objectClass=pKIEnrollmentService)", "cn", "dNSHostName", "cACertificate", "certificateTemplates",
                "msPKI-Enrollment-Servers").getSearchEntries();
        assertEquals(1, services.size());
        SearchResultEntry service = services.get(0);
        assertEquals(CA_NAME, service.getAttributeValue("cn"));
        assertEquals(HOST, service.getAttributeValue("dNSHostName"), "the host without the port");
        assertArrayEquals(prepared.caCertificate().getEncoded(), service.getAttributeValueBytes("cACertificate"));
        assertEquals(Set.of("PubUser", "PubMachine"), Set.of(service.getAttributeValues("certificateTemplates")));
        assertEquals(Set.of("1\n2\n0\nhttps://" + HOST + ":8443/" + CA_NAME + "_CES_Kerberos/service.svc/CES",
                        "2\n4\n0\nhttps://" + HOST + ":8443/" + CA_NAME + "_CES_UsernamePassword/service.svc/CES",
                        "3\n8\n1\nhttps://" + HOST + ":8443/" + CA_NAME + "_CES_Certificate/service.svc/CES"),
                Set.of(service.getAttributeValues("msPKI-Enrollment-Servers")));
        for (String ca : List.of("CN=" + CA_NAME + ",CN=Certification Authorities,", "CN=" + CA_NAME + ",CN=AIA,",
                "CN=NTAuthCertificates,")) {
            Entry entry = ad.server().getEntry(ca + services());
            assertNotNull(entry, ca);
            assertArrayEquals(prepared.caCertificate().getEncoded(), entry.getAttributeValueBytes("cACertificate"), ca);
        }

        List<CertificateTemplate> templates = AdTemplatesReadBack.read(ad.adServer("reader"));
        CertificateTemplate user = templates.stream().filter(t -> t.name().equals("PubUser")).findFirst().orElseThrow();
        assertEquals(100, user.id().majorRevision());
        assertTrue(user.grants(AccessRule.Right.AUTOENROLL, Set.of("s-1-5-11")), user.accessRules().toString());
        CertificateTemplate machine = templates.stream().filter(t -> t.name().equals("PubMachine")).findFirst().orElseThrow();
        assertTrue(machine.grants(AccessRule.Right.ENROLL, Set.of("s-1-5-21-1-2-3-515")));
        assertFalse(machine.grants(AccessRule.Right.ENROLL, Set.of("s-1-5-21-1-2-3-515", "s-1-5-21-1-2-3-1999")),
                "the deny ACE is written too");

        Run second = run(args());
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().lines().filter(l -> l.startsWith("CN=") || l.startsWith("added") || l.startsWith("changed"))
                .findAny().isEmpty(), second.out());
        assertTrue(second.out().contains("0 added, 0 changed, 11 unchanged"), second.out());
    }

    @Test
    void publishAd_keepsOtherCasInNtAuth_andRepairsWhatWasChanged() throws Exception {
        byte[] other = {0x30, 0x03, 0x02, 0x01, 0x07};
        ad.server().add(new Entry("CN=NTAuthCertificates," + services(), new Attribute("objectClass", "top", "certificationAuthority"),
                new Attribute("cn", "NTAuthCertificates"), new Attribute("cACertificate", other),
                new Attribute("authorityRevocationList", new byte[] {0}), new Attribute("certificateRevocationList", new byte[] {0})));
        assertEquals(0, run(args()).exit());
        Entry ntAuth = ad.server().getEntry("CN=NTAuthCertificates," + services());
        assertEquals(2, ntAuth.getAttribute("cACertificate").size(), "the other CA stays, ours is added");

        String service = "CN=" + CA_NAME + ",CN=Enrollment Services," + services();
        ad.server().modify(service, new Modification(ModificationType.REPLACE, "dNSHostName", "old.example.com"));
        Run repaired = run(args());
        assertEquals(0, repaired.exit(), repaired.err());
        assertTrue(repaired.out().contains("changed   " + service), repaired.out());
        assertTrue(repaired.out().contains("0 added, 1 changed, 10 unchanged"), repaired.out());
        assertEquals(HOST, ad.server().getEntry(service).getAttributeValue("dNSHostName"));
    }

    @Test
    void dryRun_printsLdifThatParses_andWritesNothing() throws Exception {
        ad.server().delete("CN=AIA," + services());
        int before = ad.server().countEntriesBelow(ad.configurationDn());
        Run dry = run(args("--dry-run"));
        assertEquals(0, dry.exit(), dry.err());
        assertEquals(before, ad.server().countEntriesBelow(ad.configurationDn()), "nothing written");
        assertNull(ad.server().getEntry("CN=" + CA_NAME + ",CN=Enrollment Services," + services()));

        List<LDIFChangeRecord> records = new ArrayList<>();
        try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(dry.out().getBytes(StandardCharsets.UTF_8)))) {
            for (LDIFChangeRecord record = reader.readChangeRecord(); record != null; record = reader.readChangeRecord()) {
                records.add(record);
            }
        }
        List<String> added = records.stream().filter(r -> r.getChangeType() == ChangeType.ADD).map(LDIFChangeRecord::getDN).toList();
        assertTrue(added.indexOf("CN=AIA," + services()) < added.indexOf("CN=" + CA_NAME + ",CN=AIA," + services()),
                "the missing container first: " + added);
        assertFalse(added.contains("CN=Certificate Templates," + services()), "existing containers are not written");
        Entry service = ((LDIFAddChangeRecord) records.stream()
                .filter(r -> r.getDN().equals("CN=" + CA_NAME + ",CN=Enrollment Services," + services())).findFirst().orElseThrow())
                .getEntryToAdd();
        assertEquals(HOST, service.getAttributeValue("dNSHostName"));
        assertArrayEquals(prepared.caCertificate().getEncoded(), service.getAttributeValueBytes("cACertificate"));
        assertTrue(records.stream().anyMatch(r -> r.getChangeType() == ChangeType.MODIFY
                && r.getDN().startsWith("CN=PubUser,") && !r.getControls().isEmpty()), "the DACL with the SD_FLAGS control");

        // applying the printed LDIF is what publish-ad does: afterwards it has nothing to do
        for (LDIFChangeRecord record : records) {
            record.processChange(ad.server(), true);
        }
        assertTrue(run(args()).out().contains("0 added, 0 changed, 11 unchanged"));
    }

    @Test
    void passwords_areReferencesNeverPrinted_andBadInputIsRefused() throws Exception {
        String secret = new String(ad.bindPassword());
        Run literal = run("--config", prepared.configFile().toString(), "--ad-server", "forest",
                "--bind-dn", ad.bindDn(), "--bind-password", secret);
        assertEquals(2, literal.exit());
        assertFalse((literal.out() + literal.err()).contains(secret), "the literal is not echoed");

        Path wrong = Files.writeString(dir.resolve("wrong.pw"), "not-the-password");
        Run refused = run("--config", prepared.configFile().toString(), "--ad-server", "forest",
                "--bind-dn", ad.bindDn(), "--bind-password", "file:" + wrong);
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("13 AD_UNAVAILABLE"), refused.err());
        assertFalse((refused.out() + refused.err()).contains("not-the-password"));
        assertNull(ad.server().getEntry("CN=" + CA_NAME + ",CN=Enrollment Services," + services()));

        assertEquals(2, run("--config", prepared.configFile().toString(), "--ad-server", "forest", "--bind-dn", " ",
                "--bind-password", "file:" + adminPassword).exit(), "an empty bind DN is an anonymous bind");
        assertEquals(2, run("--config", prepared.configFile().toString(), "--ad-server", "forest", "--bind-dn", ad.bindDn()).exit());
        assertEquals(2, run("--ad-server", "forest").exit());
        Run unknown = run(args()[0], args()[1], "--ad-server", "nope");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("no AD server nope"), unknown.err());

        Files.delete(dir.resolve("server").resolve("ca.p12"));
        Run noCa = run(args());
        assertEquals(1, noCa.exit());
        assertTrue(noCa.err().contains("start the server once"), noCa.err());
        assertFalse(Files.exists(dir.resolve("server").resolve("ca.p12")), "publish-ad never creates a CA");
    }
}
