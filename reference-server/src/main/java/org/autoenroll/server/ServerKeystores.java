package org.autoenroll.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.autoenroll.ca.BuiltInCa;

/**
 * Makes the server's own TLS key store: a fresh EC P-256 key and a serverAuth certificate for the
 * given names issued by the built-in CA, written as PKCS#12. For demo mode and tests; production
 * servers bring a certificate from their own PKI. Stateless.
 */
public final class ServerKeystores {
    private ServerKeystores() {
    }

    public static void writeTlsKeystore(BuiltInCa ca, List<String> names, Path keystore, char[] password)
            throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate[] chain = ca.issueTlsServerCertificate(names, keyPair);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keyPair.getPrivate(), password, chain);
        if (keystore.getParent() != null) {
            Files.createDirectories(keystore.getParent());
        }
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, password);
        }
    }
}
