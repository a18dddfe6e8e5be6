package org.autoenroll.ca;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.autoenroll.ca.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The approval contract on a real PostgreSQL that this class starts (one schema per test). */
class ApprovalStorePostgresTest extends ApprovalStoreContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected JdbcCertificateStore openStore() throws Exception {
        return JdbcCertificateStore.pooled(server.newSchema("a" + SCHEMAS.incrementAndGet()), 10, clock);
    }

    @Override
    protected void analyze(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE certificates");
            s.execute("ANALYZE requests");
        }
    }

    @Override
    protected String explain(Connection c, String query, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + query)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return planText(rs);
            }
        }
    }
}
