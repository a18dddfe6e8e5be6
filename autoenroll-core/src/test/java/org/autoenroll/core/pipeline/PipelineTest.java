package org.autoenroll.core.pipeline;

import org.autoenroll.core.internal.Serials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.api.SecretRef;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.StatusReport;
import org.autoenroll.core.csr.Csrs;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineTest {
    static final String CUST = "https://example.com/customer/a";
    static final CertificateProfile PROFILE = new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(60), false);
    static final String CSR = Csrs.rsa2048().subject("CN=Alice Example").email("alice@example.com").pem();

    static AdServer adServer(String id, String domain) {
        return new AdServer(id, domain, List.of(new LdapEndpoint("127.0.0.1", 389)), false, "CN=Users,DC=example,DC=com",
                "CN=svc,CN=Users,DC=example,DC=com", SecretRef.parse("env:UNUSED"));
    }

    static final InMemoryTenantRegistry TENANTS = new InMemoryTenantRegistry(
            List.of(new Customer(CUST, true, List.of("example.com", "example.net"), "ad1"),
                    new Customer("cust-off", false, List.of("example.com"), "ad1"),
                    new Customer("cust-nobind", true, List.of("example.com"), null),
                    new Customer("cust-other", true, List.of("example.com", "example.biz"), "ad2"),
                    new Customer("cust-twin", true, List.of("example.com"), "ad1")),
            List.of(new Organization(1, CUST, List.of("example.com"), null, false),
                    new Organization(2, "cust-other", List.of("example.com"), "ad2", false),
                    new Organization(3, CUST, List.of("example.com"), null, true),
                    new Organization(4, CUST, List.of("example.org"), null, false),
                    new Organization(5, "cust-nobind", List.of("example.com"), null, false),
                    new Organization(6, "cust-twin", List.of("example.com"), null, false)),
            List.of(adServer("ad1", "EXAMPLE.COM").ref(), adServer("ad2", "OTHER.COM").ref()));

    static DirectoryEntry entry(String sam, String mail, String cn, boolean disabled) {
        return DirectoryEntry.builder("CN=" + cn + ",CN=Users,DC=example,DC=com", sam).userPrincipalName(sam + "@example.com")
                .mail(mail).commonName(cn).disabled(disabled).build();
    }

    static final Map<String, DirectoryEntry> DIRECTORY = Map.of(
            "alice", entry("alice", "alice@example.com", "Alice Example", false),
            "nomail", entry("nomail", null, "No Mail", false),
            "locked", entry("locked", "locked@example.com", "Locked Out", true));

    static final DirectoryLookup LOOKUP = (server, principal) -> {
        DirectoryEntry found = DIRECTORY.get(principal.name());
        if (found == null) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "not found");
        }
        return found;
    };

    final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    InMemoryStores stores;
    EnrollmentService service;

    @BeforeEach
    void setUp() throws Exception {
        stores = new InMemoryStores();
        service = service(LOOKUP, new DefaultEnrollmentPolicy(PROFILE));
    }

    EnrollmentService service(DirectoryLookup lookup, EnrollmentPolicy policy) throws Exception {
        return EnrollmentService.builder().tenants(TENANTS).directory(lookup).policy(policy).signer(new TestSigner(clock))
                .certificates(stores).persons(stores).clock(clock).build();
    }

    static AuthenticatedPrincipal caller(String name) {
        return AuthenticatedPrincipal.of(name, "EXAMPLE.COM", null);
    }

    static EnrollmentRequest request(String customer, String orgId, String email, String cn, String csr) {
        return new EnrollmentRequest(customer, orgId, email, cn, csr, null);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(ErrorCode.INVALID_REMOTE_USER, "HTTP/localhost", request(CUST, "1", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_CUSTOMER_URI, "alice", request(null, "1", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_CUSTOMER_URI, "alice", request(null, null, null, null, null)),
                Arguments.of(ErrorCode.CUSTOMER_INVALID, "alice", request("nope", "1", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.CUSTOMER_DISABLED, "alice", request("cust-off", "1", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_EMAIL, "alice", request(CUST, "1", " ", null, CSR)),
                Arguments.of(ErrorCode.NO_REQUEST, "alice", request(CUST, "1", "alice@example.com", null, null)),
                Arguments.of(ErrorCode.NO_MATCHED_DOMAIN, "alice", request(CUST, "1", "alice@unknown.test", null, CSR)),
                Arguments.of(ErrorCode.NO_MATCHED_DOMAIN, "alice", request(CUST, "1", "alice@@example.com", null, CSR)),
                Arguments.of(ErrorCode.DOMAIN_UNAUTHORIZED, "alice", request(CUST, "1", "alice@example.biz", null, CSR)),
                Arguments.of(ErrorCode.ORGID_INVALID, "alice", request(CUST, "1x", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.ORGID_INVALID, "alice", request(CUST, "-1", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_ORGANIZATION_FOUND, "alice", request(CUST, "99", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_MATCHED_ORGANIZATION, "alice", request(CUST, "2", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_MATCHED_ORGANIZATION, "alice", request(CUST, "3", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_MATCHED_ORGANIZATION, "alice", request(CUST, "4", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.AD_SERVER_NOT_FOUND, "alice", request("cust-nobind", null, "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.AD_SERVER_NOT_FOUND, "alice", request("cust-nobind", "5", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.WINDOWS_DOMAIN_MISMATCH, "alice", request("cust-other", "2", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_SUITABLE_ORGANIZATION, "alice", request(CUST, null, "alice@example.net", null, CSR)),
                Arguments.of(ErrorCode.NO_MATCHED_AD_SERVER, "alice", request("cust-other", null, "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_VALID_USER_IN_AD, "ghost", request(CUST, "1", "alice@example.com", null, CSR)),
                Arguments.of(ErrorCode.ACCOUNT_DISABLED, "locked", request(CUST, "1", "locked@example.com", null, CSR)),
                Arguments.of(ErrorCode.NO_VALID_EMAIL_IN_AD, "nomail", request(CUST, "1", "nomail@example.com", null, CSR)),
                Arguments.of(ErrorCode.EMAIL_IN_AD_MISMATCH, "alice", request(CUST, "1", "bob@example.com", null, CSR)),
                Arguments.of(ErrorCode.USER_NAME_IN_AD_MISMATCH, "alice", request(CUST, "1", "alice@example.com", "Bob", CSR)),
                Arguments.of(ErrorCode.INVALID_CSR, "alice", request(CUST, "1", "alice@example.com", null, "garbage")),
                Arguments.of(ErrorCode.INVALID_SERIAL, "alice",
                        new EnrollmentRequest(CUST, "1", "alice@example.com", null, CSR, "not-hex")),
                Arguments.of(ErrorCode.INVALID_SERIAL, "alice",
                        new EnrollmentRequest(CUST, "1", "alice@example.com", null, CSR, "0A1B")));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("refusals")
    void enroll_refusedRequest_raisesItsCodeAndStoresNothing(ErrorCode expected, String principal, EnrollmentRequest request) {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> service.enroll(caller(principal), request));
        assertEquals(expected, e.code(), e.detail());
        assertTrue(stores.certificates.isEmpty());
        assertTrue(stores.requests.isEmpty());
    }

    @Test
    void enroll_directoryDown_raises13() throws Exception {
        service = service((server, principal) -> {
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "connect refused");
        }, new DefaultEnrollmentPolicy(PROFILE));
        assertEquals(ErrorCode.AD_UNAVAILABLE, assertThrows(EnrollmentException.class,
                () -> service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR))).code());
        assertTrue(stores.persons.isEmpty());
    }

    @Test
    void enroll_personOfAnotherCustomer_raises20() throws Exception {
        service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR));
        int before = stores.certificates.size();
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> service.enroll(caller("alice"), request("cust-twin", null, "alice@example.com", null, CSR)));
        assertEquals(ErrorCode.PERSON_MISMATCH, e.code());
        assertEquals(before, stores.certificates.size());
    }

    @Test
    void enroll_validRequest_issuesAndRecords() throws EnrollmentException {
        EnrollmentResult result = service.enroll(caller("alice"), request(CUST, null, "Alice@Example.com", "alice example", CSR));
        assertEquals(EnrollmentResult.Status.ISSUED, result.status());
        var record = stores.certificates.get(result.certificate().orElseThrow().serial());
        assertEquals("alice@EXAMPLE.COM", record.owner());
        assertEquals(CertificateState.VALID, record.state());
        assertEquals(EnrollmentResult.Status.ISSUED, service.collect(caller("alice"), result.requestId()).status());
        assertEquals(ErrorCode.REQUEST_NOT_FOUND, assertThrows(EnrollmentException.class,
                () -> service.collect(caller("bob"), result.requestId())).code());
    }

    @Test
    void enroll_renewal_supersedesTheOldCertificateOnce() throws EnrollmentException {
        var first = service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR)).certificate().orElseThrow();
        String serial = Serials.format(first.serial());
        var second = service.enroll(caller("alice"), new EnrollmentRequest(CUST, "1", "alice@example.com", null, CSR, serial))
                .certificate().orElseThrow();
        assertNotEquals(first.serial(), second.serial());
        var old = stores.certificates.get(first.serial());
        assertEquals(CertificateState.REVOKED, old.state());
        assertEquals(RevocationReason.SUPERSEDED, old.revocationReason());
        int before = stores.certificates.size();
        assertEquals(ErrorCode.INVALID_SERIAL, assertThrows(EnrollmentException.class, () -> service.enroll(caller("alice"),
                new EnrollmentRequest(CUST, "1", "alice@example.com", null, CSR, serial))).code());
        assertEquals(before, stores.certificates.size());
    }

    @Test
    void enroll_policyPends_recordsPendingRequest() throws Exception {
        service = service(LOOKUP, request -> new EnrollmentPolicy.Pend(PROFILE, "manager approval"));
        EnrollmentResult result = service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR));
        assertEquals(EnrollmentResult.Status.PENDING, result.status());
        assertEquals(EnrollmentResult.Status.PENDING, service.collect(caller("alice"), result.requestId()).status());
        assertTrue(stores.certificates.isEmpty());
    }

    @Test
    void enroll_policyRefuses_raisesPolicyCode() throws Exception {
        service = service(LOOKUP, request -> new EnrollmentPolicy.Refuse(ErrorCode.DOMAIN_UNAUTHORIZED, "no template right"));
        assertEquals(ErrorCode.DOMAIN_UNAUTHORIZED, assertThrows(EnrollmentException.class,
                () -> service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR))).code());
    }

    @Test
    void enroll_unexpectedFault_raises30WithoutDetailOfTheFault() throws Exception {
        service = service(LOOKUP, request -> {
            throw new IllegalStateException("secret internals");
        });
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR)));
        assertEquals(ErrorCode.ENROLLMENT_FAILED, e.code());
        assertTrue(!e.detail().contains("secret"));
    }

    @Test
    void enroll_publishingProfile_addsTheCertificateToTheEntry() throws Exception {
        java.util.List<byte[]> added = new java.util.ArrayList<>();
        CertificateProfile publishing = new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(60), true);
        TestSigner signer = new TestSigner(clock);
        service = EnrollmentService.builder().tenants(TENANTS).directory(LOOKUP).publisher((server, dn, add, remove) -> {
            assertEquals("ad1", server.id());
            assertEquals(DIRECTORY.get("alice").dn(), dn);
            added.addAll(add);
        }).policy(new DefaultEnrollmentPolicy(publishing)).signer(signer).certificates(stores).persons(stores).clock(clock).build();
        var issued = service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR)).certificate().orElseThrow();
        assertEquals(1, added.size());
        assertTrue(java.util.Arrays.equals(issued.certificate(), added.get(0)));
    }

    /** The certificate's signature is not re-checked for a local CA, but its key always is: 25, nothing recorded. */
    @Test
    void enroll_signerReturnsAnotherKeysCertificate_issuanceFailedAndNothingRecorded() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        TestSigner swapping = new TestSigner(clock).certifyingInstead(generator.generateKeyPair().getPublic());
        service = EnrollmentService.builder().tenants(TENANTS).directory(LOOKUP).policy(new DefaultEnrollmentPolicy(
                new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(60), false)))
                .signer(swapping).certificates(stores).persons(stores).clock(clock).build();

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR)));

        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
        assertTrue(stores.certificates.isEmpty());
    }

    @Test
    void enroll_directoryRefusesPublication_certificateIsStillIssuedAndRecorded() throws Exception {
        CertificateProfile publishing = new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(60), true);
        service = EnrollmentService.builder().tenants(TENANTS).directory(LOOKUP).publisher((server, dn, add, remove) -> {
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "insufficient access rights");
        }).policy(new DefaultEnrollmentPolicy(publishing)).signer(new TestSigner(clock)).certificates(stores).persons(stores)
                .clock(clock).build();
        EnrollmentResult result = service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR));
        assertEquals(EnrollmentResult.Status.ISSUED, result.status());
        assertEquals(1, stores.certificates.size());
    }

    @Test
    void reportStatus_checksInSeedOrder() throws EnrollmentException {
        var issued = service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR)).certificate().orElseThrow();
        String serial = Serials.format(issued.serial());
        service.reportStatus(caller("alice"), new StatusReport(CUST, serial, "INSTALLED"));
        assertEquals(ReportedStatus.INSTALLED, stores.certificates.get(issued.serial()).reportedStatus());
        assertEquals(ErrorCode.NO_CUSTOMER_URI, statusCode(caller("alice"), new StatusReport(null, serial, "INSTALLED")));
        assertEquals(ErrorCode.INVALID_STATUS, statusCode(caller("alice"), new StatusReport(CUST, serial, "installed")));
        assertEquals(ErrorCode.UNKNOWN_PERSON_FOR_STATUS, statusCode(caller("bob"), new StatusReport(CUST, serial, "INSTALLED")));
        assertEquals(ErrorCode.INVALID_SERIAL, statusCode(caller("alice"), new StatusReport(CUST, "zz", "INSTALLED")));
        assertEquals(ErrorCode.INVALID_SERIAL, statusCode(caller("alice"), new StatusReport(CUST, "01", "INSTALLED")));
    }

    private ErrorCode statusCode(AuthenticatedPrincipal caller, StatusReport report) {
        return assertThrows(EnrollmentException.class, () -> service.reportStatus(caller, report)).code();
    }
}
