package org.autoenroll.server;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import com.google.inject.spi.Message;
import com.google.inject.util.Modules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.PersonStore;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CrlPublisher;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.ca.OcspResponder;
import org.autoenroll.core.ApprovalService;
import org.autoenroll.kerberos.ReplayCache;
import org.autoenroll.server.audit.AuditTrail;
import org.autoenroll.server.audit.EnrollmentOutcomes;
import org.autoenroll.server.config.ConfigException;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.http.AdminAuthentication;
import org.autoenroll.server.http.CaPublication;
import org.autoenroll.server.http.ConfigReloading;
import org.autoenroll.server.http.HealthCheck;
import org.autoenroll.server.http.Operations;
import org.autoenroll.server.http.Readiness;
import org.autoenroll.server.http.Router;
import org.autoenroll.server.metrics.ServerMetrics;

/**
 * Builds the complete runtime of a new configuration before anything is swapped: a new injector of
 * {@link ServerModule} for the new file, in which the parts that outlive a configuration (database,
 * CA, TLS context, replay cache, audit log, metrics, operators) are the running server's own
 * instances, and every other part (tenants, AD server records and their LDAP pools, templates,
 * Kerberos acceptor with its keytabs, the routers) is built anew and eagerly, so that a bad keytab
 * or template fails here and not on the first request. Stateless.
 */
final class ConfigReload {
    /** The parts a reload keeps: bound to the running server's instances in the new injector. */
    static final List<Key<?>> LASTING = List.of(
            Key.get(Clock.class), Key.get(Resources.class), Key.get(ReplayCache.class), Key.get(BuiltInCa.class),
            Key.get(CertificateSigner.class), Key.get(JdbcCertificateStore.class), Key.get(CertificateStore.class),
            Key.get(PersonStore.class), Key.get(CrlPublisher.class), Key.get(OcspResponder.class),
            Key.get(CaPublication.class), Key.get(HealthCheck.class), Key.get(SSLContext.class),
            Key.get(new TypeLiteral<Optional<AdminAuthentication>>() { }), Key.get(ApprovalService.class),
            Key.get(AuditTrail.class), Key.get(EnrollmentOutcomes.class), Key.get(ServerMetrics.class),
            Key.get(Readiness.class), Key.get(Operations.class), Key.get(ConfigReloading.class),
            Key.get(AutoenrollServer.class));

    /** The sections only a restart changes: listener, TLS, ports, database, CA, audit log, limits, Windows, operators. */
    private static final List<Section> FIXED_SECTIONS = List.of(
            new Section("listen", ServerConfig::listen), new Section("database", ServerConfig::database),
            new Section("ca", ServerConfig::ca), new Section("audit", ServerConfig::audit),
            new Section("limits", ServerConfig::limits), new Section("windows", ServerConfig::windows),
            new Section("admin", ServerConfig::admin));

    private record Section(String key, Function<ServerConfig, Object> value) {
    }

    private ConfigReload() {
    }

    /** The problems of reloading {@code next} over {@code running}: one per section that only a restart may change. */
    static List<String> unreloadable(ServerConfig running, ServerConfig next) {
        List<String> problems = new ArrayList<>();
        for (Section section : FIXED_SECTIONS) {
            if (!Objects.equals(section.value().apply(running), section.value().apply(next))) {
                problems.add(section.key() + ": changed, but a reload cannot change it (listen, database, ca, audit, limits,"
                        + " windows and admin stay as started): restart the server to apply it, or undo the change");
            }
        }
        return problems;
    }

    /**
     * The runtime of {@code next}, built completely.
     *
     * @throws ConfigException when any part of it cannot be built; nothing of it stays open then
     */
    static RuntimeSnapshot build(String source, Injector running, ServerConfig next, Module... overrides)
            throws ConfigException {
        // the new configuration's own resources: closed here if the build fails half-way
        Resources resources = new Resources();
        Module lasting = binder -> {
            for (Key<?> key : LASTING) {
                bindInstance(binder, key, running);
            }
            binder.bind(Key.get(Resources.class, Names.named(ServerModule.RELOADABLE))).toInstance(resources);
        };
        Module fresh = overrides.length == 0 ? new ServerModule(next) : Modules.override(new ServerModule(next)).with(overrides);
        Injector injector;
        try {
            injector = Guice.createInjector(Stage.PRODUCTION, Modules.override(fresh).with(lasting));
        } catch (CreationException e) {
            resources.close();
            throw new ConfigException(source, e.getErrorMessages().stream().map(ConfigReload::plain).distinct().toList());
        } catch (ProvisionException e) {
            resources.close();
            throw new ConfigException(source, e.getErrorMessages().stream().map(ConfigReload::plain).distinct().toList());
        } catch (RuntimeException e) {
            resources.close();
            throw new ConfigException(source, List.of("(reload): " + rootMessage(e)));
        }
        return new RuntimeSnapshot(next, injector.getInstance(Router.class),
                injector.getInstance(Key.get(Router.class, Names.named("publication"))),
                resources, injector);
    }

    private static <T> void bindInstance(com.google.inject.Binder binder, Key<T> key, Injector running) {
        binder.bind(key).toInstance(running.getInstance(key));
    }

    /** A build failure in words: the root cause's message (a keytab that cannot be read, a template that cannot be built). */
    private static String plain(Message message) {
        return "(reload): " + (message.getCause() != null ? rootMessage(message.getCause()) : message.getMessage());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() != null && !(e instanceof ProvisionException) ? e.getMessage() : root.getMessage();
        return text == null ? root.getClass().getSimpleName() : text;
    }
}
