package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyRules;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;
import org.autoenroll.ldap.testkit.TemplateEntries;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: every template AD can express, written as AD CS stores it and read back by
 * {@link AdTemplateMapper}, is the same template. Generated cases from a fixed seed.
 */
class AdTemplateRoundTripTest {
    private static final List<String> EKUS = List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4",
            "1.3.6.1.4.1.311.20.2.2", "1.3.6.1.4.1.311.10.3.4");

    static Stream<CertificateTemplate> templates() {
        Random random = new Random(20261202L);
        return IntStream.range(0, 300).mapToObj(i -> generate(random, i));
    }

    private static CertificateTemplate generate(Random random, int i) {
        SubjectType type = random.nextBoolean() ? SubjectType.USER : SubjectType.COMPUTER;
        Set<SubjectName> names = EnumSet.noneOf(SubjectName.class);
        for (SubjectName name : List.of(SubjectName.COMMON_NAME, SubjectName.UPN, SubjectName.SID_EXTENSION,
                type == SubjectType.USER ? SubjectName.EMAIL : SubjectName.DNS)) {
            if (random.nextBoolean()) {
                names.add(name);
            }
        }
        if (names.isEmpty() || names.equals(Set.of(SubjectName.SID_EXTENSION))) {
            names.add(SubjectName.COMMON_NAME); // the model wants a name in the certificate
        }
        List<KeyUsageBit> usage = new ArrayList<>();
        for (KeyUsageBit bit : KeyUsageBit.values()) {
            if (random.nextBoolean()) {
                usage.add(bit);
            }
        }
        List<String> ekus = new ArrayList<>();
        for (String eku : EKUS) {
            if (random.nextInt(3) == 0) {
                ekus.add(eku);
            }
        }
        List<AccessRule> rules = new ArrayList<>();
        for (int r = random.nextInt(6); r > 0; r--) {
            String sid = "S-1-5-21-" + Integer.toUnsignedString(random.nextInt()) + "-7-8-" + (500 + random.nextInt(2000));
            rules.add(new AccessRule(sid, random.nextBoolean() ? AccessRule.Right.ENROLL : AccessRule.Right.AUTOENROLL,
                    random.nextInt(4) != 0));
        }
        List<String> supersedes = new ArrayList<>();
        for (int s = random.nextInt(3); s > 0; s--) {
            supersedes.add("Old " + s + " of " + i);
        }
        long validityHours = 24 + random.nextInt(5 * 365 * 24);
        return CertificateTemplate.builder("T" + i)
                .id(new TemplateId("1.3.6.1.4.1.311.21.8." + random.nextInt(1_000_000) + "." + i,
                        random.nextInt(1000), random.nextInt(100)))
                .subjectType(type)
                .validity(Duration.ofHours(validityHours))
                .renewalWindow(Duration.ofHours(1 + random.nextInt((int) validityHours - 1)))
                .keyRules(KeyRules.standard().withMinimalRsaBits(2048 + 1024 * random.nextInt(7)))
                .keyUsage(usage.toArray(new KeyUsageBit[0]))
                .extendedKeyUsages(ekus)
                .subjectNames(names)
                .accessRules(rules)
                .supersedes(supersedes)
                .requiresApproval(random.nextBoolean())
                .publishToDirectory(random.nextBoolean())
                .checkDirectoryCertificates(random.nextBoolean())
                .autoenrollEnabled(random.nextBoolean())
                .build();
    }

    @ParameterizedTest
    @MethodSource("templates")
    void writtenAsAdStoresIt_readBackTheSame(CertificateTemplate template) throws Exception {
        CertificateTemplate read = AdTemplateMapper.map(new SearchResultEntry("CN=" + template.name() + ",CN=Templates",
                TemplateEntries.attributes(template)));
        assertEquals(template.name(), read.name());
        assertEquals(template.id(), read.id());
        assertEquals(template.subjectType(), read.subjectType());
        assertEquals(template.validity(), read.validity());
        assertEquals(template.renewalWindow(), read.renewalWindow());
        assertEquals(template.keyRules(), read.keyRules());
        assertEquals(template.keyUsage(), read.keyUsage());
        assertEquals(template.extendedKeyUsages(), read.extendedKeyUsages());
        assertEquals(template.subjectNames(), read.subjectNames());
        assertEquals(Set.copyOf(template.accessRules()), Set.copyOf(read.accessRules()));
        assertEquals(template.supersedes(), read.supersedes());
        assertEquals(template.requiresApproval(), read.requiresApproval());
        assertEquals(template.publishToDirectory(), read.publishToDirectory());
        assertEquals(template.checkDirectoryCertificates(), read.checkDirectoryCertificates());
        assertEquals(template.autoenrollEnabled(), read.autoenrollEnabled());
    }
}
