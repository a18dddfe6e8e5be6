package org.autoenroll.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.autoenroll.api.SecretRef;

/** Builds the server's {@link SSLContext} from a PKCS#12 key store. Stateless. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @throws IOException when the file cannot be read or the password does not open it (the
     *     message names the file, never the password)
     */
    public static SSLContext fromPkcs12(Path keystore, SecretRef password) throws IOException, GeneralSecurityException {
        char[] secret = password.resolve();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(in, secret);
            } catch (IOException e) {
                throw new IOException("cannot open TLS key store " + keystore + " (wrong password or not PKCS#12)", e);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
