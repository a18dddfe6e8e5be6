package org.autoenroll.server;

import com.google.inject.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.autoenroll.server.audit.AuditTrail;
import org.autoenroll.server.config.ConfigException;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.http.ConfigReloading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reload for an {@link AutoenrollServer}: reads and validates the file, refuses a change to
 * what only a restart changes, builds the complete new runtime ({@link ConfigReload}), swaps it in
 * atomically, logs and audits the outcome ({@code CONFIG_LOADED} with {@code "reload": true}, or
 * {@code CONFIG_REFUSED} with the problems), and closes the replaced runtime's resources once no
 * request uses it any more (at the latest after {@link #GRACE}). One reload at a time; thread-safe.
 */
final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
    /** The longest a replaced runtime waits for its requests before its resources close anyway. */
    static final Duration GRACE = Duration.ofSeconds(60);
    /** The shortest: a request may have taken the old snapshot just before the swap without counting itself yet. */
    private static final Duration MIN_GRACE = Duration.ofSeconds(1);

    private final AtomicReference<RuntimeSnapshot> runtime;
    private final Set<RuntimeSnapshot> retiring = ConcurrentHashMap.newKeySet();
    private volatile Path file;
    private volatile Module[] overrides = new Module[0];

    ConfigReloader(AtomicReference<RuntimeSnapshot> runtime) {
        this.runtime = runtime;
    }

    void file(Path file) {
        this.file = file;
    }

    void overrides(Module... overrides) {
        this.overrides = overrides.clone();
    }

    synchronized ConfigReloading.Outcome reload() {
        RuntimeSnapshot current = runtime.get();
        AuditTrail audit = current.injector == null ? AuditTrail.NONE : current.injector.getInstance(AuditTrail.class);
        Path source = file;
        if (source == null || current.injector == null) {
            return refused(audit, List.of("(reload): this server was not started from a configuration file"));
        }
        RuntimeSnapshot next;
        List<String> warnings;
        try {
            ServerConfig config = new ConfigLoader().load(source);
            List<String> fixed = ConfigReload.unreloadable(current.config, config);
            if (!fixed.isEmpty()) {
                throw new ConfigException(source.toString(), fixed);
            }
            next = ConfigReload.build(source.toString(), current.injector, config, overrides);
            warnings = StartupChecks.warnings(config);
        } catch (ConfigException e) {
            return refused(audit, e.problems());
        } catch (IOException e) {
            return refused(audit, List.of("(file): cannot read " + source + ": " + e.getMessage()));
        }
        runtime.set(next);
        retire(current);
        Map<String, Object> summary = new LinkedHashMap<>(OperationsModule.configSummary(next.config));
        Map<String, Object> event = new LinkedHashMap<>(summary);
        event.put("reload", true);
        audit.record("CONFIG_LOADED", event);
        warnings.forEach(warning -> LOG.warn("configuration: {}", warning));
        LOG.info("configuration reloaded from {}: {}", source, summary);
        return ConfigReloading.Outcome.reloaded(summary, warnings);
    }

    private ConfigReloading.Outcome refused(AuditTrail audit, List<String> problems) {
        LOG.warn("configuration reload refused; the running configuration stays:\n  {}", String.join("\n  ", problems));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("problems", problems);
        audit.record("CONFIG_REFUSED", event);
        return ConfigReloading.Outcome.refused(problems);
    }

    /** Closes {@code old}'s resources once its requests are done, on a thread of its own (a reload never waits for them). */
    void retire(RuntimeSnapshot old) {
        retiring.add(old);
        Thread closer = new Thread(() -> {
            long start = System.nanoTime();
            try {
                while (true) {
                    long waited = System.nanoTime() - start;
                    if (waited >= GRACE.toNanos() || (waited >= MIN_GRACE.toNanos() && old.inFlight() == 0)) {
                        break;
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (old.inFlight() > 0) {
                LOG.warn("{} request(s) still use the replaced configuration after {}; closing its LDAP pools anyway",
                        old.inFlight(), GRACE);
            }
            close(old);
        }, "config-retire");
        closer.setDaemon(true);
        closer.start();
    }

    private void close(RuntimeSnapshot old) {
        if (retiring.remove(old)) {
            old.resources.close();
        }
    }

    /** At stop: closes every replaced runtime still waiting for its grace period. */
    void close() {
        new ArrayList<>(retiring).forEach(this::close);
    }
}
