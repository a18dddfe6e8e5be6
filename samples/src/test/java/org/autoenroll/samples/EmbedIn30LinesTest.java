package org.autoenroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sample: the whole pipeline embedded in a product in under 30 lines with
 * {@link EnrollmentService#builder()}: the built-in CA, its H2 store, your directory, one customer.
 * Your HTTP layer authenticates the caller (a {@code TicketValidator}) and calls {@code enroll}.
 */
class EmbedIn30LinesTest {
    /** What an embedding product keeps: the service, and what to close at shutdown. */
    record Embedded(EnrollmentService service, BuiltInCa ca, JdbcCertificateStore store) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }

    // sample:begin
    static Embedded embed(Path dataDir, DirectoryLookup directory, SecretRef caPassword) throws Exception {
        Clock clock = Clock.systemUTC();
        BuiltInCa ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=Example Issuing CA,O=Example")
                .keyType(CaKeyType.EC_P256).keystorePath(dataDir.resolve("ca.p12")).keystorePassword(caPassword)
                .baseUrl("https://pki.example.com").build(), clock);
        JdbcCertificateStore store = JdbcCertificateStore.h2(dataDir, clock);
        String customer = "https://example.com/customer/main";
        // the tenant: its e-mail domain, one organization, the directory its users are in
        DirectoryRef ad = new DirectoryRef("corp", "EXAMPLE.COM"); // the directory the lookup reads, for users of EXAMPLE.COM
        InMemoryTenantRegistry tenants = new InMemoryTenantRegistry(
                List.of(new Customer(customer, true, List.of("example.com"), "corp")),
                List.of(new Organization(1, customer, List.of("example.com"), null, false)), List.of(ad));
        CertificateProfile profile = new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(30), false);
        EnrollmentService service = EnrollmentService.builder()
                .tenants(tenants).directory(directory).policy(new DefaultEnrollmentPolicy(profile))
                .signer(ca).certificates(store).persons(store).clock(clock)
                .build();
        return new Embedded(service, ca, store);
    }
    // sample:end

    @Test
    void embed_enrollsThroughThePipeline_certificateFromTheEmbeddedCa(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("ca-password"), "embedded-ca-password-71d");
        DirectoryLookup directory = new MapDirectoryLookup(Map.of("alice@EXAMPLE.COM", EmbeddedEnrollmentTest.ALICE));
        try (Embedded embedded = embed(dir, directory, SecretRef.parse("file:" + password))) {
            EnrollmentResult result = embedded.service().enroll(AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null),
                    new EnrollmentRequest("https://example.com/customer/main", "1", "alice@example.com", null,
                            Samples.csr("CN=Alice Example"), null));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(result.certificate().orElseThrow().certificate()));
            certificate.verify(embedded.ca().caCertificate().getPublicKey());
            assertEquals(1, embedded.store().findByOwner("https://example.com/customer/main", "alice@EXAMPLE.COM").size());
        }
    }

    @Test
    void sample_staysWithinThirtyLines() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/org/autoenroll/samples/EmbedIn30LinesTest.java"));
        int begin = lines.indexOf("    // sample:begin");
        int end = lines.indexOf("    // sample:end");
        assertTrue(begin >= 0 && end > begin, "markers present");
        int length = end - begin - 1;
        assertTrue(length <= 30, "the embedding sample has " + length + " lines");
    }
}
