package org.autoenroll.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;
import org.autoenroll.server.http.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Healthy when the store's database takes a write, not only a read: each check updates the one
 * row of table {@value #TABLE} (created on first use) and commits. A database that answers
 * queries but cannot write (read-only mode, disk full, a lost lock) can issue nothing, so
 * {@code /healthz} then says DOWN. The reason goes to the log (at most once per change of state).
 * Thread-safe.
 */
final class StoreHealthCheck implements HealthCheck {
    static final String TABLE = "autoenroll_health_probe";
    private static final Logger LOG = LoggerFactory.getLogger(StoreHealthCheck.class);

    private final DataSource dataSource;
    private final Clock clock;
    private volatile boolean lastHealthy = true;

    StoreHealthCheck(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean healthy() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT NOT NULL PRIMARY KEY, checked_at BIGINT NOT NULL)");
            }
            long now = clock.millis();
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET checked_at = ? WHERE id = 1")) {
                update.setLong(1, now);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (id, checked_at) VALUES (1, ?)")) {
                        insert.setLong(1, now);
                        insert.executeUpdate();
                    }
                }
            }
            if (!lastHealthy) {
                LOG.info("the store's database takes writes again");
            }
            lastHealthy = true;
            return true;
        } catch (SQLException | RuntimeException e) {
            if (lastHealthy) {
                LOG.warn("health check: the store's database cannot write (SQLState {}): {}",
                        e instanceof SQLException sql ? sql.getSQLState() : "-", e.getMessage());
            }
            lastHealthy = false;
            return false;
        }
    }
}
