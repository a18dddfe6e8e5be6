package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The store contract on H2 (the default embedded database), plus the schema migrations. */
class JdbcCertificateStoreTest extends JdbcCertificateStoreContract {
    @Override
    protected JdbcCertificateStore openStore() throws SQLException {
        return JdbcCertificateStore.h2(dir, clock);
    }

    @Test
    void open_versionOneDatabase_migratedToCurrentAndDataKept() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:v1" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            // what version 1 of this software left behind
            s.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY,"
                    + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            for (String ddl : Schema.MIGRATIONS.get(0).statements().apply(Schema.Dialect.H2)) {
                s.execute(ddl);
            }
            s.execute("INSERT INTO schema_version VALUES (1, CURRENT_TIMESTAMP)");
        }
        try (JdbcCertificateStore v1 = new JdbcCertificateStore(h2, clock)) {
            v1.recordIssued(cert(1), Optional.empty());
        }
        try (JdbcCertificateStore upgraded = new JdbcCertificateStore(h2, clock);
             Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
            rs.next();
            assertEquals(Schema.VERSION, rs.getInt(1));
            assertEquals(Schema.VERSION, rs.getInt(2));
            assertTrue(upgraded.find(BigInteger.ONE).isPresent());
            assertEquals("H2", upgraded.dialect());
        }
    }

    @Test
    void open_databaseNewerThanSoftware_refused() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:future" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (JdbcCertificateStore first = new JdbcCertificateStore(h2, clock);
             Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (" + (Schema.VERSION + 1) + ", CURRENT_TIMESTAMP)");
        }
        assertThrows(SQLException.class, () -> new JdbcCertificateStore(h2, clock));
    }
}
