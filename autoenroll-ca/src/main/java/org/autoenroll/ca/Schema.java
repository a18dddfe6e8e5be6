package org.autoenroll.ca;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The tables of {@link JdbcCertificateStore} and {@link CrlPublisher}, brought to the newest
 * version by an ordered list of migration steps ({@link #MIGRATIONS}), each recorded in
 * {@code schema_version}. All missing steps run in one transaction at start. On PostgreSQL the
 * transaction first takes an advisory lock, so two instances starting at once run the steps one
 * after the other (PostgreSQL DDL is transactional: the second sees the first's version rows and
 * applies nothing). H2's DDL is not transactional, so every step is idempotent (IF NOT EXISTS) and
 * a duplicate version row from a concurrent start makes the loser retry, which then finds the
 * work done. A database newer than this software is refused. Stateless.
 */
final class Schema {
    /** The SQL dialects supported, told apart by the JDBC driver's product name. */
    enum Dialect {
        H2("BLOB"), POSTGRESQL("BYTEA");

        private final String binary;

        Dialect(String binary) {
            this.binary = binary;
        }

        /** The column type of variable-length binary data (a certificate's DER). */
        String binary() {
            return binary;
        }

        static Dialect of(Connection connection) throws SQLException {
            String product = connection.getMetaData().getDatabaseProductName();
            String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
            if (name.contains("h2")) {
                return H2;
            }
            if (name.contains("postgres")) {
                return POSTGRESQL;
            }
            throw new SQLException("unsupported database " + product + " (H2 and PostgreSQL are supported)");
        }
    }

    /** One step: its version and its statements for a dialect. */
    record Migration(int version, String description, Function<Dialect, List<String>> statements) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "certificates, requests, persons, CRL number", d -> List.of(
                    "CREATE TABLE IF NOT EXISTS certificates ("
                            + " serial NUMERIC(60,0) NOT NULL PRIMARY KEY,"
                            + " customer_uri VARCHAR(1024) NOT NULL,"
                            + " owner VARCHAR(1024) NOT NULL,"
                            + " email VARCHAR(320),"
                            + " request_id VARCHAR(128) NOT NULL,"
                            + " profile VARCHAR(256),"
                            + " der " + d.binary() + " NOT NULL,"
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
                            + " updated_at TIMESTAMP WITH TIME ZONE)")),
            new Migration(2, "index for the delta CRL's revoked-since query", d -> List.of(
                    "CREATE INDEX IF NOT EXISTS certificates_revoked_at ON certificates (revoked_at)")),
            // the full CRL reads WHERE state = 'REVOKED' ORDER BY state, serial along this index:
            // already sorted, so neither H2 (lazy execution) nor PostgreSQL sorts or materializes.
            // The index on state alone is its prefix, and H2's planner preferred it, then sorting
            // all revoked rows in memory: it goes
            new Migration(3, "index for streaming the full CRL in serial order", d -> List.of(
                    "CREATE INDEX IF NOT EXISTS certificates_state_serial ON certificates (state, serial)",
                    "DROP INDEX IF EXISTS certificates_state")),
            // approval: a pending request keeps what the client sent and who decided it. Requests
            // left PENDING by earlier versions carry no CSR and could never be approved or
            // collected: they go (their clients enroll again). findUsable reads an owner's valid,
            // unexpired certificates of one template along certificates_usable, newest expiry
            // first; its (customer_uri, owner) prefix serves findByOwner, so certificates_owner goes
            new Migration(4, "pending requests with what the client sent, decisions, usable-certificate index",
                    d -> List.of(
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS template VARCHAR(256)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS org_id VARCHAR(64)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS email VARCHAR(320)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS common_name VARCHAR(1024)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS csr_pem VARCHAR(65536)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS renew_serial VARCHAR(256)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS decided_by VARCHAR(1024)",
                    "ALTER TABLE requests ADD COLUMN IF NOT EXISTS decided_at TIMESTAMP WITH TIME ZONE",
                    "DELETE FROM requests WHERE state = 'PENDING' AND csr_pem IS NULL",
                    "CREATE INDEX IF NOT EXISTS requests_state_created ON requests (state, created_at, id)",
                    "CREATE INDEX IF NOT EXISTS requests_owner_state ON requests (customer_uri, owner, state)",
                    "CREATE INDEX IF NOT EXISTS certificates_usable"
                            + " ON certificates (customer_uri, owner, profile, state, not_after)",
                    "DROP INDEX IF EXISTS certificates_owner")),
            // the usable query reads an owner's newest certificates of a template: ORDER BY not_after
            // DESC, serial DESC LIMIT n. With serial missing from the index and its columns ascending,
            // H2 sorted all the owner's valid rows (a user holding 50,000 read 50,000 rows, DER
            // included) and PostgreSQL added an incremental sort. In the query's order, both read
            // the n rows along the index and stop
            new Migration(5, "usable-certificate index in the usable query's order", d -> List.of(
                    "CREATE INDEX IF NOT EXISTS certificates_usable_newest"
                            + " ON certificates (customer_uri, owner, profile, state, not_after DESC, serial DESC)",
                    "DROP INDEX IF EXISTS certificates_usable")),
            // operators' certificate searches (JdbcCertificateSearch): each plan reads one range
            // of one of these (or of the primary key, or certificates_state_serial), the keyset
            // cursor as its start
            new Migration(6, "indexes for operators' certificate searches by owner, expiry and template",
                    d -> List.of(
                    "CREATE INDEX IF NOT EXISTS certificates_owner_serial ON certificates (owner, serial)",
                    "CREATE INDEX IF NOT EXISTS certificates_state_expiry ON certificates (state, not_after, serial)",
                    "CREATE INDEX IF NOT EXISTS certificates_profile_state_serial"
                            + " ON certificates (profile, state, serial)")));

    /** The newest schema version this software knows. */
    static final int VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private static final String VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INT NOT NULL PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    /** Any constant: the key of the advisory lock that serializes migrations on PostgreSQL. */
    private static final long MIGRATION_LOCK = 0x6175746f656e726cL;
    private static final int ATTEMPTS = 3;

    private Schema() {
    }

    /**
     * Applies the missing migration steps in one transaction.
     *
     * @return the dialect of the database
     * @throws SQLException when a step fails or the database is newer than this software
     */
    static Dialect migrate(Connection connection, Instant now) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        for (int attempt = 1; ; attempt++) {
            try {
                migrateOnce(connection, dialect, now);
                return dialect;
            } catch (SQLException e) {
                // H2: a concurrent start recorded the same version first; try again, find it done
                if (attempt >= ATTEMPTS || !Jdbc.isConstraintViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static void migrateOnce(Connection connection, Dialect dialect, Instant now) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                // released at commit or rollback; taken before any DDL so concurrent starters queue
                statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            }
            statement.execute(VERSION_TABLE);
            int current;
            try (ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > VERSION) {
                throw new SQLException("the database has schema version " + current
                        + ", newer than this software's " + VERSION);
            }
            for (Migration migration : MIGRATIONS) {
                if (migration.version() <= current) {
                    continue;
                }
                for (String ddl : migration.statements().apply(dialect)) {
                    statement.execute(ddl);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                    insert.setInt(1, migration.version());
                    insert.setObject(2, Jdbc.time(now));
                    insert.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            Jdbc.rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
