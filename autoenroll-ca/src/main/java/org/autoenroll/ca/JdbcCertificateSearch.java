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
import javax.sql.DataSource;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.EnrollmentException;

/**
 * {@link JdbcCertificateStore#search}: each page is one or two range reads along an index, with
 * the keyset cursor as the range's start, so a page costs the same on the first page and the
 * thousandth, and no query reads every certificate. The leading filter picks the plan:
 * <ul>
 *   <li>serial: the primary key;</li>
 *   <li>owner: {@code certificates_owner_serial (owner, serial)} (an owner holds few certificates,
 *       the other filters are checked on those rows);</li>
 *   <li>an expiry bound: {@code certificates_state_expiry (state, not_after, serial)}, one state
 *       after the other;</li>
 *   <li>profile: {@code certificates_profile_state_serial (profile, state, serial)}, one state
 *       after the other;</li>
 *   <li>otherwise: {@code certificates_state_serial (state, serial)}, one state after the other.</li>
 * </ul>
 * The indexes are schema step 5 ({@link Schema}). Stateless.
 */
final class JdbcCertificateSearch {
    /** The plans, by the index each reads along; named in tests that check the database's plan. */
    enum Plan {
        SERIAL("PRIMARY_KEY"), OWNER("certificates_owner_serial"), EXPIRY("certificates_state_expiry"),
        PROFILE("certificates_profile_state_serial"), STATE("certificates_state_serial");

        final String index;

        Plan(String index) {
            this.index = index;
        }

        static Plan of(CertificateQuery query) {
            if (query.serial() != null) {
                return SERIAL;
            }
            if (query.owner() != null) {
                return OWNER;
            }
            if (query.ordersByExpiry()) {
                return EXPIRY;
            }
            return query.profile() != null ? PROFILE : STATE;
        }
    }

    /** One statement: its SQL and its parameters in order. */
    record Statement(String sql, List<Object> parameters) {
    }

    private final DataSource dataSource;

    JdbcCertificateSearch(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<CertificateRecord> search(CertificateQuery query) throws SQLException {
        Objects.requireNonNull(query, "query");
        List<CertificateRecord> page = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (Statement statement : statements(query)) {
                int room = query.limit() - page.size();
                if (room <= 0) {
                    break;
                }
                read(c, statement, room, page);
            }
        }
        return page;
    }

    /**
     * The statements of one page, read in order until the page is full: one for the serial and
     * owner plans, one per state from the cursor's on for the others (the cursor applies within
     * its own state only; later states start at their beginning). Each ends in {@code LIMIT ?}.
     */
    static List<Statement> statements(CertificateQuery query) {
        Plan plan = Plan.of(query);
        CertificateQuery.Cursor cursor = query.after();
        if (plan == Plan.SERIAL || plan == Plan.OWNER) {
            if (plan == Plan.SERIAL && cursor != null) {
                // a serial matches one certificate: there is no second page
                return List.of();
            }
            Where where = new Where();
            if (plan == Plan.SERIAL) {
                where.add("serial = ?", Jdbc.serial(query.serial()));
            }
            if (query.owner() != null) {
                where.add("owner = ?", query.owner());
            }
            residuals(query, where, plan);
            if (query.state() != null) {
                where.add("state = ?", query.state().name());
            }
            if (cursor != null) {
                where.add("serial > ?", Jdbc.serial(cursor.serial()));
            }
            return List.of(where.statement(plan == Plan.OWNER ? "owner, serial" : "serial"));
        }
        List<Statement> statements = new ArrayList<>();
        for (CertificateState state : CertificateState.values()) {
            if ((query.state() != null && state != query.state())
                    || (cursor != null && state.compareTo(cursor.state()) < 0)) {
                continue;
            }
            boolean resume = cursor != null && state == cursor.state();
            Where where = new Where();
            if (plan == Plan.PROFILE) {
                where.add("profile = ?", query.profile());
            }
            where.add("state = ?", state.name());
            residuals(query, where, plan);
            if (plan == Plan.EXPIRY) {
                Instant from = query.expiringAfter();
                if (resume && (from == null || cursor.notAfter().isAfter(from))) {
                    from = cursor.notAfter();
                }
                if (from != null) {
                    // the range's start: only ties of the cursor's notAfter are read and passed over
                    where.add("not_after >= ?", Jdbc.time(from));
                }
                if (query.expiringBefore() != null) {
                    where.add("not_after < ?", Jdbc.time(query.expiringBefore()));
                }
                if (resume) {
                    where.add("(not_after > ? OR serial > ?)", Jdbc.time(cursor.notAfter()));
                    where.parameters.add(Jdbc.serial(cursor.serial()));
                }
                statements.add(where.statement("state, not_after, serial"));
            } else {
                if (resume) {
                    where.add("serial > ?", Jdbc.serial(cursor.serial()));
                }
                statements.add(where.statement(plan == Plan.PROFILE ? "profile, state, serial" : "state, serial"));
            }
        }
        return statements;
    }

    /** The filters that are not the plan's leading ones, checked on the rows the index gives. */
    private static void residuals(CertificateQuery query, Where where, Plan plan) {
        if (query.customerUri() != null) {
            where.add("customer_uri = ?", query.customerUri());
        }
        if (plan != Plan.PROFILE && query.profile() != null) {
            where.add("profile = ?", query.profile());
        }
        if (plan != Plan.EXPIRY) {
            if (query.expiringAfter() != null) {
                where.add("not_after >= ?", Jdbc.time(query.expiringAfter()));
            }
            if (query.expiringBefore() != null) {
                where.add("not_after < ?", Jdbc.time(query.expiringBefore()));
            }
        }
    }

    private static void read(Connection c, Statement statement, int limit, List<CertificateRecord> page)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            int i = 1;
            for (Object parameter : statement.parameters()) {
                ps.setObject(i++, parameter);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(JdbcCertificateStore.certificate(rs));
                }
            }
        }
    }

    /** A WHERE clause being built: conditions joined by AND, their parameters in order. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> parameters = new ArrayList<>();

        void add(String condition, Object parameter) {
            conditions.add(condition);
            parameters.add(parameter);
        }

        Statement statement(String orderBy) {
            return new Statement("SELECT " + JdbcCertificateStore.CERT_COLUMNS + " FROM certificates WHERE "
                    + String.join(" AND ", conditions) + " ORDER BY " + orderBy + " LIMIT ?", List.copyOf(parameters));
        }
    }
}
