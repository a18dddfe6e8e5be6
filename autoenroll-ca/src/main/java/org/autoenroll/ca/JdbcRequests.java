package org.autoenroll.ca;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RequestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code requests} table for {@link JdbcCertificateStore}: pending requests with what the
 * client sent, officers' decisions, paging of pending requests and the waiting requests of an
 * owner. A decision is a conditional update (only a PENDING row changes), so of two officers
 * deciding at once exactly one wins. Thread-safe.
 */
final class JdbcRequests {
    /** The most rows one page or list may ask for. */
    static final int MAX_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRequests.class);
    private static final String COLUMNS = "id, customer_uri, owner, state, serial, created_at, template, org_id,"
            + " email, common_name, csr_pem, renew_serial, decided_by, decided_at";

    private final DataSource dataSource;

    JdbcRequests(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    void recordPending(RequestRecord request) throws EnrollmentException {
        Objects.requireNonNull(request, "request");
        if (request.state() != RequestRecord.State.PENDING) {
            throw new IllegalArgumentException("only a pending request is recorded as pending, not " + request.state());
        }
        RequestRecord.Submitted sent = request.submitted();
        try (Connection c = Jdbc.begin(dataSource)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO requests (id, customer_uri, owner, state,"
                    + " created_at, template, org_id, email, common_name, csr_pem, renew_serial)"
                    + " VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, request.id());
                ps.setString(2, request.customerUri());
                ps.setString(3, request.owner());
                ps.setObject(4, Jdbc.time(request.createdAt()));
                ps.setString(5, sent.template());
                ps.setString(6, sent.orgId());
                ps.setString(7, sent.email());
                ps.setString(8, sent.commonName());
                ps.setString(9, sent.csrPem());
                ps.setString(10, sent.renewSerial());
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(Jdbc.isConstraintViolation(e)
                    ? "request " + request.id() + " is already recorded" : "cannot record request " + request.id(), e);
        }
    }

    /**
     * In the transaction of {@code c}: the pending or approved request of the certificate becomes
     * issued; a request issued at once is inserted as issued.
     */
    static void recordIssued(Connection c, CertificateRecord r, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE requests SET state = 'ISSUED', serial = ?"
                + " WHERE id = ? AND state IN ('PENDING', 'APPROVED') AND customer_uri = ? AND owner = ?")) {
            ps.setBigDecimal(1, Jdbc.serial(r.serial()));
            ps.setString(2, r.requestId());
            ps.setString(3, r.customerUri());
            ps.setString(4, r.owner());
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO requests (id, customer_uri, owner, state, serial,"
                + " created_at) VALUES (?, ?, ?, 'ISSUED', ?, ?)")) {
            ps.setString(1, r.requestId());
            ps.setString(2, r.customerUri());
            ps.setString(3, r.owner());
            ps.setBigDecimal(4, Jdbc.serial(r.serial()));
            ps.setObject(5, Jdbc.time(now));
            ps.executeUpdate();
        }
    }

    Optional<RequestRecord> find(String requestId) throws EnrollmentException {
        Objects.requireNonNull(requestId, "requestId");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM requests WHERE id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(request(rs)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            throw failure("cannot read request " + requestId, e);
        }
    }

    boolean decide(String requestId, RequestRecord.State decision, String officer, Instant at)
            throws EnrollmentException {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(officer, "officer");
        Objects.requireNonNull(at, "at");
        if (decision != RequestRecord.State.APPROVED && decision != RequestRecord.State.DENIED) {
            throw new IllegalArgumentException("a decision approves or denies, not " + decision);
        }
        if (officer.isBlank()) {
            throw new IllegalArgumentException("a decision names the officer who took it");
        }
        try (Connection c = Jdbc.begin(dataSource)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE requests SET state = ?, decided_by = ?,"
                    + " decided_at = ? WHERE id = ? AND state = 'PENDING'")) {
                ps.setString(1, decision.name());
                ps.setString(2, officer);
                ps.setObject(3, Jdbc.time(at));
                ps.setString(4, requestId);
                int changed = ps.executeUpdate();
                c.commit();
                return changed == 1;
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("cannot record the decision on request " + requestId, e);
        }
    }

    /**
     * Along the (state, created_at, id) index: the cursor is a range on created_at, which both
     * databases' planners use, with the id breaking ties among requests created at the same time.
     */
    List<RequestRecord> findPending(String customerUri, Instant after, String afterId, int limit)
            throws EnrollmentException {
        checkLimit(limit);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM requests WHERE state = 'PENDING'");
        if (customerUri != null) {
            sql.append(" AND customer_uri = ?");
        }
        if (after != null) {
            sql.append(afterId == null ? " AND created_at > ?" : " AND created_at >= ? AND (created_at > ? OR id > ?)");
        }
        sql.append(" ORDER BY created_at, id LIMIT ?");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (customerUri != null) {
                ps.setString(i++, customerUri);
            }
            if (after != null) {
                ps.setObject(i++, Jdbc.time(after));
                if (afterId != null) {
                    ps.setObject(i++, Jdbc.time(after));
                    ps.setString(i++, afterId);
                }
            }
            ps.setInt(i, limit);
            return list(ps);
        } catch (SQLException | RuntimeException e) {
            throw failure("cannot read the pending requests", e);
        }
    }

    List<RequestRecord> findWaiting(String customerUri, String owner, int limit) throws EnrollmentException {
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(owner, "owner");
        checkLimit(limit);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM requests"
                     + " WHERE customer_uri = ? AND owner = ? AND state IN ('PENDING', 'APPROVED')"
                     + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
            ps.setString(1, customerUri);
            ps.setString(2, owner);
            ps.setInt(3, limit);
            return list(ps);
        } catch (SQLException | RuntimeException e) {
            throw failure("cannot read the waiting requests of " + owner, e);
        }
    }

    private static List<RequestRecord> list(PreparedStatement ps) throws SQLException {
        List<RequestRecord> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(request(rs));
            }
        }
        return result;
    }

    private static RequestRecord request(ResultSet rs) throws SQLException {
        String template = rs.getString("template");
        String csrPem = rs.getString("csr_pem");
        RequestRecord.Submitted submitted = template == null || csrPem == null ? null
                : new RequestRecord.Submitted(template, rs.getString("org_id"), rs.getString("email"),
                        rs.getString("common_name"), csrPem, rs.getString("renew_serial"));
        BigInteger serial = Jdbc.serial(rs, "serial");
        return new RequestRecord(rs.getString("id"), rs.getString("customer_uri"), rs.getString("owner"),
                RequestRecord.State.valueOf(rs.getString("state")), serial, Jdbc.instant(rs, "created_at"),
                submitted, rs.getString("decided_by"), Jdbc.instant(rs, "decided_at"));
    }

    private static EnrollmentException failure(String detail, Exception cause) {
        LOG.error("certificate store: {}", detail, cause);
        return new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, detail, cause);
    }
}
