package org.autoenroll.wstep;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;

/** Templates for the tests: a user template, a machine template, one that pends, one nobody may use. */
final class TestTemplates {
    static final String USERS_SID = "S-1-5-21-1-2-3-513";

    static final CertificateTemplate USER = CertificateTemplate.builder("CorpUser")
            .id(new TemplateId("1.3.6.1.4.1.311.21.8.7.1", 100, 4))
            .validity(Duration.ofDays(365)).renewalWindow(Duration.ofDays(42))
            .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_ENCIPHERMENT)
            .supersedes(List.of("OldUser"))
            .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL)
            .allow(USERS_SID, AccessRule.Right.AUTOENROLL)
            .build();
    static final CertificateTemplate MACHINE = CertificateTemplate.builder("CorpMachine")
            .id(new TemplateId("1.3.6.1.4.1.311.21.8.7.2", 5, 0))
            .subjectType(SubjectType.COMPUTER)
            .keyRules(new org.autoenroll.api.KeyRules(Set.of("RSA"), 3072, 8192, Set.of()))
            .publishToDirectory(true)
            .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL)
            .build();
    static final CertificateTemplate APPROVAL = CertificateTemplate.builder("NeedsApproval")
            .id(new TemplateId("1.3.6.1.4.1.311.21.8.7.3", 1, 0))
            .requiresApproval(true)
            .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL)
            .build();
    static final CertificateTemplate FORBIDDEN = CertificateTemplate.builder("Forbidden")
            .id(new TemplateId("1.3.6.1.4.1.311.21.8.7.4", 1, 0))
            .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL)
            .deny(USERS_SID, AccessRule.Right.ENROLL)
            .build();

    static final List<CertificateTemplate> ALL = List.of(USER, MACHINE, APPROVAL, FORBIDDEN);

    private TestTemplates() {
    }
}
