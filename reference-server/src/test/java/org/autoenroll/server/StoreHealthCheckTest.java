package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz} says DOWN when the store's database answers queries but cannot write (issue 12, item 8). */
class StoreHealthCheckTest {
    @TempDir
    Path dir;

    private JdbcDataSource h2(String options) {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:file:" + dir.resolve("db") + options);
        return source;
    }

    @Test
    void healthy_writableDatabase_trueEachTime() {
        StoreHealthCheck check = new StoreHealthCheck(h2(""), Clock.systemUTC());
        assertTrue(check.healthy());
        assertTrue(check.healthy());
    }

    @Test
    void healthy_databaseThatAnswersQueriesButCannotWrite_false() throws Exception {
        assertTrue(new StoreHealthCheck(h2(""), Clock.systemUTC()).healthy());
        JdbcDataSource readOnly = h2(";ACCESS_MODE_DATA=r");
        // a query still answers: a read probe would have said UP
        try (Connection connection = readOnly.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + StoreHealthCheck.TABLE)) {
            assertTrue(rows.next());
        }
        assertFalse(new StoreHealthCheck(readOnly, Clock.systemUTC()).healthy());
    }
}
