package org.autoenroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.CryptoProviderChoice;
import org.autoenroll.ca.CryptoProviders;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.testkit.InMemoryCertificateStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline with the CA's crypto provider verifying CSRs, as an embedder wires it
 * ({@code csrVerificationProvider(ca.cryptoProvider())}): native (ACCP, the samples' platform) and
 * the pure-Java fallback chosen by configuration issue a certificate that the JDK verifies against
 * the CA key, and refuse a CSR whose signature was altered with 15; no provider is registered.
 */
class NativeCryptoPipelineTest {
    private static final String CUSTOMER = "https://example.com/customer/main";

    @TempDir
    Path dir;

    private EnrollmentService service(BuiltInCa ca) {
        InMemoryCertificateStore store = new InMemoryCertificateStore(Clock.systemUTC());
        return EnrollmentService.builder()
                .tenants(new InMemoryTenantRegistry(List.of(new Customer(CUSTOMER, true, List.of("example.com"), "corp")),
                        List.of(new Organization(1, CUSTOMER, List.of("example.com"), null, false)),
                        List.of(new DirectoryRef("corp", "EXAMPLE.COM"))))
                .directory(new MapDirectoryLookup(Map.of("alice@EXAMPLE.COM", EmbeddedEnrollmentTest.ALICE)))
                .policy(new DefaultEnrollmentPolicy(new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(30), false)))
                .signer(ca).certificates(store).persons(store)
                .pipeline(p -> p.csrVerificationProvider(ca.cryptoProvider()))
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = CryptoProviderChoice.class, names = {"ACCP", "BOUNCY_CASTLE"})
    void enroll_caProviderVerifiesCsrs_issuesAndRefusesAlteredSignature(CryptoProviderChoice choice) throws Exception {
        if (choice == CryptoProviderChoice.ACCP && System.getenv("CI") == null) {
            // ACCP's jar carries a linux-x86_64 library: elsewhere skipped, except in CI, where it must load
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    CryptoProviders.resolve(CryptoProviderChoice.AUTO).isNative(), "ACCP does not load here");
        }
        BuiltInCa ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=Example Issuing CA,O=Example")
                .keyType(CaKeyType.EC_P256).keystorePath(dir.resolve("ca.p12"))
                .keystorePassword(SecretRef.literal("native-crypto-test".toCharArray()))
                .baseUrl("https://pki.example.com").cryptoProvider(choice).build(), Clock.systemUTC());
        assertEquals(choice, ca.cryptoProviderChoice());
        EnrollmentService service = service(ca);
        AuthenticatedPrincipal alice = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);

        String csr = Samples.csr("CN=Alice Example");
        EnrollmentResult result = service.enroll(alice, new EnrollmentRequest(CUSTOMER, "1", "alice@example.com", null, csr, null));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(result.certificate().orElseThrow().certificate()));
        certificate.verify(ca.caCertificate().getPublicKey()); // the JDK's own SunEC checks the CA's signature

        EnrollmentException refused = assertThrows(EnrollmentException.class, () -> service.enroll(alice,
                new EnrollmentRequest(CUSTOMER, "1", "alice@example.com", null, alteredSignature(csr), null)));
        assertEquals(ErrorCode.INVALID_CSR, refused.code());
        assertNull(Security.getProvider(ca.cryptoProvider().getName()), "an instance only, never registered");
    }

    /** The CSR with one bit of its signature's last byte flipped: still DER, no longer valid. */
    private static String alteredSignature(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 1] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
