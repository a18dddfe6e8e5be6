package org.autoenroll.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import javax.sql.DataSource;
import org.autoenroll.core.pipeline.StepObserver;
import org.autoenroll.kerberos.InMemoryReplayCache;
import org.autoenroll.kerberos.JdbcReplayCache;
import org.autoenroll.kerberos.ReplayCache;
import org.autoenroll.ldap.LdapDirectoryLookup;
import org.autoenroll.server.audit.EnrollmentOutcomes;
import org.autoenroll.server.http.CaPublication;
import org.autoenroll.server.http.CrlStatus;

/**
 * The server's meters, in a Prometheus registry of its own (never Micrometer's global one, so that
 * several servers in one JVM keep theirs apart):
 * <ul>
 *   <li>{@code autoenroll_enrollments_total{outcome, code}}: requests issued, renewed, pending,
 *       refused (with the code) or failed;</li>
 *   <li>{@code autoenroll_pipeline_step_seconds{step, outcome}}: each pipeline step's own time
 *       (without the steps after it), a histogram;</li>
 *   <li>{@code autoenroll_ca_sign_seconds{outcome}}: the CA's signing time;</li>
 *   <li>{@code autoenroll_kerberos_replay_cache_entries}: authenticators remembered against replay;</li>
 *   <li>{@code autoenroll_crl_age_seconds}, {@code autoenroll_crl_size_bytes},
 *       {@code autoenroll_crl_next_update_seconds}: the CRL served now;</li>
 *   <li>{@code autoenroll_db_pool_connections{state}} and {@code autoenroll_db_pool_max_connections}:
 *       the database pool, when it is HikariCP (PostgreSQL, and H2 since its sessions are pooled);</li>
 *   <li>{@code autoenroll_ldap_pool_available_connections{ad_server}},
 *       {@code autoenroll_ldap_pool_max_connections{ad_server}} and
 *       {@code autoenroll_ldap_pool_failed_checkouts{ad_server}} (since the pool was built): each AD
 *       server record's LDAP connection pool once built, refreshed at each scrape (records come and go).</li>
 * </ul>
 * A gauge whose source fails reads NaN. Thread-safe.
 */
public final class ServerMetrics {
    /** Bounds of the latency histograms: 1 ms to 10 s. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final java.util.List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The Prometheus text exposition of every meter, now. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Watches the LDAP connection pools of {@code states}, one row per AD server record, read at each scrape. */
    public void ldapPools(java.util.function.Supplier<java.util.List<LdapDirectoryLookup.PoolState>> states) {
        MultiGauge available = MultiGauge.builder("autoenroll.ldap.pool.available.connections")
                .description("idle connections of each AD server's LDAP pool").register(registry);
        MultiGauge max = MultiGauge.builder("autoenroll.ldap.pool.max.connections")
                .description("the most connections each AD server's LDAP pool keeps").register(registry);
        MultiGauge failed = MultiGauge.builder("autoenroll.ldap.pool.failed.checkouts")
                .description("failed attempts to get a connection from each AD server's LDAP pool since it was built")
                .register(registry);
        beforeScrape.add(() -> {
            java.util.List<LdapDirectoryLookup.PoolState> now;
            try {
                now = states.get();
            } catch (RuntimeException e) {
                now = java.util.List.of();
            }
            available.register(now.stream().map(s -> MultiGauge.Row.of(Tags.of("ad_server", s.adServerId()),
                    s.availableConnections())).toList(), true);
            max.register(now.stream().map(s -> MultiGauge.Row.of(Tags.of("ad_server", s.adServerId()),
                    s.maxConnections())).toList(), true);
            failed.register(now.stream().map(s -> MultiGauge.Row.of(Tags.of("ad_server", s.adServerId()),
                    s.failedCheckouts())).toList(), true);
        });
    }

    /** Times each pipeline step by its name and outcome. */
    public StepObserver stepObserver() {
        return (requestId, step, outcome, code, selfTime) -> timer("autoenroll.pipeline.step",
                "each pipeline step's own time", "step", step, "outcome", outcome.name().toLowerCase(Locale.ROOT))
                .record(selfTime);
    }

    /** Counts each enrollment by outcome and code ({@code none} for those without one). */
    public EnrollmentOutcomes.Listener enrollments() {
        return outcome -> Counter.builder("autoenroll.enrollments").description("enrollment requests by outcome and code")
                .tag("outcome", outcome.kind().name().toLowerCase(Locale.ROOT))
                .tag("code", outcome.code() == null ? "none" : Integer.toString(outcome.code().code()))
                .register(registry).increment();
    }

    /** Records the time of one CA signing. */
    void signed(Duration time, boolean ok) {
        timer("autoenroll.ca.sign", "the CA's signing time", "outcome", ok ? "signed" : "failed").record(time);
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** Watches the replay cache's size (in memory, or the shared table's rows). */
    public void replayCache(ReplayCache cache) {
        ToIntFunction<ReplayCache> size = cache instanceof InMemoryReplayCache memory ? c -> memory.size()
                : cache instanceof JdbcReplayCache jdbc ? c -> jdbc.size() : null;
        if (size != null) {
            gauge("autoenroll.kerberos.replay.cache.entries", "authenticators remembered against replay", cache,
                    c -> size.applyAsInt(c), null);
        }
    }

    /** Watches the CRL that {@code ca} serves: its age, size and the time left to its nextUpdate. */
    public void crl(CaPublication ca, Clock clock) {
        gauge("autoenroll.crl.age", "time since the served CRL's thisUpdate", ca,
                c -> Duration.between(CrlStatus.read(c).thisUpdate(), clock.instant()).toMillis() / 1000.0, "seconds");
        gauge("autoenroll.crl.size", "the served CRL's size", ca, c -> CrlStatus.read(c).bytes(), "bytes");
        gauge("autoenroll.crl.next.update", "time left until the served CRL's nextUpdate", ca,
                c -> CrlStatus.read(c).nextUpdate().map(next -> Duration.between(clock.instant(), next).toMillis() / 1000.0)
                        .orElse(Double.NaN), "seconds");
    }

    /** Watches the store's connection pool, when it is HikariCP's (PostgreSQL, and H2 when HikariCP is on the class path). */
    public void dataSource(DataSource dataSource) {
        if (!(dataSource instanceof HikariDataSource hikari)) {
            return;
        }
        for (String state : new String[] {"active", "idle", "pending"}) {
            Gauge.builder("autoenroll.db.pool.connections", hikari, h -> pool(h, state))
                    .description("connections of the database pool by state").tag("state", state).register(registry);
        }
        gauge("autoenroll.db.pool.max.connections", "the database pool's largest size", hikari,
                HikariDataSource::getMaximumPoolSize, null);
    }

    private static double pool(HikariDataSource hikari, String state) {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return Double.NaN;
        }
        return switch (state) {
            case "active" -> pool.getActiveConnections();
            case "idle" -> pool.getIdleConnections();
            default -> pool.getThreadsAwaitingConnection();
        };
    }

    /** A source of a gauge's value that may fail. */
    @FunctionalInterface
    private interface Reading<T> {
        double read(T source) throws Exception;
    }

    private <T> void gauge(String name, String description, T source, Reading<T> reading, String unit) {
        ToDoubleFunction<T> safe = s -> {
            try {
                return reading.read(s);
            } catch (Exception e) {
                return Double.NaN;
            }
        };
        Gauge.Builder<T> builder = Gauge.builder(name, source, safe).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.strongReference(true).register(registry);
    }
}
