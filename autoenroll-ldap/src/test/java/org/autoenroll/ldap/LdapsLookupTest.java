package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LDAPS against the in-memory directory with a self-signed server certificate made by the SDK's own tool. */
class LdapsLookupTest {
    private static final LdapSettings FAST = LdapSettings.defaults().withConnectTimeout(Duration.ofSeconds(2))
            .withResponseTimeout(Duration.ofSeconds(3));
    private static final char[] STORE_PASSWORD = "changeit-test".toCharArray();
    private static final AuthenticatedPrincipal ALICE = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);

    @TempDir
    Path dir;

    @Test
    void findUser_ldapsWithTrustedCertificate_returnsEntry() throws Exception {
        KeyStore store = keyStore("localhost");
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.builder().ldaps(serverContext(store))
                .hostName("localhost").start();
             LdapDirectoryLookup lookup = new LdapDirectoryLookup(FAST, clientContext(store).getSocketFactory())) {
            ad.addUser(UserSpec.builder("alice").build());
            AdServer server = ad.adServer("ldaps", "EXAMPLE.COM");
            assertTrue(server.useSsl());
            assertEquals("alice", lookup.findUser(server, ALICE).samAccountName());
        }
    }

    @Test
    void findUser_ldapsWithUntrustedCertificate_throwsAdUnavailable() throws Exception {
        KeyStore store = keyStore("localhost");
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.builder().ldaps(serverContext(store))
                .hostName("localhost").start();
             LdapDirectoryLookup lookup = new LdapDirectoryLookup(FAST)) {
            ad.addUser(UserSpec.builder("alice").build());
            EnrollmentException e = assertThrows(EnrollmentException.class,
                    () -> lookup.findUser(ad.adServer("ldaps", "EXAMPLE.COM"), ALICE));
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        }
    }

    @Test
    void findUser_ldapsCertificateForOtherHost_throwsAdUnavailable() throws Exception {
        // By name, not by 127.0.0.1: the SDK accepts any certificate on a loopback IP address (W3C secure contexts).
        KeyStore store = keyStore("other.example");
        try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.builder().ldaps(serverContext(store))
                .hostName("localhost").start();
             LdapDirectoryLookup lookup = new LdapDirectoryLookup(FAST, clientContext(store).getSocketFactory())) {
            ad.addUser(UserSpec.builder("alice").build());
            EnrollmentException e = assertThrows(EnrollmentException.class,
                    () -> lookup.findUser(ad.adServer("ldaps", "EXAMPLE.COM"), ALICE));
            assertEquals(ErrorCode.AD_UNAVAILABLE, e.code());
        }
    }

    private KeyStore keyStore(String dnsName) throws Exception {
        Path file = dir.resolve("server-" + dnsName + ".p12");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode rc = ManageCertificates.main(InputStream.nullInputStream(), out, out,
                "generate-self-signed-certificate", "--keystore", file.toString(), "--keystore-type", "PKCS12",
                "--keystore-password", new String(STORE_PASSWORD), "--alias", "server",
                "--subject-dn", "CN=test-ldaps", "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA",
                "--subject-alternative-name-dns", dnsName);
        assertEquals(ResultCode.SUCCESS, rc, out::toString);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, STORE_PASSWORD);
        }
        return store;
    }

    private static SSLContext serverContext(KeyStore store) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext(KeyStore store) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
