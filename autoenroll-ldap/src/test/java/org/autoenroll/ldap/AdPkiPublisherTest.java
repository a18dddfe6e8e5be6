package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AccessRule.Right;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.TemplateId;
import org.autoenroll.ldap.AdPkiPublisher.Outcome;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.SecurityDescriptorBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AdPkiPublisher} on the in-memory AD: names with DN special characters land in the right
 * objects (escaped by the RDN builders), a plan writes nothing, and a template whose DACL was
 * changed by hand is put back while one that the directory merely extended is left alone.
 */
class AdPkiPublisherTest {
    private static final String CA = "Corp, Issuing+CA #1 \"EU\"";
    private static final String TEMPLATE = "Web,Server+v2=\\x";

    private InMemoryActiveDirectory ad;
    private LdapDirectoryLookup lookup;
    private AdServer server;
    private AdPkiPublisher publisher;
    private AdPkiPublication publication;
    private byte[] caCertificate;

    @BeforeEach
    void start() throws Exception {
        ad = InMemoryActiveDirectory.start();
        server = ad.adServer("ad");
        lookup = new LdapDirectoryLookup(LdapSettings.defaults().withResponseTimeout(Duration.ofSeconds(10)), null,
                ref -> Optional.of(server));
        publisher = new AdPkiPublisher(lookup);
        caCertificate = TestCertificates.ca("CN=Corp Issuing CA,O=Example").caCertificate.getEncoded();
        CertificateTemplate template = CertificateTemplate.builder(TEMPLATE).id(new TemplateId("1.3.6.1.4.1.311.21.8.5.1", 3, 0))
                .accessRules(List.of(AccessRule.allow("S-1-5-11", Right.ENROLL))).build();
        publication = new AdPkiPublication(CA, "ca.example.com", caCertificate, List.of(template),
                List.of(new AdPkiPublication.EnrollmentServer(1, 2, false, "https://ca.example.com/X_CES_Kerberos/service.svc/CES")));
    }

    @AfterEach
    void stop() {
        lookup.close();
        ad.close();
    }

    private String services() {
        return "CN=Public Key Services,CN=Services," + ad.configurationDn();
    }

    private String dn(String cn, String container) throws Exception {
        return new DN(new RDN("CN", cn), new DN(new RDN("CN", container), new DN(services()))).toString();
    }

    @Test
    void specialCharacters_areEscaped_andThePlanWritesNothing() throws Exception {
        AdPkiPublisher.Plan plan = publisher.plan(server, publication);
        assertNull(ad.server().getEntry(dn(CA, "Enrollment Services")), "a plan only reads");
        assertEquals(ad.configurationDn(), plan.configurationDn());

        publisher.publish(server, publication);
        Entry service = ad.server().getEntry(dn(CA, "Enrollment Services"));
        assertNotNull(service);
        assertEquals(CA, service.getAttributeValue("cn"));
        assertEquals("CN=Corp Issuing CA,O=Example", service.getAttributeValue("cACertificateDN"));
        assertEquals(List.of(TEMPLATE), List.of(service.getAttributeValues("certificateTemplates")));
        assertEquals("1\n2\n0\nhttps://ca.example.com/X_CES_Kerberos/service.svc/CES",
                service.getAttributeValue("msPKI-Enrollment-Servers"));
        assertArrayEquals(caCertificate, ad.server().getEntry(dn(CA, "AIA")).getAttributeValueBytes("cACertificate"));
        assertNotNull(ad.server().getEntry(dn(TEMPLATE, "Certificate Templates")));
        assertTrue(publisher.publish(server, publication).unchanged());
    }

    @Test
    void descriptor_changedByHand_isPutBack_extendedByTheDirectory_isLeftAlone() throws Exception {
        publisher.publish(server, publication);
        String template = dn(TEMPLATE, "Certificate Templates");
        byte[] ours = ad.server().getEntry(template, "nTSecurityDescriptor").getAttributeValueBytes("nTSecurityDescriptor");

        // what AD adds itself: an owner and an ACE inherited from the container
        byte[] extended = SecurityDescriptorBuilder.create().owner("S-1-5-21-1-2-3-512")
                .plain(true, SecurityDescriptorBuilder.READ_MASK, "S-1-5-11").allow("S-1-5-11", Right.ENROLL)
                .objectAce(0x05, 0x10, 0x100, null, "S-1-5-21-1-2-3-519").build();
        ad.server().modify(template, new Modification(ModificationType.REPLACE, "nTSecurityDescriptor", extended));
        assertTrue(publisher.publish(server, publication).unchanged(), "inherited ACEs are the directory's");

        byte[] tampered = SecurityDescriptorBuilder.create().allow("S-1-5-21-1-2-3-1105", Right.AUTOENROLL).build();
        ad.server().modify(template, new Modification(ModificationType.REPLACE, "nTSecurityDescriptor", tampered));
        AdPkiPublisher.Plan repaired = publisher.publish(server, publication);
        assertEquals(Set.of(template), Set.copyOf(repaired.changes().stream()
                .filter(c -> c.outcome() == Outcome.CHANGED).map(AdPkiPublisher.Change::dn).toList()));
        assertTrue(repaired.changes().stream().filter(c -> c.dn().equals(template)).findFirst().orElseThrow()
                .records().get(0).getControls().stream().anyMatch(c -> c.getOID().equals(AdTemplateSource.SD_FLAGS_OID)));
        assertArrayEquals(ours, ad.server().getEntry(template, "nTSecurityDescriptor").getAttributeValueBytes("nTSecurityDescriptor"));
    }

    @Test
    void enrollmentServer_valueAndBounds() {
        assertEquals("3\n8\n1\nhttps://h/C_CES_Certificate/service.svc/CES",
                new AdPkiPublication.EnrollmentServer(3, 8, true, "https://h/C_CES_Certificate/service.svc/CES").value());
        assertThrows(IllegalArgumentException.class, () -> new AdPkiPublication.EnrollmentServer(1, 1, false, "https://h/"),
                "anonymous (1) is never published");
        assertThrows(IllegalArgumentException.class,
                () -> new AdPkiPublication.EnrollmentServer(1, 2, false, "https://h/\n0\n0\nhttps://evil/"));
        assertThrows(IllegalArgumentException.class, () -> new AdPkiPublication(" ", "h", caCertificate, List.of(), List.of()));
    }
}
