package org.autoenroll.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.kerberos.ReplayCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoenroll.server.audit.AuditLog;
import org.autoenroll.server.audit.AuditTrail;
import org.autoenroll.server.audit.EnrollmentOutcomes;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.http.CaPublication;
import org.autoenroll.server.http.CrlStatus;
import org.autoenroll.server.http.HealthCheck;
import org.autoenroll.server.http.Operations;
import org.autoenroll.server.http.Readiness;
import org.autoenroll.server.metrics.ServerMetrics;

/**
 * What operators watch the server with: the audit log ({@code audit.file}), the step that tells
 * it and the metrics each enrollment's outcome, the metrics, and the readiness components. Installed by {@link ServerModule}; singletons per injector.
 */
final class OperationsModule extends AbstractModule {
    private final ServerConfig config;

    OperationsModule(ServerConfig config) {
        this.config = config;
    }

    /** The audit log of {@code audit.file}, which records this configuration's load first; none without the section. */
    @Provides
    @Singleton
    AuditTrail auditTrail(Resources resources, Clock clock) throws IOException {
        if (config.audit() == null) {
            return AuditTrail.NONE;
        }
        AuditLog log = resources.register(AuditLog.open(config.audit().file(), clock));
        log.record("CONFIG_LOADED", configSummary(config));
        return log;
    }

    /** What a configuration load records: counts and names, a digest of the whole, never a secret (only references are in it). */
    static Map<String, Object> configSummary(ServerConfig config) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("digest", sha256(config.toString()));
        fields.put("realms", config.realms().stream().map(ServerConfig.Realm::realm).toList());
        fields.put("customers", config.customers().size());
        fields.put("adServers", config.adServers().size());
        fields.put("templates", config.templates().stream().map(ServerConfig.TemplateEntry::name).toList());
        fields.put("operators", config.admin() == null ? List.of() : config.admin().operators().stream()
                .map(ServerConfig.Operator::name).toList());
        return fields;
    }

    @Provides
    @Singleton
    EnrollmentOutcomes enrollmentOutcomes(AuditTrail audit, ServerMetrics metrics) {
        return new EnrollmentOutcomes(List.of(EnrollmentOutcomes.auditing(audit), metrics.enrollments()));
    }

    /** The server's own meter registry, watching the replay cache, the CRL, the database pool and the LDAP pools. */
    @Provides
    @Singleton
    ServerMetrics serverMetrics(ReplayCache replayCache, CaPublication ca, JdbcCertificateStore store, Clock clock,
                                org.autoenroll.ldap.LdapDirectoryLookup ldap) {
        ServerMetrics metrics = new ServerMetrics();
        metrics.ldapPools(ldap::poolStates);
        metrics.replayCache(replayCache);
        metrics.crl(ca, clock);
        metrics.dataSource(store.dataSource());
        return metrics;
    }

    /**
     * Readiness: the database takes a write ({@link HealthCheck}, as {@code /healthz}), the CA's
     * certificate is valid now, the CRL served is within its validity, the audit log takes writes.
     */
    @Provides
    @Singleton
    Readiness readiness(HealthCheck database, CertificateSigner signer, CaPublication ca, AuditTrail audit, Clock clock) {
        Map<String, HealthCheck> components = new LinkedHashMap<>();
        components.put("database", database);
        components.put("ca", () -> caUsable(signer, clock));
        components.put("crl", () -> {
            try {
                return CrlStatus.read(ca).freshAt(clock.instant());
            } catch (Exception e) {
                return false;
            }
        });
        if (audit instanceof AuditLog log) {
            components.put("audit", log::healthy);
        }
        return new Readiness(components);
    }

    /** True when the signer's issuing CA certificate is valid now. */
    static boolean caUsable(CertificateSigner signer, Clock clock) {
        try {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(signer.caChain().get(0)));
            ca.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Provides
    @Singleton
    Operations operations(AuditTrail audit, Readiness readiness, ServerMetrics metrics, JdbcCertificateStore store,
                          org.autoenroll.ca.CrlPublisher crl) {
        return new Operations(audit, readiness, metrics::scrape, store, crl::publishNow);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
