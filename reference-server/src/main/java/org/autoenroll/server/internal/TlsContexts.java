package org.autoenroll.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.api.SecretRef;

/**
 * Builds TLS contexts: the server's own from a PKCS#12 key store, and a client's that trusts
 * exactly the CA certificates of a PEM file (never trust-all). Stateless.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @throws IOException when the file cannot be read or the password does not open it (the
     *     message names the file, never the password)
     */
    public static SSLContext fromPkcs12(Path keystore, SecretRef password) throws IOException, GeneralSecurityException {
        return fromPkcs12(keystore, password, null);
    }

    /**
     * The server's context that also checks the client certificates clients offer against
     * {@code clientCa} (and names it in its certificate request), for client-certificate
     * authentication; null for the JVM's default trust.
     */
    public static SSLContext fromPkcs12(Path keystore, SecretRef password, java.security.cert.X509Certificate clientCa)
            throws IOException, GeneralSecurityException {
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
            javax.net.ssl.TrustManager[] trust = null;
            if (clientCa != null) {
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                anchors.setCertificateEntry("client-ca", clientCa);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(anchors);
                trust = tmf.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trust, null);
            return context;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /**
     * A client context trusting exactly the certificates in {@code pem} (one or more).
     *
     * @throws GeneralSecurityException when the file holds no certificate
     */
    public static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("trusted-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * The server's cipher suites: the context's defaults less the TLS 1.2 CBC suites with a SHA-1
     * MAC ({@code *_CBC_SHA}: Lucky13-prone MAC-then-encrypt with a deprecated hash), in the
     * context's order of preference.
     */
    public static String[] serverCipherSuites(SSLContext context) {
        return Arrays.stream(context.getDefaultSSLParameters().getCipherSuites())
                .filter(suite -> !suite.endsWith("_CBC_SHA"))
                .toArray(String[]::new);
    }
}
