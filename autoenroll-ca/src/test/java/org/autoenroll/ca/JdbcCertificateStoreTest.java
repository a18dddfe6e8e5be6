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
    void open_versionThreeDatabase_legacyPendingDroppedIssuedKeptPayloadColumnsAdded() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:v3" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY,"
                    + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            for (Schema.Migration m : Schema.MIGRATIONS.subList(0, 3)) {
                for (String ddl : m.statements().apply(Schema.Dialect.H2)) {
                    s.execute(ddl);
                }
                s.execute("INSERT INTO schema_version VALUES (" + m.version() + ", CURRENT_TIMESTAMP)");
            }
            // a pending request of version 3 kept no CSR: it can never be approved or collected
            s.execute("INSERT INTO requests (id, customer_uri, owner, state, created_at)"
                    + " VALUES ('old-pending', 'urn:customer:acme', 'alice@EXAMPLE.COM', 'PENDING', CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO requests (id, customer_uri, owner, state, serial, created_at)"
                    + " VALUES ('old-issued', 'urn:customer:acme', 'alice@EXAMPLE.COM', 'ISSUED', 7, CURRENT_TIMESTAMP)");
        }
        try (JdbcCertificateStore upgraded = new JdbcCertificateStore(h2, clock)) {
            assertTrue(upgraded.findRequest("old-pending").isEmpty());
            assertEquals(BigInteger.valueOf(7), upgraded.findRequest("old-issued").orElseThrow().serial());
            upgraded.recordPending(ApprovalStoreContract.pending("new", ACME, "alice@EXAMPLE.COM", NOW));
            assertEquals("ManagerApproved", upgraded.findRequest("new").orElseThrow().submitted().template());
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

    /** The full CRL query must come sorted from the index: a sort step would hold every revoked row. */
    @Test
    void revocationQuery_afterAnalyze_fullIndexSortedAndDeltaAlongRevokedAt() throws Exception {
        org.autoenroll.ca.testkit.RevokedRows.insert(store.dataSource(), 3000, 3, NOW);
        for (int i = 1; i <= 3000; i++) {
            store.recordIssued(cert(i), Optional.empty());
        }
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
            String full = plan(s, JdbcCertificateStore.revocationQuery(Schema.Dialect.H2, false));
            assertTrue(full.contains("CERTIFICATES_STATE_SERIAL") && full.contains("/* index sorted */"), full);
            String delta = plan(s, JdbcCertificateStore.revocationQuery(Schema.Dialect.H2, true)
                    .replace("?", "TIMESTAMP WITH TIME ZONE '2026-03-01 09:00:00+00'"));
            assertTrue(delta.contains("CERTIFICATES_REVOKED_AT"), delta);
        }
    }

    private static String plan(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
