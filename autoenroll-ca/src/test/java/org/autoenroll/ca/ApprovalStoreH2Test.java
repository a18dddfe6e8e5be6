package org.autoenroll.ca;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The approval contract on H2, the default embedded database. */
class ApprovalStoreH2Test extends ApprovalStoreContract {
    @Override
    protected JdbcCertificateStore openStore() throws SQLException {
        return JdbcCertificateStore.h2(dir, clock);
    }

    @Override
    protected void analyze(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE");
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
