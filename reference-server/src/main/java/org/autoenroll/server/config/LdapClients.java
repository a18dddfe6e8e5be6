package org.autoenroll.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.ldap.LdapSettings;

/** The LDAP client settings and LDAPS trust of a configuration's {@code ldap} section. */
public final class LdapClients {
    private LdapClients() {
    }

    /**
     * @throws IllegalArgumentException naming the value out of range
     */
    public static LdapSettings settings(ServerConfig.Ldap ldap) {
        LdapSettings.Builder builder = LdapSettings.defaults().toBuilder();
        if (ldap != null) {
            if (ldap.connectTimeoutMillis() != null) {
                builder.connectTimeout(Duration.ofMillis(ldap.connectTimeoutMillis()));
            }
            if (ldap.responseTimeoutMillis() != null) {
                builder.responseTimeout(Duration.ofMillis(ldap.responseTimeoutMillis()));
            }
            if (ldap.poolSize() != null) {
                builder.poolSize(ldap.poolSize());
            }
            builder.startTls(Boolean.TRUE.equals(ldap.startTls()));
        }
        return builder.build();
    }

    /** Trusts exactly the configured CA certificates, or null for the JVM's trust store. */
    public static SSLSocketFactory trust(ServerConfig.Ldap ldap) throws IOException, GeneralSecurityException {
        if (ldap == null || ldap.trustedCertificates() == null) {
            return null;
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ldap.trustedCertificates())) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ad-ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + ldap.trustedCertificates());
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
