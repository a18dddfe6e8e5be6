package org.autoenroll.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.testkit.InMemoryCertificateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole enrollment through autoenroll's pipeline ({@link EnrollmentService#builder()}) with the
 * CMP signer in front of OpenSSL's CMP mock server: the certificate the client gets is the one
 * the CMP server issued, and one for another key is refused with 25 and never recorded.
 */
class CmpEnrollmentThroughPipelineTest {
    private static final String CUSTOMER = "urn:customer:acme";
    private static final String SECRET = "pipeline-cmp-secret-19c2";
    private static final AuthenticatedPrincipal ALICE = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);
    private static final DirectoryEntry ALICE_ENTRY = DirectoryEntry.builder("CN=Alice Example,CN=Users,DC=example,DC=com", "alice")
            .userPrincipalName("alice@example.com").mail("alice@example.com").commonName("Alice Example").build();

    @TempDir
    Path dir;
    TestPki pki;
    KeyPair clientKey;
    String csrPem;

    @BeforeEach
    void setUp() throws Exception {
        MockCmpServer.requireOpenSsl();
        pki = new TestPki("CN=Mock CMP CA,O=Test");
        TestPki.write(dir, "ca.pem", pki.caCertificate);
        clientKey = TestPki.ecKey();
        csrPem = TestPki.pem(TestPki.csr("CN=Alice Example", clientKey));
    }

    private EnrollmentService service(MockCmpServer server, InMemoryCertificateStore store) {
        DirectoryRef ad = new DirectoryRef("ad1", "EXAMPLE.COM"); // the directory the lookup reads, for users of EXAMPLE.COM
        DirectoryLookup directory = (ref, principal) -> {
            DirectoryEntry entry = Map.of("alice@EXAMPLE.COM", ALICE_ENTRY).get(principal.principal());
            if (entry == null) {
                throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "no entry for the principal");
            }
            return entry;
        };
        CmpCertificateSigner signer = CmpCertificateSigner.builder().server(server.uri())
                .protection(CmpProtection.sharedSecret("autoenroll", SecretRef.literal(SECRET.toCharArray())))
                .caChain(List.of(pki.caCertificate)).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).build();
        return EnrollmentService.builder()
                .tenants(new InMemoryTenantRegistry(List.of(new Customer(CUSTOMER, true, List.of("example.com"), "ad1")),
                        List.of(new Organization(1, CUSTOMER, List.of("example.com"), null, false)), List.of(ad)))
                .directory(directory)
                .policy(new DefaultEnrollmentPolicy(new CertificateProfile("user", Duration.ofDays(10), Duration.ofDays(2), false)))
                .signer(signer).certificates(store).persons(store).build();
    }

    private MockCmpServer mock(X509Certificate answer) throws Exception {
        TestPki.write(dir, "rsp.pem", answer);
        return MockCmpServer.start(dir, "-srv_ref", "autoenroll", "-srv_secret", "pass:" + SECRET, "-rsp_cert", "rsp.pem");
    }

    @Test
    void enroll_throughPipeline_returnsAndRecordsTheCmpServersCertificate() throws Exception {
        X509Certificate fromCa = pki.issue("CN=Alice Example", clientKey.getPublic());
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (MockCmpServer server = mock(fromCa)) {
            EnrollmentResult result = service(server, store).enroll(ALICE,
                    new EnrollmentRequest(CUSTOMER, "1", "alice@example.com", null, csrPem, null));
            var issued = result.certificate().orElseThrow();
            assertArrayEquals(fromCa.getEncoded(), issued.certificate());
            assertEquals(fromCa.getSerialNumber(), issued.serial());
            assertArrayEquals(pki.caCertificate.getEncoded(), issued.chain().get(0));
            var recorded = store.find(fromCa.getSerialNumber()).orElseThrow();
            assertEquals(CertificateState.VALID, recorded.state());
            assertEquals("alice@EXAMPLE.COM", recorded.owner());
        }
    }

    @Test
    void enroll_cmpServerAnswersForAnotherKey_refusedWith25AndNothingRecorded() throws Exception {
        X509Certificate wrong = pki.issue("CN=Alice Example", TestPki.ecKey().getPublic());
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (MockCmpServer server = mock(wrong)) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> service(server, store).enroll(ALICE,
                    new EnrollmentRequest(CUSTOMER, "1", "alice@example.com", null, csrPem, null)));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("another public key"), e.detail());
            assertEquals(0, store.size());
        }
    }
}
