package org.autoenroll.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.EnrollmentPolicy.Decision;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.KeyRules;
import org.autoenroll.api.RequestedKey;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplatePolicyTest {
    static final String DOMAIN = "S-1-5-21-1-2-3";
    static final String DOMAIN_USERS = DOMAIN + "-513";
    static final String STAFF = DOMAIN + "-1105";
    static final String BOB = DOMAIN + "-1107";

    static final CertificateTemplate USER = CertificateTemplate.builder("User").id(new TemplateId("1.3.6.1.4.1.99999.1", 2, 0))
            .allow(DOMAIN_USERS, AccessRule.Right.ENROLL).allow(DOMAIN_USERS, AccessRule.Right.AUTOENROLL).build();
    static final CertificateTemplate DENY_BOB = CertificateTemplate.builder("StaffOnly").id(new TemplateId("1.3.6.1.4.1.99999.2", 1, 0))
            .allow(STAFF, AccessRule.Right.ENROLL).deny(BOB, AccessRule.Right.ENROLL).build();
    static final CertificateTemplate APPROVED = CertificateTemplate.builder("ManagerApproved")
            .id(new TemplateId("1.3.6.1.4.1.99999.3", 1, 0)).allow(DOMAIN_USERS, AccessRule.Right.ENROLL).requiresApproval(true).build();
    static final CertificateTemplate MACHINE = CertificateTemplate.builder("Machine").id(new TemplateId("1.3.6.1.4.1.99999.4", 1, 0))
            .subjectType(SubjectType.COMPUTER).allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL).build();
    static final CertificateTemplate RENEW_ONLY = CertificateTemplate.builder("RenewOnly").id(new TemplateId("1.3.6.1.4.1.99999.5", 1, 0))
            .allow(DOMAIN_USERS, AccessRule.Right.ENROLL).renewalOnly(true).build();
    static final CertificateTemplate BIG_KEYS = CertificateTemplate.builder("BigKeys").id(new TemplateId("1.3.6.1.4.1.99999.6", 1, 0))
            .allow(DOMAIN_USERS, AccessRule.Right.ENROLL).keyRules(new KeyRules(Set.of("RSA"), 3072, 4096, Set.of())).build();
    static final CertificateTemplate NOT_OFFERED = CertificateTemplate.builder("NoCa").id(new TemplateId("1.3.6.1.4.1.99999.7", 1, 0))
            .allow(DOMAIN_USERS, AccessRule.Right.ENROLL).build();

    static final TemplatePolicy POLICY = new TemplatePolicy(
            new TemplateCatalog(() -> List.of(USER, DENY_BOB, APPROVED, MACHINE, RENEW_ONLY, BIG_KEYS, NOT_OFFERED),
                    name -> !name.equals("NoCa")),
            customer -> customer.equals("with-default") ? Optional.of("User") : Optional.empty());

    static final RequestedKey EC = new RequestedKey("EC", 256, "P-256");
    static final RequestedKey RSA2048 = new RequestedKey("RSA", 2048, null);
    static final RequestedKey RSA3072 = new RequestedKey("RSA", 3072, null);

    static AuthenticatedPrincipal pacOf(String name, String sid, String... groups) {
        return AuthenticatedPrincipal.of(name, "EXAMPLE.COM", null).withPac(sid, List.of(groups));
    }

    static final AuthenticatedPrincipal ALICE = pacOf("alice", DOMAIN + "-1106", DOMAIN_USERS, STAFF);
    static final AuthenticatedPrincipal BOB_P = pacOf("bob", BOB, DOMAIN_USERS, STAFF);
    static final AuthenticatedPrincipal WS01 = pacOf("WS01$", DOMAIN + "-2001", DOMAIN + "-515");
    static final DirectoryEntry USER_ENTRY = DirectoryEntry.builder("CN=Alice,CN=Users,DC=example,DC=com", "alice").build();
    static final DirectoryEntry COMPUTER_ENTRY = DirectoryEntry.builder("CN=WS01,CN=Computers,DC=example,DC=com", "WS01$")
            .type(SubjectType.COMPUTER).dnsHostName("ws01.example.com").build();

    static CertificateRecord held(String template) {
        return new CertificateRecord(BigInteger.TEN, "cust", "alice@EXAMPLE.COM", "alice@example.com", "r1", template,
                new byte[] {1}, Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(365)), CertificateState.VALID, null, null, null);
    }

    static Decision decide(AuthenticatedPrincipal caller, DirectoryEntry entry, String customer, String template,
                           RequestedKey key, CertificateRecord renewing, boolean approved) {
        return POLICY.decide(new EnrollmentPolicy.Request(caller, customer, 1, entry, Optional.ofNullable(template), key,
                Optional.ofNullable(renewing), approved));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no template, no default", ALICE, USER_ENTRY, "cust", null, EC, null, ErrorCode.TEMPLATE_UNKNOWN),
                Arguments.of("unknown template", ALICE, USER_ENTRY, "cust", "Nope", EC, null, ErrorCode.TEMPLATE_UNKNOWN),
                Arguments.of("template no CA offers", ALICE, USER_ENTRY, "cust", "NoCa", EC, null, ErrorCode.TEMPLATE_UNKNOWN),
                Arguments.of("deny beats allow", BOB_P, USER_ENTRY, "cust", "StaffOnly", EC, null, ErrorCode.TEMPLATE_DENIED),
                Arguments.of("computer asks a user template", WS01, COMPUTER_ENTRY, "cust", "User", EC, null, ErrorCode.SUBJECT_TYPE_MISMATCH),
                Arguments.of("user asks a computer template", ALICE, USER_ENTRY, "cust", "Machine", EC, null,
                        ErrorCode.SUBJECT_TYPE_MISMATCH),
                Arguments.of("RSA below the template's minimum", ALICE, USER_ENTRY, "cust", "BigKeys", RSA2048, null,
                        ErrorCode.KEY_NOT_ALLOWED),
                Arguments.of("EC on an RSA-only template", ALICE, USER_ENTRY, "cust", "BigKeys", EC, null,
                        ErrorCode.KEY_NOT_ALLOWED),
                Arguments.of("renewal-only without renewal", ALICE, USER_ENTRY, "cust", "RenewOnly", EC, null,
                        ErrorCode.RENEWAL_ONLY),
                Arguments.of("renewal-only renewing another template", ALICE, USER_ENTRY, "cust", "RenewOnly", EC,
                        held("User"), ErrorCode.RENEWAL_ONLY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void decide_refusedCase_refusesWithItsCode(String name, AuthenticatedPrincipal caller, DirectoryEntry entry, String customer,
                                               String template, RequestedKey key, CertificateRecord renewing, ErrorCode code) {
        EnrollmentPolicy.Refuse refuse = assertInstanceOf(EnrollmentPolicy.Refuse.class,
                decide(caller, entry, customer, template, key, renewing, false));
        assertEquals(code, refuse.code(), refuse.detail());
    }

    @Test
    void decide_defaultTemplateOfTheCustomer_issuesWithItsProfile() {
        EnrollmentPolicy.Issue issue = assertInstanceOf(EnrollmentPolicy.Issue.class,
                decide(ALICE, USER_ENTRY, "with-default", null, EC, null, false));
        assertEquals("User", issue.profile().name());
        assertEquals(USER.id(), issue.profile().template().orElseThrow());
    }

    @Test
    void decide_templateByOidOrOtherCase_isFound() {
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(ALICE, USER_ENTRY, "cust", "1.3.6.1.4.1.99999.1", EC, null, false));
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(ALICE, USER_ENTRY, "cust", "uSeR", EC, null, false));
    }

    @Test
    void decide_allowedGroupNotDenied_issues() {
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(ALICE, USER_ENTRY, "cust", "StaffOnly", EC, null, false));
    }

    @Test
    void decide_groupsFromTheDirectoryWithoutPac_grantTheRight() {
        AuthenticatedPrincipal noPac = AuthenticatedPrincipal.of("carol", "EXAMPLE.COM", null);
        DirectoryEntry carol = DirectoryEntry.builder("CN=Carol,CN=Users,DC=example,DC=com", "carol")
                .groupSids(List.of(STAFF)).build();
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(noPac, carol, "cust", "StaffOnly", EC, null, false));
        DirectoryEntry nobody = DirectoryEntry.builder("CN=Dan,CN=Users,DC=example,DC=com", "dan").build();
        assertEquals(ErrorCode.TEMPLATE_DENIED, assertInstanceOf(EnrollmentPolicy.Refuse.class,
                decide(noPac, nobody, "cust", "StaffOnly", EC, null, false)).code());
    }

    @Test
    void decide_groupByDnOrNameForDirectoriesWithoutSids_grantsTheRight() {
        CertificateTemplate byName = CertificateTemplate.builder("ByName").id(new TemplateId("1.2.3.4", 1, 0))
                .allow("PKI Users", AccessRule.Right.ENROLL).build();
        TemplatePolicy policy = new TemplatePolicy(new TemplateCatalog(() -> List.of(byName), n -> true), c -> Optional.empty());
        DirectoryEntry member = DirectoryEntry.builder("uid=eve,ou=people,dc=example,dc=com", "eve")
                .groups(List.of("cn=PKI Users,ou=groups,dc=example,dc=com")).build();
        assertInstanceOf(EnrollmentPolicy.Issue.class, policy.decide(new EnrollmentPolicy.Request(
                AuthenticatedPrincipal.of("eve", "EXAMPLE.COM", null), "cust", 1, member, Optional.of("ByName"), EC,
                Optional.empty(), false)));
    }

    @Test
    void decide_approvalTemplate_pendsUntilApproved() {
        EnrollmentPolicy.Pend pend = assertInstanceOf(EnrollmentPolicy.Pend.class,
                decide(ALICE, USER_ENTRY, "cust", "ManagerApproved", EC, null, false));
        assertEquals("ManagerApproved", pend.profile().name());
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(ALICE, USER_ENTRY, "cust", "ManagerApproved", EC, null, true));
    }

    @Test
    void decide_computerTemplateForComputer_issues() {
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(WS01, COMPUTER_ENTRY, "cust", "Machine", EC, null, false));
    }

    @Test
    void decide_renewalOnlyRenewingItsOwnTemplate_issues() {
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(ALICE, USER_ENTRY, "cust", "RenewOnly", EC, held("RenewOnly"), false));
    }

    @Test
    void decide_largeEnoughRsaKey_issues() {
        assertInstanceOf(EnrollmentPolicy.Issue.class, decide(ALICE, USER_ENTRY, "cust", "BigKeys", RSA3072, null, false));
    }

    @Test
    void decide_hostileTemplateName_isNotEchoedWhole() {
        String hostile = "x".repeat(10_000) + "\n\u0000";
        EnrollmentPolicy.Refuse refuse = assertInstanceOf(EnrollmentPolicy.Refuse.class,
                decide(ALICE, USER_ENTRY, "cust", hostile, EC, null, false));
        assertTrue(refuse.detail().length() < 200, refuse.detail());
    }
}
