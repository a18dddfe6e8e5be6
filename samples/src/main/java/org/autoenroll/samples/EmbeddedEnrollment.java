package org.autoenroll.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
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

/**
 * The enrollment pipeline embedded in another product, wired with plain constructors: the built-in
 * CA and its H2 store, a directory backend of your own ({@link MapDirectoryLookup}), one customer
 * with one organization. Your HTTP layer authenticates the caller (the reference server uses
 * autoenroll-kerberos) and calls {@link EnrollmentService#enroll}.
 *
 * <p>Run: {@code java -cp ... org.autoenroll.samples.EmbeddedEnrollment DATA_DIR CSR_FILE}; it prints the PEM.
 */
public final class EmbeddedEnrollment implements AutoCloseable {
    public static final String CUSTOMER = "https://example.com/customer/embedded";

    private final JdbcCertificateStore store;
    private final BuiltInCa ca;
    private final EnrollmentService service;

    public EmbeddedEnrollment(Path dataDir, Map<String, DirectoryEntry> directory) throws Exception {
        Files.createDirectories(dataDir);
        Path passwordFile = dataDir.resolve("ca-password");
        if (!Files.exists(passwordFile)) {
            Files.writeString(passwordFile, HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        }
        Clock clock = Clock.systemUTC();
        ca = BuiltInCa.open(CaSettings.builder()
                .subjectDn("CN=Embedded Example CA,O=Example")
                .keyType(CaKeyType.EC_P256)
                .keystorePath(dataDir.resolve("ca.p12"))
                .keystorePassword(SecretRef.parse("file:" + passwordFile))
                .baseUrl("https://pki.example.com")
                .build(), clock);
        store = JdbcCertificateStore.h2(dataDir, clock);
        DirectoryRef ad = new DirectoryRef("ad1", "EXAMPLE.COM"); // the directory the lookup reads, for users of EXAMPLE.COM
        InMemoryTenantRegistry tenants = new InMemoryTenantRegistry(
                List.of(new Customer(CUSTOMER, true, List.of("example.com"), "ad1")),
                List.of(new Organization(1, CUSTOMER, List.of("example.com"), null, false)),
                List.of(ad));
        CertificateProfile profile = new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(60), false);
        service = EnrollmentService.builder().tenants(tenants).directory(new MapDirectoryLookup(directory))
                .policy(new DefaultEnrollmentPolicy(profile)).signer(ca).certificates(store).persons(store).clock(clock).build();
    }

    public EnrollmentService service() {
        return service;
    }

    public BuiltInCa ca() {
        return ca;
    }

    @Override
    public void close() {
        store.close();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedEnrollment DATA_DIR CSR_FILE");
            System.exit(2);
        }
        DirectoryEntry alice = DirectoryEntry.builder("CN=Alice Example,CN=Users,DC=example,DC=com", "alice")
                .userPrincipalName("alice@example.com").mail("alice@example.com").commonName("Alice Example").build();
        try (EmbeddedEnrollment embedded = new EmbeddedEnrollment(Path.of(args[0]), Map.of("alice@EXAMPLE.COM", alice))) {
            // In a product, this principal comes from a TicketValidator (autoenroll-kerberos).
            AuthenticatedPrincipal caller = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);
            EnrollmentResult result = embedded.service().enroll(caller, new EnrollmentRequest(CUSTOMER, "1",
                    "alice@example.com", null, Files.readString(Path.of(args[1])), null));
            System.out.println(pem(result.certificate().orElseThrow().certificate()));
        } catch (EnrollmentException e) {
            System.err.println("refused: " + e.code().code() + " " + e.code() + ": " + e.detail());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("cannot read: " + e.getMessage());
            System.exit(1);
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----";
    }
}
