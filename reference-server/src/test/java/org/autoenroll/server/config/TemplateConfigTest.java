package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateConfigTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One entry as an operator writes it in the templates section. */
    static ServerConfig.TemplateEntry yaml(String flow) {
        try {
            return YAML.readValue(flow, ServerConfig.TemplateEntry.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void templates_fullEntry_becomesTheModel() {
        ServerConfig.TemplateEntry full = yaml("""
                {name: Machine, oid: 1.3.6.1.4.1.311.21.8.1.4, majorRevision: 3, minorRevision: 1, subject: computer,
                 validityDays: 90, renewalWindowDays: 14, keyAlgorithms: [ec], curves: [p-256],
                 keyUsage: [digitalSignature, keyAgreement], extendedKeyUsages: [serverAuth, clientAuth, 1.2.3.4],
                 subjectNames: [commonName, dns, sidUrl], enroll: [S-1-5-11], autoenroll: [Domain Computers],
                 denyEnroll: ["CN=Kiosks,OU=Groups,DC=example,DC=com"], supersedes: [OldMachine], managerApproval: true,
                 renewalOnly: true, checkDirectoryCertificates: true}""");
        List<String> problems = new ArrayList<>();
        List<CertificateTemplate> templates = TemplateConfig.templates(List.of(full,
                yaml("{name: OldMachine, oid: 1.3.6.1.4.1.311.21.8.1.5, subject: computer}")), problems);
        assertEquals(List.of(), problems);
        CertificateTemplate machine = templates.get(0);
        assertEquals(SubjectType.COMPUTER, machine.subjectType());
        assertEquals(3, machine.id().majorRevision());
        assertEquals(Set.of("EC"), machine.keyRules().algorithms());
        assertEquals(EnumSet.of(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_AGREEMENT), machine.keyUsage());
        assertEquals(List.of(CertificateProfile.SERVER_AUTH, CertificateProfile.CLIENT_AUTH, "1.2.3.4"), machine.extendedKeyUsages());
        assertEquals(EnumSet.of(SubjectName.COMMON_NAME, SubjectName.DNS, SubjectName.SID_URL), machine.subjectNames());
        assertTrue(machine.requiresApproval() && machine.renewalOnly() && machine.checkDirectoryCertificates());
        assertTrue(machine.grants(AccessRule.Right.AUTOENROLL, Set.of("domain computers")));
        assertTrue(!machine.grants(AccessRule.Right.ENROLL, Set.of("s-1-5-11", "cn=kiosks,ou=groups,dc=example,dc=com")),
                "deny beats allow");
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("{oid: 1.2.3}", "templates[0].name: required"),
                Arguments.of("{name: A}", "templates[0].oid: required"),
                Arguments.of("{name: A, oid: not-an-oid}", "templates[0].oid:"),
                Arguments.of("{name: A, oid: 1.2.3, subject: robot}", "templates[0].subject: must be user or computer"),
                Arguments.of("{name: A, oid: 1.2.3, validityDays: 30, renewalWindowDays: 31}", "templates[0].renewalWindowDays:"),
                Arguments.of("{name: A, oid: 1.2.3, validityDays: 0}", "templates[0].validityDays:"),
                Arguments.of("{name: A, oid: 1.2.3, extendedKeyUsages: [codeSigning!]}", "templates[0].extendedKeyUsages:"),
                Arguments.of("{name: A, oid: 1.2.3, subjectNames: [nickname]}", "templates[0].subjectNames:"),
                Arguments.of("{name: A, oid: 1.2.3, subject: computer, subjectNames: [email]}", "templates[0]:"),
                Arguments.of("{name: A, oid: 1.2.3, minimalRsaBits: 1024}", "templates[0].keyAlgorithms/minimalRsaBits"),
                Arguments.of("{name: A, oid: 1.2.3, supersedes: [Ghost]}", "templates[0].supersedes: no template is called Ghost"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("problems")
    void templates_badEntry_problemNamesItsKey(String bad, String expected) {
        List<String> problems = new ArrayList<>();
        TemplateConfig.templates(List.of(yaml(bad)), problems);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), problems.toString());
    }

    @Test
    void templates_duplicateNameOrOid_refused() {
        List<String> problems = new ArrayList<>();
        TemplateConfig.templates(List.of(yaml("{name: User, oid: 1.2.3}"), yaml("{name: user, oid: 1.2.4}"),
                yaml("{name: Other, oid: 1.2.3}")), problems);
        assertTrue(problems.contains("templates[1].name: another template is called user"), problems.toString());
        assertTrue(problems.contains("templates[2].oid: another template has OID 1.2.3"), problems.toString());
    }
}
