package org.autoenroll.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.time.Clock;
import java.util.OptionalDouble;
import org.autoenroll.kerberos.InMemoryReplayCache;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The gauges that the server test cannot reach: a HikariCP pool (PostgreSQL's) and its states; separate registries. */
class ServerMetricsTest {
    private static OptionalDouble sample(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
            }
        }
        return OptionalDouble.empty();
    }

    @Test
    void hikariPool_connectionsByState_andItsMaximum() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:server-metrics;DB_CLOSE_DELAY=-1");
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            ServerMetrics metrics = new ServerMetrics();
            metrics.dataSource(pool);
            try (Connection held = pool.getConnection()) {
                String text = metrics.scrape();
                assertEquals(1.0, sample(text, "autoenroll_db_pool_connections{state=\"active\"}").orElseThrow(), text);
                assertEquals(0.0, sample(text, "autoenroll_db_pool_connections{state=\"pending\"}").orElseThrow(), text);
                assertEquals(3.0, sample(text, "autoenroll_db_pool_max_connections").orElseThrow(), text);
            }
            assertEquals(0.0, sample(metrics.scrape(), "autoenroll_db_pool_connections{state=\"active\"}").orElseThrow());
        }
    }

    @Test
    void h2WithoutPool_hasNoPoolMetrics_andEachServerHasItsOwnRegistry() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:server-metrics-nopool");
        ServerMetrics first = new ServerMetrics();
        first.dataSource(h2);
        first.replayCache(new InMemoryReplayCache(Clock.systemUTC()));
        ServerMetrics second = new ServerMetrics();
        assertFalse(first.scrape().contains("autoenroll_db_pool"));
        assertEquals(0.0, sample(first.scrape(), "autoenroll_kerberos_replay_cache_entries").orElseThrow());
        assertTrue(sample(second.scrape(), "autoenroll_kerberos_replay_cache_entries").isEmpty());
    }
}
