package org.autoenroll.ca;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables of {@link JdbcCertificateStore} and {@link CrlPublisher}, created when missing.
 * Version 1; a later version adds migration steps keyed on {@code schema_version}. Stateless.
 */
final class Schema {
    static final int VERSION = 1;

    private static final List<String> V1 = List.of(
            "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE TABLE IF NOT EXISTS certificates ("
                    + " serial NUMERIC(60,0) NOT NULL PRIMARY KEY,"
                    + " customer_uri VARCHAR(1024) NOT NULL,"
                    + " owner VARCHAR(1024) NOT NULL,"
                    + " email VARCHAR(320),"
                    + " request_id VARCHAR(128) NOT NULL,"
                    + " profile VARCHAR(256),"
                    + " der BLOB NOT NULL,"
                    + " not_before TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " not_after TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " state VARCHAR(16) NOT NULL,"
                    + " revocation_reason VARCHAR(32),"
                    + " revoked_at TIMESTAMP WITH TIME ZONE,"
                    + " reported_status VARCHAR(32),"
                    + " reported_at TIMESTAMP WITH TIME ZONE)",
            "CREATE INDEX IF NOT EXISTS certificates_owner ON certificates (customer_uri, owner)",
            "CREATE INDEX IF NOT EXISTS certificates_state ON certificates (state)",
            "CREATE TABLE IF NOT EXISTS requests ("
                    + " id VARCHAR(128) NOT NULL PRIMARY KEY,"
                    + " customer_uri VARCHAR(1024) NOT NULL,"
                    + " owner VARCHAR(1024) NOT NULL,"
                    + " state VARCHAR(16) NOT NULL,"
                    + " serial NUMERIC(60,0),"
                    + " created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE TABLE IF NOT EXISTS persons ("
                    + " customer_uri VARCHAR(1024) NOT NULL,"
                    + " principal VARCHAR(1024) NOT NULL,"
                    + " email VARCHAR(320) NOT NULL,"
                    + " email_key VARCHAR(320) NOT NULL,"
                    + " common_name VARCHAR(1024) NOT NULL,"
                    + " synced_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " CONSTRAINT persons_principal UNIQUE (principal),"
                    + " CONSTRAINT persons_email UNIQUE (email_key))",
            "CREATE TABLE IF NOT EXISTS crl_state ("
                    + " id INT NOT NULL PRIMARY KEY,"
                    + " last_number NUMERIC(40,0) NOT NULL,"
                    + " updated_at TIMESTAMP WITH TIME ZONE)");

    private Schema() {
    }

    /** Creates the missing tables and records version 1, in one transaction. */
    static void create(Connection connection, java.time.Instant now) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String ddl : V1) {
                statement.execute(ddl);
            }
            try (ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                int current = rs.getInt(1);
                if (current > VERSION) {
                    throw new SQLException("the database has schema version " + current
                            + ", newer than this software's " + VERSION);
                }
                if (rs.wasNull()) {
                    try (var insert = connection.prepareStatement(
                            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                        insert.setInt(1, VERSION);
                        insert.setObject(2, Jdbc.time(now));
                        insert.executeUpdate();
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
