package org.autoenroll.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.ldap.AdTemplateSource;
import org.autoenroll.ldap.LdapDirectoryLookup;
import org.autoenroll.ldap.LdapSettings;

/** Reads a forest's templates once, the way the server does ({@link AdTemplateSource}). */
final class AdTemplatesReadBack {
    private AdTemplatesReadBack() {
    }

    static List<CertificateTemplate> read(AdServer server) throws Exception {
        return read(server, null);
    }

    static List<CertificateTemplate> read(AdServer server, javax.net.ssl.SSLSocketFactory trust) throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (LdapDirectoryLookup lookup = new LdapDirectoryLookup(LdapSettings.defaults()
                .withResponseTimeout(Duration.ofSeconds(10)), trust, ref -> Optional.of(server));
             AdTemplateSource source = AdTemplateSource.builder(lookup, server, executor).build()) {
            return source.refresh();
        } finally {
            executor.shutdownNow();
        }
    }
}
