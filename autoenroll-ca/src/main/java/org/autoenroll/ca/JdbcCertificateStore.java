package org.autoenroll.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSearch;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.Person;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.RevocationReason;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issued certificates, enrollment requests and persons in a relational database through JDBC
 * (H2 file database by default, see {@link #h2(Path)}; PostgreSQL for several server instances
 * sharing one database, see {@link #postgresql}). Brings the schema to the current version on
 * start (versioned migrations, see {@code Schema}; safe when several instances start at once).
 *
 * <p>Every write is one transaction at READ COMMITTED, committed before the method returns.
 * Races are decided by conditional updates: of concurrent renewals superseding the same
 * certificate, exactly one changes it from VALID to REVOKED; the others get
 * {@link ErrorCode#INVALID_SERIAL} and record nothing.
 *
 * <p>Thread-safe. {@link #close()} releases the connection that keeps an H2 database open, or
 * the pool of {@link #postgresql}/{@link #pooled}; with a caller's own DataSource it does nothing.
 */
public final class JdbcCertificateStore implements CertificateStore, CertificateSearch, PersonStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCertificateStore.class);
    private static final int FETCH_SIZE = 256;
    /** Rows of a CRL's revocation query per round trip: three small columns each. */
    private static final int REVOCATION_FETCH_SIZE = 4096;
    /** Serials per query of {@link #revokedAmong}: a directory entry's values fit in one. */
    static final int IN_LIST = 256;
    /** Pooled H2 sessions: more than the cores, as a request holds one across a commit's file write. */
    private static final int H2_CONNECTIONS = 8;
    static final String CERT_COLUMNS = "serial, customer_uri, owner, email, request_id, profile, der,"
            + " not_before, not_after, state, revocation_reason, revoked_at, reported_status";
    static final String USABLE_QUERY = "SELECT " + CERT_COLUMNS + " FROM certificates WHERE customer_uri = ?"
            + " AND owner = ? AND profile = ? AND state = 'VALID' AND not_after > ?"
            // the equal columns lead the ORDER BY (no change to the order): H2 reads in index order
            // only when the ORDER BY starts with the index's columns
            + " ORDER BY customer_uri, owner, profile, state, not_after DESC, serial DESC LIMIT ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final Connection keepAlive;
    private final Schema.Dialect dialect;
    private final AutoCloseable pool;
    private final JdbcRequests requests;
    private final JdbcPersons persons;

    /**
     * Uses {@code dataSource} and creates the missing tables.
     *
     * @throws SQLException when the database cannot be reached or the schema not created
     */
    public JdbcCertificateStore(DataSource dataSource, Clock clock) throws SQLException {
        this(dataSource, clock, null);
    }

    private JdbcCertificateStore(DataSource dataSource, Clock clock, Connection keepAlive) throws SQLException {
        this(dataSource, clock, keepAlive, null);
    }

    private JdbcCertificateStore(DataSource dataSource, Clock clock, Connection keepAlive, AutoCloseable pool)
            throws SQLException {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keepAlive = keepAlive;
        this.pool = pool;
        this.requests = new JdbcRequests(dataSource);
        this.persons = new JdbcPersons(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            this.dialect = Schema.migrate(connection, clock.instant());
        }
    }

    /**
     * The (pooled) data source the store uses, for tables others keep in the same database, such
     * as a Kerberos replay cache shared by several server instances. Closed with the store.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A PostgreSQL database through a HikariCP pool of at most {@code maxConnections} connections
     * over the driver's {@link PGSimpleDataSource}: a pool, because PostgreSQL starts a backend
     * process per connection (about 50 ms here) and every store operation takes a connection.
     * {@link #close()} closes the pool.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example.com:5432/autoenroll}
     * @param password the password, or null for trust/peer authentication
     */
    public static JdbcCertificateStore postgresql(String jdbcUrl, String user, char[] password, int maxConnections,
                                                  Clock clock) throws SQLException {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        if (maxConnections < 1 || maxConnections > 1000) {
            throw new IllegalArgumentException("maxConnections must be between 1 and 1000");
        }
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(jdbcUrl);
        if (user != null) {
            postgres.setUser(user);
        }
        if (password != null) {
            postgres.setPassword(new String(password));
        }
        return pooled(postgres, maxConnections, clock);
    }

    /**
     * {@code dataSource} (e.g. a {@link PGSimpleDataSource}) behind a HikariCP pool of at most
     * {@code maxConnections}; {@link #close()} closes the pool.
     */
    public static JdbcCertificateStore pooled(DataSource dataSource, int maxConnections, Clock clock)
            throws SQLException {
        com.zaxxer.hikari.HikariDataSource pool = hikari(Objects.requireNonNull(dataSource, "dataSource"), maxConnections);
        try {
            return new JdbcCertificateStore(pool, clock, null, pool);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static boolean hikariPresent() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, JdbcCertificateStore.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void closeQuietly(AutoCloseable pool, Exception cause) {
        if (pool != null) {
            try {
                pool.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    private static com.zaxxer.hikari.HikariDataSource hikari(DataSource dataSource, int maxConnections)
            throws SQLException {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(Math.min(2, maxConnections));
        config.setPoolName("autoenroll-store");
        // the store sets autocommit and isolation per operation itself
        config.setAutoCommit(true);
        try {
            return new com.zaxxer.hikari.HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new SQLException("cannot open the database connection pool: " + e.getMessage(), e);
        }
    }

    /** The SQL dialect of the database, found when the store was opened. */
    String dialect() {
        return dialect.name();
    }

    /** An H2 file database {@code <dataDir>/autoenroll.mv.db} with the system clock. */
    public static JdbcCertificateStore h2(Path dataDir) throws SQLException {
        return h2(dataDir, Clock.systemUTC());
    }

    /**
     * An H2 file database {@code <dataDir>/autoenroll.mv.db}, created when missing. The store keeps
     * one connection open so the database stays open between calls, and takes its sessions from a
     * HikariCP pool of 8 when HikariCP is on the class path (plain new sessions otherwise);
     * {@link #close()} closes both.
     */
    public static JdbcCertificateStore h2(Path dataDir, Clock clock) throws SQLException {
        String dir = dataDir.toAbsolutePath().normalize().toString();
        if (dir.contains(";")) {
            throw new IllegalArgumentException("the data directory path must not contain ';'");
        }
        JdbcDataSource h2 = new JdbcDataSource();
        // LOCK_TIMEOUT: concurrent renewals of one certificate queue up instead of failing;
        // WRITE_DELAY=0: a commit is written to the file before recordIssued returns (the default
        // 500 ms delay could lose an issued certificate's record in a crash)
        h2.setURL("jdbc:h2:file:" + dir + "/autoenroll;LOCK_TIMEOUT=10000;WRITE_DELAY=0");
        h2.setUser("sa");
        h2.setPassword("");
        Connection keepAlive = h2.getConnection();
        // a pool for H2 too: each new H2 connection is a new session (its own query cache and
        // prepared statements), which cost more than the queries of an enrollment
        // (HikariCP is an optional dependency: without it, plain sessions as before)
        AutoCloseable pool = null;
        try {
            DataSource source = h2;
            if (hikariPresent()) {
                com.zaxxer.hikari.HikariDataSource hikari = hikari(h2, H2_CONNECTIONS);
                pool = hikari;
                source = hikari;
            }
            return new JdbcCertificateStore(source, clock, keepAlive, pool);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(pool, e);
            keepAlive.close();
            throw e;
        }
    }

    @Override
    public void recordIssued(CertificateRecord certificate, Optional<BigInteger> supersedes) throws EnrollmentException {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(supersedes, "supersedes");
        try (Connection c = Jdbc.begin(dataSource)) {
            try {
                if (supersedes.isPresent()) {
                    // the row lock taken here serializes renewals of one certificate; the state
                    // condition lets exactly one of them through
                    try (PreparedStatement ps = c.prepareStatement("UPDATE certificates SET state = 'REVOKED',"
                            + " revocation_reason = ?, revoked_at = ? WHERE serial = ? AND state = 'VALID'"
                            + " AND customer_uri = ? AND owner = ?")) {
                        ps.setString(1, RevocationReason.SUPERSEDED.name());
                        ps.setObject(2, Jdbc.time(clock.instant()));
                        ps.setBigDecimal(3, Jdbc.serial(supersedes.get()));
                        ps.setString(4, certificate.customerUri());
                        ps.setString(5, certificate.owner());
                        if (ps.executeUpdate() != 1) {
                            c.rollback();
                            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "certificate " + hex(supersedes.get())
                                    + " is not a valid certificate of " + certificate.owner() + " (already renewed or revoked)");
                        }
                    }
                }
                insertCertificate(c, certificate, clock.instant());
                JdbcRequests.recordIssued(c, certificate, clock.instant());
                c.commit();
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, Jdbc.isConstraintViolation(e)
                    ? "serial " + hex(certificate.serial()) + " or request " + certificate.requestId() + " is already recorded"
                    : "cannot record certificate " + hex(certificate.serial()), e);
        }
    }

    private static void insertCertificate(Connection c, CertificateRecord r, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (" + CERT_COLUMNS
                + ", reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setBigDecimal(1, Jdbc.serial(r.serial()));
            ps.setString(2, r.customerUri());
            ps.setString(3, r.owner());
            ps.setString(4, r.email());
            ps.setString(5, r.requestId());
            ps.setString(6, r.profile());
            ps.setBytes(7, r.der());
            ps.setObject(8, Jdbc.time(r.notBefore()));
            ps.setObject(9, Jdbc.time(r.notAfter()));
            ps.setString(10, r.state().name());
            ps.setString(11, r.revocationReason() == null ? null : r.revocationReason().name());
            ps.setObject(12, Jdbc.time(r.revokedAt()));
            ps.setString(13, r.reportedStatus() == null ? null : r.reportedStatus().name());
            ps.setObject(14, r.reportedStatus() == null ? null : Jdbc.time(now));
            ps.executeUpdate();
        }
    }

    @Override
    public void recordPending(RequestRecord request) throws EnrollmentException {
        requests.recordPending(request);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only a PENDING request changes; of two officers deciding at once exactly one gets true.
     *
     * @throws IllegalArgumentException when {@code decision} is neither APPROVED nor DENIED, or
     *     {@code officer} is blank
     */
    @Override
    public boolean decide(String requestId, RequestRecord.State decision, String officer, Instant at)
            throws EnrollmentException {
        return requests.decide(requestId, decision, officer, at);
    }

    /**
     * {@inheritDoc}
     *
     * <p>With {@code after} and a null {@code afterId}, those created strictly after {@code after}.
     *
     * @throws IllegalArgumentException when {@code limit} is not between 1 and 1000
     */
    @Override
    public List<RequestRecord> findPending(String customerUri, Instant after, String afterId, int limit)
            throws EnrollmentException {
        return requests.findPending(customerUri, after, afterId, limit);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code limit} is not between 1 and 1000
     */
    @Override
    public List<RequestRecord> findWaiting(String customerUri, String owner, int limit) throws EnrollmentException {
        return requests.findWaiting(customerUri, owner, limit);
    }

    @Override
    public Optional<RequestRecord> findRequest(String requestId) throws EnrollmentException {
        return requests.find(requestId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Newest is latest expiry first (one template's certificates share a validity), read in that
     * order along the (customer_uri, owner, profile, state, not_after DESC, serial DESC) index
     * without a sort: the cost does not grow with what the owner holds.
     *
     * @throws IllegalArgumentException when {@code limit} is not between 1 and 1000
     */
    @Override
    public List<CertificateRecord> findUsable(String customerUri, String owner, String profile, Instant now, int limit)
            throws EnrollmentException {
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(now, "now");
        JdbcRequests.checkLimit(limit);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(USABLE_QUERY)) {
            ps.setString(1, customerUri);
            ps.setString(2, owner);
            ps.setString(3, profile);
            ps.setObject(4, Jdbc.time(now));
            ps.setInt(5, limit);
            List<CertificateRecord> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(certificate(rs));
                }
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot read the usable certificates of " + owner, e);
        }
    }

    @Override
    public Optional<CertificateRecord> find(BigInteger serial) throws EnrollmentException {
        Objects.requireNonNull(serial, "serial");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + CERT_COLUMNS + " FROM certificates WHERE serial = ?")) {
            ps.setBigDecimal(1, Jdbc.serial(serial));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(certificate(rs)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot read certificate " + hex(serial), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query per {@value #IN_LIST} serials, along the primary key, reading no DER.
     */
    @Override
    public java.util.Set<BigInteger> revokedAmong(java.util.Collection<BigInteger> serials) throws EnrollmentException {
        Objects.requireNonNull(serials, "serials");
        List<BigInteger> all = List.copyOf(serials);
        java.util.Set<BigInteger> revoked = new java.util.HashSet<>();
        if (all.isEmpty()) {
            return revoked;
        }
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += IN_LIST) {
                List<BigInteger> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
                try (PreparedStatement ps = c.prepareStatement(revokedAmongQuery(chunk.size()))) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setBigDecimal(i + 1, Jdbc.serial(chunk.get(i)));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if ("REVOKED".equals(rs.getString("state"))) {
                                revoked.add(Jdbc.serial(rs, "serial"));
                            }
                        }
                    }
                }
            }
            return revoked;
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot read the states of " + all.size() + " certificates", e);
        }
    }

    static String revokedAmongQuery(int serials) {
        // the state is filtered here, not in SQL: with it, H2 chose the (state, serial) index and read
        // every revoked row
        return "SELECT serial, state FROM certificates WHERE serial IN ("
                + String.join(", ", java.util.Collections.nCopies(serials, "?")) + ")";
    }

    @Override
    public List<CertificateRecord> findByOwner(String customerUri, String owner) throws EnrollmentException {
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(owner, "owner");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + CERT_COLUMNS + " FROM certificates"
                     + " WHERE customer_uri = ? AND owner = ? ORDER BY not_before DESC, serial DESC")) {
            ps.setString(1, customerUri);
            ps.setString(2, owner);
            List<CertificateRecord> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(certificate(rs));
                }
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot read the certificates of " + owner, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each page is one or two range reads along an index (see {@code JdbcCertificateSearch}).
     */
    @Override
    public List<CertificateRecord> search(CertificateQuery query) throws EnrollmentException {
        try {
            return new JdbcCertificateSearch(dataSource).search(query);
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot search the certificates", e);
        }
    }

    @Override
    public boolean revoke(BigInteger serial, RevocationReason reason, Instant at) throws EnrollmentException {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        try (Connection c = Jdbc.begin(dataSource)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE certificates SET state = 'REVOKED',"
                    + " revocation_reason = ?, revoked_at = ? WHERE serial = ? AND state = 'VALID'")) {
                ps.setString(1, reason.name());
                ps.setObject(2, Jdbc.time(at));
                ps.setBigDecimal(3, Jdbc.serial(serial));
                int changed = ps.executeUpdate();
                c.commit();
                return changed == 1;
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot revoke certificate " + hex(serial), e);
        }
    }

    /**
     * Streams the revoked certificates in serial order from one result set read {@value #FETCH_SIZE}
     * rows at a time. An exception thrown by {@code sink} stops the iteration and propagates.
     */
    @Override
    public void forEachRevoked(Consumer<CertificateRecord> sink) throws EnrollmentException {
        Objects.requireNonNull(sink, "sink");
        try (Connection c = dataSource.getConnection()) {
            // some drivers (PostgreSQL) only stream with autocommit off
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CERT_COLUMNS
                    + " FROM certificates WHERE state = 'REVOKED' ORDER BY serial",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(certificate(rs));
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot read the revoked certificates", e);
        }
    }

    /**
     * Receives the revocations of {@link #forEachRevocation} one at a time. The serial is
     * positive; {@code revokedAt} is never null (the certificate's notBefore when no time was
     * recorded); the reason is never null ({@link RevocationReason#UNSPECIFIED} when none was recorded).
     */
    @FunctionalInterface
    public interface RevocationSink {
        void revoked(BigInteger serial, Instant revokedAt, RevocationReason reason) throws java.io.IOException;
    }

    /**
     * Streams what a CRL needs of each revoked certificate, in serial order: serial, revocation
     * time and reason only (the certificate's DER is not read). With {@code since} null, every
     * revoked certificate (a full CRL); otherwise those revoked at or after {@code since} (a delta).
     * Holds no more than one fetch of rows in memory: PostgreSQL streams with a fetch size inside a
     * transaction (autocommit off), H2 runs the query with lazy execution (the (state, serial)
     * index gives the order, so H2 does not sort or materialize the result). An IOException thrown by
     * {@code sink} stops the iteration and propagates unchanged.
     *
     * @throws EnrollmentException {@link ErrorCode#ENROLLMENT_FAILED} when the database fails
     */
    public void forEachRevocation(Instant since, RevocationSink sink) throws EnrollmentException, java.io.IOException {
        Objects.requireNonNull(sink, "sink");
        String sql = revocationQuery(dialect, since != null);
        try (Connection c = dataSource.getConnection()) {
            boolean lazy = dialect == Schema.Dialect.H2;
            c.setAutoCommit(false);
            try {
                if (lazy) {
                    setLazy(c, true);
                }
                try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY)) {
                    if (since != null) {
                        ps.setObject(1, Jdbc.time(since));
                    }
                    ps.setFetchSize(REVOCATION_FETCH_SIZE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            BigInteger serial = rs.getBigDecimal(1).toBigIntegerExact();
                            java.time.OffsetDateTime at = rs.getObject(2, java.time.OffsetDateTime.class);
                            if (at == null) {
                                at = rs.getObject(4, java.time.OffsetDateTime.class);
                            }
                            String reason = rs.getString(3);
                            sink.revoked(serial, at.toInstant(),
                                    reason == null ? RevocationReason.UNSPECIFIED : RevocationReason.valueOf(reason));
                        }
                    }
                }
            } finally {
                c.rollback();
                if (lazy) {
                    // a pooled H2 connection goes back as it came
                    setLazy(c, false);
                }
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot read the revoked certificates", e);
        }
    }

    /**
     * The full list along the (state, serial) index, sorted without a sort step; a delta (few
     * rows) along the revoked_at index, sorting its few rows: H2's planner would scan all revoked
     * rows along (state, serial) instead, so it is told.
     */
    static String revocationQuery(Schema.Dialect dialect, boolean delta) {
        return "SELECT serial, revoked_at, revocation_reason, not_before FROM certificates"
                + (delta && dialect == Schema.Dialect.H2 ? " USE INDEX (certificates_revoked_at)" : "")
                + " WHERE state = 'REVOKED'"
                + (delta ? " AND revoked_at >= ? ORDER BY serial" : " ORDER BY state, serial");
    }

    private static void setLazy(Connection c, boolean lazy) throws SQLException {
        try (java.sql.Statement statement = c.createStatement()) {
            statement.execute("SET LAZY_QUERY_EXECUTION " + (lazy ? "TRUE" : "FALSE"));
        }
    }

    /**
     * Records the client's report.
     *
     * @throws EnrollmentException {@link ErrorCode#INVALID_SERIAL} when no certificate has this
     *     serial; {@link ErrorCode#STATUS_PROCESSING_FAILED} when the storage fails (the error a
     *     status report gets, docs/ARCHITECTURE.md, status reports)
     */
    @Override
    public void recordStatus(BigInteger serial, ReportedStatus status, Instant at) throws EnrollmentException {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        int changed;
        try (Connection c = Jdbc.begin(dataSource)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE certificates SET reported_status = ?, reported_at = ? WHERE serial = ?")) {
                ps.setString(1, status.name());
                ps.setObject(2, Jdbc.time(at));
                ps.setBigDecimal(3, Jdbc.serial(serial));
                changed = ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw storageFailure(ErrorCode.STATUS_PROCESSING_FAILED, "cannot record the status of " + hex(serial), e);
        }
        if (changed != 1) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "no certificate has serial " + hex(serial));
        }
    }

    /**
     * Creates or updates the person. The directory is authoritative within a customer: when the
     * e-mail now belongs to this principal, a stale person of the same customer holding it (an
     * account renamed in AD) is removed. Across customers nothing moves: PERSON_MISMATCH.
     */
    @Override
    public Person sync(Person person) throws EnrollmentException {
        return persons.sync(person);
    }

    @Override
    public Optional<Person> find(String customerUri, String principal) throws EnrollmentException {
        return persons.find(customerUri, principal);
    }

    /** How many certificates are revoked: changes whenever a revocation is recorded (by any process). */
    long revokedCount() throws EnrollmentException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM certificates WHERE state = 'REVOKED'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot count the revoked certificates", e);
        }
    }

    /** Takes the next CRL number, persisted, so numbers grow across restarts (RFC 5280 5.2.3). */
    BigInteger nextCrlNumber(Instant now) throws EnrollmentException {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = Jdbc.begin(dataSource)) {
                try {
                    BigInteger next;
                    try (PreparedStatement ps = c.prepareStatement("UPDATE crl_state SET last_number = last_number + 1,"
                            + " updated_at = ? WHERE id = 1")) {
                        ps.setObject(1, Jdbc.time(now));
                        if (ps.executeUpdate() == 1) {
                            try (PreparedStatement q = c.prepareStatement("SELECT last_number FROM crl_state WHERE id = 1");
                                 ResultSet rs = q.executeQuery()) {
                                rs.next();
                                next = Jdbc.serial(rs, "last_number");
                            }
                        } else {
                            next = BigInteger.ONE;
                            try (PreparedStatement insert = c.prepareStatement(
                                    "INSERT INTO crl_state (id, last_number, updated_at) VALUES (1, 1, ?)")) {
                                insert.setObject(1, Jdbc.time(now));
                                insert.executeUpdate();
                            }
                        }
                    }
                    c.commit();
                    return next;
                } catch (SQLException e) {
                    Jdbc.rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                // the first CRL ever, made by two threads: the loser of the insert tries again
                if (attempt == 0 && Jdbc.isConstraintViolation(e)) {
                    continue;
                }
                throw storageFailure(ErrorCode.ENROLLMENT_FAILED, "cannot take the next CRL number", e);
            }
        }
    }

    static CertificateRecord certificate(ResultSet rs) throws SQLException {
        String reason = rs.getString("revocation_reason");
        String reported = rs.getString("reported_status");
        return new CertificateRecord(Jdbc.serial(rs, "serial"), rs.getString("customer_uri"), rs.getString("owner"),
                rs.getString("email"), rs.getString("request_id"), rs.getString("profile"), rs.getBytes("der"),
                Jdbc.instant(rs, "not_before"), Jdbc.instant(rs, "not_after"),
                CertificateState.valueOf(rs.getString("state")),
                reason == null ? null : RevocationReason.valueOf(reason), Jdbc.instant(rs, "revoked_at"),
                reported == null ? null : ReportedStatus.valueOf(reported));
    }

    private static EnrollmentException storageFailure(ErrorCode code, String detail, Exception cause) {
        LOG.error("certificate store: {}", detail, cause);
        return new EnrollmentException(code, detail, cause);
    }

    @Override
    public void close() {
        if (pool != null) {
            try {
                pool.close();
            } catch (Exception e) {
                LOG.warn("closing the connection pool failed", e);
            }
        }
        if (keepAlive != null) {
            try {
                keepAlive.close();
            } catch (SQLException e) {
                LOG.warn("closing the database failed", e);
            }
        }
    }

    /** Serials in details as the API writes them: upper-case hex, never decimal. */
    private static String hex(java.math.BigInteger serial) {
        return serial.toString(16).toUpperCase(java.util.Locale.ROOT);
    }
}
