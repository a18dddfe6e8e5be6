package org.autoenroll.server.config;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;
import org.autoenroll.ldap.LdapSettings;
import org.autoenroll.server.internal.TlsContexts;

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
        return TlsContexts.trusting(ldap.trustedCertificates()).getSocketFactory();
    }
}
