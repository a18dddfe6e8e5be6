package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AccessRule.Right;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyRules;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;
import org.autoenroll.ldap.testkit.SecurityDescriptorBuilder;
import org.autoenroll.ldap.testkit.TemplateEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdTemplateMapperTest {
    private static final String STAFF = "S-1-5-21-1-2-3-1105";
    private static final String BOB = "S-1-5-21-1-2-3-1107";

    static CertificateTemplate user() {
        return CertificateTemplate.builder("User")
                .id(new TemplateId("1.3.6.1.4.1.311.21.8.1.2.3.1", 100, 4))
                .validity(Duration.ofDays(365)).renewalWindow(Duration.ofDays(42))
                .keyRules(KeyRules.standard().withMinimalRsaBits(3072))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_ENCIPHERMENT)
                .extendedKeyUsages(List.of(CertificateProfile.CLIENT_AUTH, "1.3.6.1.5.5.7.3.4"))
                .subjectNames(EnumSet.of(SubjectName.COMMON_NAME, SubjectName.EMAIL, SubjectName.UPN, SubjectName.SID_EXTENSION))
                .allow(STAFF, Right.ENROLL).allow(STAFF, Right.AUTOENROLL).deny(BOB, Right.ENROLL)
                .supersedes(List.of("OldUser", "Older User"))
                .publishToDirectory(true).checkDirectoryCertificates(true).autoenrollEnabled(true)
                .build();
    }

    static CertificateTemplate machine() {
        return CertificateTemplate.builder("Machine")
                .id(new TemplateId("1.3.6.1.4.1.311.21.8.1.2.3.2", 5, 0))
                .subjectType(SubjectType.COMPUTER)
                .validity(Duration.ofDays(730)).renewalWindow(Duration.ofDays(60))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE)
                .extendedKeyUsages(List.of(CertificateProfile.CLIENT_AUTH, "1.3.6.1.5.5.7.3.1"))
                .subjectNames(EnumSet.of(SubjectName.COMMON_NAME, SubjectName.DNS))
                .requiresApproval(true).autoenrollEnabled(false)
                .allow("S-1-5-21-1-2-3-515", Right.AUTOENROLL)
                .build();
    }

    private static SearchResultEntry entry(List<Attribute> attributes) {
        return new SearchResultEntry("CN=T,CN=Certificate Templates,CN=Public Key Services,CN=Services,CN=Configuration,DC=x",
                attributes);
    }

    private static void assertSameTemplate(CertificateTemplate expected, CertificateTemplate actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.subjectType(), actual.subjectType());
        assertEquals(expected.validity(), actual.validity());
        assertEquals(expected.renewalWindow(), actual.renewalWindow());
        assertEquals(expected.keyRules(), actual.keyRules());
        assertEquals(expected.keyUsage(), actual.keyUsage());
        assertEquals(expected.extendedKeyUsages(), actual.extendedKeyUsages());
        assertEquals(expected.subjectNames(), actual.subjectNames());
        assertEquals(Set.copyOf(expected.accessRules()), Set.copyOf(actual.accessRules()));
        assertEquals(expected.supersedes(), actual.supersedes());
        assertEquals(expected.requiresApproval(), actual.requiresApproval());
        assertEquals(expected.publishToDirectory(), actual.publishToDirectory());
        assertEquals(expected.checkDirectoryCertificates(), actual.checkDirectoryCertificates());
        assertEquals(expected.autoenrollEnabled(), actual.autoenrollEnabled());
        assertEquals(expected.renewalOnly(), actual.renewalOnly());
    }

    @Test
    void map_userTemplateAsAdStoresIt_readsEveryValue() throws Exception {
        assertSameTemplate(user(), AdTemplateMapper.map(entry(TemplateEntries.attributes(user()))));
    }

    @Test
    void map_machineTemplate_isComputerPendingWithDnsNames() throws Exception {
        CertificateTemplate read = AdTemplateMapper.map(entry(TemplateEntries.attributes(machine())));
        assertSameTemplate(machine(), read);
        assertEquals(SubjectType.COMPUTER, read.subjectType());
        assertFalse(read.subjectNames().contains(SubjectName.SID_EXTENSION), "CT_FLAG_NO_SECURITY_EXTENSION");
    }

    @Test
    void map_rights_denyBeatsAllowThroughGrants() throws Exception {
        CertificateTemplate read = AdTemplateMapper.map(entry(TemplateEntries.attributes(user())));
        Set<String> alice = Set.of(STAFF.toLowerCase());
        Set<String> bob = Set.of(STAFF.toLowerCase(), BOB.toLowerCase());
        assertTrue(read.grants(Right.ENROLL, alice));
        assertTrue(read.grants(Right.AUTOENROLL, alice));
        assertFalse(read.grants(Right.ENROLL, bob));
        assertFalse(read.grants(Right.AUTOENROLL, bob), "a deny of enroll also denies autoenroll");
        assertFalse(read.grants(Right.ENROLL, Set.of("s-1-5-11")));
    }

    @Test
    void map_raSignatureAndFlagsAsSignedNumbers_areRead() throws Exception {
        List<Attribute> attributes = replace(TemplateEntries.attributes(user()), "msPKI-RA-Signature", "1");
        // 0xA6000000: directory path, e-mail, SAN e-mail, SAN UPN, written as AD prints it (signed)
        attributes = replace(attributes, "msPKI-Certificate-Name-Flag", "-1509949440");
        CertificateTemplate read = AdTemplateMapper.map(entry(attributes));
        assertTrue(read.requiresApproval());
        assertEquals(EnumSet.of(SubjectName.COMMON_NAME, SubjectName.EMAIL, SubjectName.UPN, SubjectName.SID_EXTENSION),
                read.subjectNames());
    }

    @Test
    void map_noApplicationPolicy_usesPkiExtendedKeyUsage() throws Exception {
        List<Attribute> attributes = remove(TemplateEntries.attributes(user()), "msPKI-Certificate-Application-Policy");
        attributes = replace(attributes, "pKIExtendedKeyUsage", "1.3.6.1.5.5.7.3.4");
        assertEquals(List.of("1.3.6.1.5.5.7.3.4"), AdTemplateMapper.map(entry(attributes)).extendedKeyUsages());
    }

    @Test
    void map_schemaVersion1WithoutMsPkiFlags_isReadWithDefaults() throws Exception {
        List<Attribute> attributes = TemplateEntries.attributes(user());
        for (String name : List.of("msPKI-Enrollment-Flag", "msPKI-RA-Signature", "msPKI-Private-Key-Flag",
                "msPKI-Template-Minor-Revision", "msPKI-Minimal-Key-Size", "msPKI-Supersede-Templates")) {
            attributes = remove(attributes, name);
        }
        attributes = replace(attributes, "msPKI-Template-Schema-Version", "1");
        CertificateTemplate read = AdTemplateMapper.map(entry(attributes));
        assertFalse(read.autoenrollEnabled());
        assertFalse(read.requiresApproval());
        assertEquals(0, read.id().minorRevision());
        assertEquals(2048, read.keyRules().minimalRsaBits());
        assertTrue(read.subjectNames().contains(SubjectName.SID_EXTENSION));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "cn, ''",
        "msPKI-Cert-Template-OID, not.an.oid",
        "msPKI-Cert-Template-OID, ''",
        "revision, -1",
        "revision, x",
        "msPKI-Template-Schema-Version, 9",
        "flags, 128",           // CT_FLAG_IS_CA
        "flags, 2048",          // CT_FLAG_IS_CROSS_CA
        "flags, 99999999999999",
        "msPKI-Private-Key-Flag, 1", // key archival
        "msPKI-Certificate-Name-Flag, 1", // enrollee supplies subject
        "msPKI-Certificate-Name-Flag, 65536", // enrollee supplies SAN
        "msPKI-Certificate-Name-Flag, 134217728", // a DNS name required of a user template
        "msPKI-Minimal-Key-Size, 16384",
        "msPKI-RA-Signature, -1",
        "pKIExtendedKeyUsage, 'client auth'",
        "msPKI-Certificate-Application-Policy, 1.2.x",
        "msPKI-Supersede-Templates, ' '",
    })
    void map_badValue_isUnreadableNamingTheAttribute(String attribute, String value) {
        List<Attribute> attributes = replace(TemplateEntries.attributes(user()), attribute, value);
        AdTemplateMapper.Unreadable e = assertThrows(AdTemplateMapper.Unreadable.class,
                () -> AdTemplateMapper.map(entry(attributes)));
        assertEquals(attribute, e.attribute(), e.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "pKIExpirationPeriod, 0000000000000000",
        "pKIExpirationPeriod, 00",
        "pKIExpirationPeriod, 0100000000000000",   // positive
        "pKIOverlapPeriod, 0080720e5dc2fdff",      // 730 days: longer than the validity
        "pKIOverlapPeriod, 00f0ffffffffffff",      // 409.6 us: shorter than an hour
        "pKIKeyUsage, 06",                         // keyCertSign, cRLSign
        "pKIKeyUsage, 8080",                       // decipherOnly
        "pKIKeyUsage, 800000",
        "nTSecurityDescriptor, 01",
    })
    void map_badBinaryValue_isUnreadableNamingTheAttribute(String attribute, String hex) {
        List<Attribute> attributes = replace(TemplateEntries.attributes(user()), attribute,
                java.util.HexFormat.of().parseHex(hex));
        AdTemplateMapper.Unreadable e = assertThrows(AdTemplateMapper.Unreadable.class,
                () -> AdTemplateMapper.map(entry(attributes)));
        assertEquals(attribute, e.attribute(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"cn", "msPKI-Cert-Template-OID", "pKIExpirationPeriod", "pKIOverlapPeriod", "nTSecurityDescriptor"})
    void map_requiredAttributeAbsent_isUnreadableNamingIt(String attribute) {
        AdTemplateMapper.Unreadable e = assertThrows(AdTemplateMapper.Unreadable.class,
                () -> AdTemplateMapper.map(entry(remove(TemplateEntries.attributes(user()), attribute))));
        assertEquals(attribute, e.attribute());
    }

    @Test
    void map_tooManyValues_isUnreadable() {
        String[] many = new String[AdTemplateMapper.MAX_VALUES + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = "T" + i;
        }
        List<Attribute> attributes = remove(TemplateEntries.attributes(user()), "msPKI-Supersede-Templates");
        attributes.add(new Attribute("msPKI-Supersede-Templates", many));
        assertThrows(AdTemplateMapper.Unreadable.class, () -> AdTemplateMapper.map(entry(attributes)));
    }

    @Test
    void map_descriptorWithPlainFullControl_grantsBoth() throws Exception {
        byte[] sd = SecurityDescriptorBuilder.create().plain(true, SecurityDescriptorBuilder.FULL_CONTROL_MASK, STAFF).build();
        List<Attribute> attributes = replace(TemplateEntries.attributes(user()), "nTSecurityDescriptor", sd);
        assertEquals(Set.of(AccessRule.allow(STAFF, Right.ENROLL), AccessRule.allow(STAFF, Right.AUTOENROLL)),
                Set.copyOf(AdTemplateMapper.map(entry(attributes)).accessRules()));
    }

    static List<Attribute> remove(List<Attribute> attributes, String name) {
        List<Attribute> result = new ArrayList<>();
        for (Attribute a : attributes) {
            if (!a.getBaseName().equalsIgnoreCase(name)) {
                result.add(a);
            }
        }
        return result;
    }

    static List<Attribute> replace(List<Attribute> attributes, String name, String value) {
        List<Attribute> result = remove(attributes, name);
        result.add(new Attribute(name, value));
        return result;
    }

    static List<Attribute> replace(List<Attribute> attributes, String name, byte[] value) {
        List<Attribute> result = remove(attributes, name);
        result.add(new Attribute(name, value));
        return result;
    }

    @Test
    void nameOf_controlCharactersAndLength_areCleaned() {
        SearchResultEntry entry = entry(List.of(new Attribute("cn", "Evil\nWARN forged line" + "x".repeat(400))));
        String name = AdTemplateMapper.nameOf(entry);
        assertFalse(name.contains("\n"));
        assertTrue(name.length() <= AdTemplateMapper.MAX_STRING_CHARS + 3);
    }

    @Test
    void map_noNameAtAll_isUnreadableNamingTheNameFlag() {
        List<Attribute> attributes = replace(TemplateEntries.attributes(user()), "msPKI-Certificate-Name-Flag", "0");
        List<Attribute> noSid = replace(attributes, "msPKI-Enrollment-Flag", Integer.toString(0x80000));
        AdTemplateMapper.Unreadable e = assertThrows(AdTemplateMapper.Unreadable.class, () -> AdTemplateMapper.map(entry(noSid)));
        assertEquals("msPKI-Certificate-Name-Flag", e.attribute());
    }
}
