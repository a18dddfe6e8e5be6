package org.autoenroll.core.pipeline;

import static org.autoenroll.core.pipeline.PipelineTest.CUST;
import static org.autoenroll.core.pipeline.PipelineTest.TENANTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.csr.Csrs;
import org.autoenroll.core.policy.TemplateCatalog;
import org.autoenroll.core.policy.TemplatePolicy;
import org.junit.jupiter.api.Test;

/** A domain-joined machine (WS01$) enrolls without an e-mail and gets its DNS name; users and computers never swap templates. */
class ComputerEnrollmentTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    final InMemoryStores stores = new InMemoryStores();
    final List<SigningRequest> signed = new ArrayList<>();
    static final CertificateTemplate MACHINE = CertificateTemplate.builder("Machine").id(new TemplateId("1.3.6.1.4.1.311.21.8.9.1", 1, 0))
            .subjectType(SubjectType.COMPUTER).extendedKeyUsages(List.of(CertificateProfile.SERVER_AUTH, CertificateProfile.CLIENT_AUTH))
            .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL).build();
    static final CertificateTemplate USER = CertificateTemplate.builder("User").id(new TemplateId("1.3.6.1.4.1.311.21.8.9.2", 1, 0))
            .allow(AccessRule.AUTHENTICATED_USERS, AccessRule.Right.ENROLL).build();
    static final DirectoryEntry WS01 = DirectoryEntry.builder("CN=WS01,CN=Computers,DC=example,DC=com", "WS01$")
            .type(SubjectType.COMPUTER).dnsHostName("ws01.example.com").objectSid("S-1-5-21-1-2-3-2001").build();
    static final DirectoryEntry ALICE = PipelineTest.entry("alice", "alice@example.com", "Alice Example", false);

    EnrollmentService service() throws Exception {
        TestSigner signer = new TestSigner(clock);
        return EnrollmentService.builder().tenants(TENANTS)
                .directory((dir, principal) -> switch (principal.name()) {
                    case "WS01$" -> WS01;
                    case "alice" -> ALICE;
                    default -> throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "none");
                })
                .policy(new TemplatePolicy(new TemplateCatalog(() -> List.of(MACHINE, USER), n -> true), c -> Optional.empty()))
                .signer(new org.autoenroll.api.CertificateSigner() {
                    @Override
                    public org.autoenroll.api.IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
                        signed.add(request);
                        return signer.sign(request);
                    }

                    @Override
                    public List<byte[]> caChain() {
                        return signer.caChain();
                    }
                }).certificates(stores).persons(stores).clock(clock).build();
    }

    static final AuthenticatedPrincipal MACHINE_PRINCIPAL = AuthenticatedPrincipal.of("WS01$", "EXAMPLE.COM", null);

    @Test
    void enroll_machineWithoutEmail_getsItsDnsNameAndSid() throws Exception {
        String csr = Csrs.ec("P-256").subject("CN=ws01.example.com").dns("ws01.example.com").pem();
        EnrollmentResult result = service().enroll(MACHINE_PRINCIPAL, new EnrollmentRequest(CUST, null, null, null, csr, null, "Machine"));
        assertEquals(EnrollmentResult.Status.ISSUED, result.status());
        SigningRequest request = signed.get(0);
        assertEquals("ws01.example.com", request.commonName());
        assertEquals(List.of("ws01.example.com"), request.dnsNames());
        assertEquals(Optional.empty(), request.email());
        assertEquals(Optional.of("S-1-5-21-1-2-3-2001"), request.sid(), "without a PAC the directory's objectSid");
        assertEquals("Machine", request.templateName());
        assertTrue(request.pkcs10().length > 0);
        assertTrue(stores.persons.isEmpty(), "a computer is no person");
    }

    @Test
    void enroll_machineAsksForAUserTemplate_refusedWith54() {
        String csr = Csrs.ec("P-256").subject("CN=ws01.example.com").pem();
        assertEquals(ErrorCode.SUBJECT_TYPE_MISMATCH, assertThrows(EnrollmentException.class, () -> service()
                .enroll(MACHINE_PRINCIPAL, new EnrollmentRequest(CUST, null, null, null, csr, null, "User"))).code());
    }

    @Test
    void enroll_userAsksForAMachineTemplate_refusedWith54() {
        String csr = Csrs.ec("P-256").subject("CN=Alice Example").pem();
        assertEquals(ErrorCode.SUBJECT_TYPE_MISMATCH, assertThrows(EnrollmentException.class, () -> service()
                .enroll(PipelineTest.caller("alice"), new EnrollmentRequest(CUST, "1", "alice@example.com", null, csr, null,
                        "Machine"))).code());
    }

    @Test
    void enroll_machineAsksForAnotherHostsDnsName_refusedWith15() {
        String csr = Csrs.ec("P-256").subject("CN=ws01.example.com").dns("dc1.example.com").pem();
        assertEquals(ErrorCode.INVALID_CSR, assertThrows(EnrollmentException.class, () -> service()
                .enroll(MACHINE_PRINCIPAL, new EnrollmentRequest(CUST, null, null, null, csr, null, "Machine"))).code());
    }

    @Test
    void enroll_userWithoutEmail_stillRefusedWith26() {
        String csr = Csrs.ec("P-256").subject("CN=Alice Example").pem();
        assertEquals(ErrorCode.NO_EMAIL, assertThrows(EnrollmentException.class, () -> service()
                .enroll(PipelineTest.caller("alice"), new EnrollmentRequest(CUST, "1", null, null, csr, null, "User"))).code());
    }
}
