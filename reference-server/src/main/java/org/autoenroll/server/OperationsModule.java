package org.autoenroll.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
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

/**
 * What operators watch the server with: the audit log ({@code audit.file}) and the step that
 * tells it each enrollment's outcome. Installed by {@link ServerModule}; singletons per injector.
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
    EnrollmentOutcomes enrollmentOutcomes(AuditTrail audit) {
        return new EnrollmentOutcomes(List.of(EnrollmentOutcomes.auditing(audit)));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
