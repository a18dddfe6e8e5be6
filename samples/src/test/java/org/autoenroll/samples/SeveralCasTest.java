package org.autoenroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.ca.cmp.CmpCertificateSigner;
import org.autoenroll.ca.cmp.CmpProtection;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.ca.CaPool;
import org.autoenroll.core.ca.OfferingCa;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several CAs offer one template (seed 002): two built-in CAs share the load in random order, and
 * a CMP CA whose server is stopped is failed over without the client noticing; only when every CA
 * fails is the request refused with 25, and then nothing is recorded.
 */
class SeveralCasTest {
    static final String CUSTOMER = "https://example.com/customer/main";

    static BuiltInCa ca(Path dir, String name, SecretRef password) throws Exception {
        return BuiltInCa.open(CaSettings.builder().subjectDn("CN=" + name + ",O=Example").keyType(CaKeyType.EC_P256)
                .keystorePath(dir.resolve(name + ".p12")).keystorePassword(password).baseUrl("https://pki.example.com").build(),
                Clock.systemUTC());
    }

    /** A CMP CA at a port where nothing listens any more: a CA server that was stopped. */
    static CmpCertificateSigner stoppedCmpCa(X509Certificate caCertificate) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return CmpCertificateSigner.builder().server(URI.create("http://127.0.0.1:" + port + "/pkix/"))
                .protection(CmpProtection.sharedSecret("ref", SecretRef.literal("cmp-secret".toCharArray())))
                .requestType(CmpCertificateSigner.RequestType.P10CR).caChain(List.of(caCertificate))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).build();
    }

    static EnrollmentService service(CaPool pool, JdbcCertificateStore store) {
        DirectoryRef ad = new DirectoryRef("corp", "EXAMPLE.COM"); // the directory the lookup reads, for users of EXAMPLE.COM
        InMemoryTenantRegistry tenants = new InMemoryTenantRegistry(List.of(new Customer(CUSTOMER, true, List.of("example.com"), "corp")),
                List.of(new Organization(1, CUSTOMER, List.of("example.com"), null, false)), List.of(ad));
        return EnrollmentService.builder().tenants(tenants)
                .directory(new MapDirectoryLookup(Map.of("alice@EXAMPLE.COM", EmbeddedEnrollmentTest.ALICE)))
                .policy(new DefaultEnrollmentPolicy(new CertificateProfile("user", Duration.ofDays(30), Duration.ofDays(5), false)))
                .signer(pool).certificates(store).persons(store).build();
    }

    static String issuerOf(EnrollmentResult result) throws Exception {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(result.certificate().orElseThrow().certificate()));
        return certificate.getIssuerX500Principal().getName();
    }

    static EnrollmentResult enroll(EnrollmentService service) throws Exception {
        return service.enroll(AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null),
                new EnrollmentRequest(CUSTOMER, "1", "alice@example.com", null, Samples.csr("CN=Alice Example"), null));
    }

    @Test
    void twoBuiltInCasAndAStoppedCmpCa_everyEnrollmentSucceedsSpreadOverTheLiveOnes(@TempDir Path dir) throws Exception {
        SecretRef password = SecretRef.parse("file:" + Files.writeString(dir.resolve("pw"), "several-cas-password-81"));
        BuiltInCa one = ca(dir, "CA One", password);
        BuiltInCa two = ca(dir, "CA Two", password);
        CaPool pool = new CaPool(List.of(new OfferingCa("one", one, Set.of()), new OfferingCa("two", two, Set.of()),
                new OfferingCa("cmp-stopped", stoppedCmpCa(one.caCertificate()), Set.of())), new Random(11));
        try (JdbcCertificateStore store = JdbcCertificateStore.h2(dir.resolve("db"), Clock.systemUTC())) {
            EnrollmentService service = service(pool, store);
            Map<String, Integer> issuers = new HashMap<>();
            for (int i = 0; i < 24; i++) {
                issuers.merge(issuerOf(enroll(service)), 1, Integer::sum);
            }
            assertEquals(Set.of("O=Example,CN=CA One", "O=Example,CN=CA Two"), issuers.keySet(), issuers.toString());
            assertTrue(issuers.values().stream().allMatch(n -> n >= 4), "both live CAs share the load: " + issuers);
            assertEquals(24, store.findByOwner(CUSTOMER, "alice@EXAMPLE.COM").size());
        }
    }

    @Test
    void everyCaDown_refusedWith25AndNothingRecorded(@TempDir Path dir) throws Exception {
        SecretRef password = SecretRef.parse("file:" + Files.writeString(dir.resolve("pw"), "several-cas-password-82"));
        BuiltInCa reference = ca(dir, "CA Ref", password);
        CaPool pool = new CaPool(List.of(new OfferingCa("cmp-a", stoppedCmpCa(reference.caCertificate()), Set.of()),
                new OfferingCa("cmp-b", stoppedCmpCa(reference.caCertificate()), Set.of())));
        try (JdbcCertificateStore store = JdbcCertificateStore.h2(dir.resolve("db"), Clock.systemUTC())) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroll(service(pool, store)));
            assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
            assertTrue(e.detail().contains("cmp-a") && e.detail().contains("cmp-b"), e.detail());
            assertEquals(0, store.findByOwner(CUSTOMER, "alice@EXAMPLE.COM").size());
        }
    }
}
