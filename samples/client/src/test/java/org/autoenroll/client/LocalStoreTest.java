package org.autoenroll.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
    @TempDir
    Path dir;

    private static X509Certificate certificate(KeyPair keys, long serial) throws Exception {
        X500Principal name = new X500Principal("CN=Alice Demo");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serial),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder(keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                        .build(keys.getPrivate())));
    }

    private LocalStore store(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--server", "https://h", "--customer", "c", "--store", dir.resolve("store").toString()));
        args.addAll(List.of(more));
        return LocalStore.open(ClientOptions.parse(args.toArray(String[]::new)));
    }

    @Test
    void pem_installThenHeld_keyOwnerOnly_directoryPrivate() throws Exception {
        LocalStore store = store();
        KeyPair keys = CertificateRequests.create(ClientOptions.KeyKind.EC, "Alice Demo").keys();
        store.install("User", keys.getPrivate(), List.of(certificate(keys, 0x4F2A)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store/User.key"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store"))));
        LocalStore.Held held = store.held().get(0);
        assertEquals("User", held.template());
        assertEquals("4F2A", held.serial());
        assertTrue(held.hasKey());
        Files.delete(dir.resolve("store/User.key"));
        assertTrue(!store.held().get(0).hasKey(), "a certificate without its key is reported as NO_PRIVATE_KEY");
    }

    @Test
    void install_certificateOfAnotherKey_code39_andNothingReplaced() throws Exception {
        LocalStore store = store();
        KeyPair mine = CertificateRequests.create(ClientOptions.KeyKind.EC, null).keys();
        KeyPair other = CertificateRequests.create(ClientOptions.KeyKind.EC, null).keys();
        ClientFailure failure = assertThrows(ClientFailure.class,
                () -> store.install("User", mine.getPrivate(), List.of(certificate(other, 7))));
        assertEquals(39, failure.code());
        assertTrue(failure.report().contains("Install certificate error."), failure.report());
        assertTrue(store.held().isEmpty());
    }

    @Test
    void templateNamesThatAreNoFileNames_refused() throws Exception {
        LocalStore store = store();
        KeyPair keys = CertificateRequests.create(ClientOptions.KeyKind.EC, null).keys();
        for (String name : List.of("../etc/passwd", "a/b", "", ".hidden")) {
            assertEquals(39, assertThrows(ClientFailure.class, () -> store.install(name, keys.getPrivate(), List.of(certificate(keys, 1))))
                    .code(), name);
        }
    }

    @Test
    void pkcs12_passwordFromFile_pendingKeyAndInstall() throws Exception {
        Path password = Files.writeString(dir.resolve("p12.pw"), "s3cret-store\n");
        LocalStore store = store("--format", "pkcs12", "--pkcs12-password", "file:" + password);
        KeyPair keys = CertificateRequests.create(ClientOptions.KeyKind.RSA, null).keys();
        store.keepPending("ManagerApproved", "req-1", keys.getPrivate());
        assertTrue(store.pendingKey("ManagerApproved", "other").isEmpty());
        assertEquals(keys.getPrivate(), store.pendingKey("ManagerApproved", "req-1").orElseThrow());
        store.install("ManagerApproved", keys.getPrivate(), List.of(certificate(keys, 9)));
        assertEquals("9", store.held().get(0).serial());
        assertTrue(store.held().get(0).hasKey());
        assertTrue(!Files.exists(dir.resolve("store/ManagerApproved.pending")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store/ManagerApproved.p12"))));
    }
}
