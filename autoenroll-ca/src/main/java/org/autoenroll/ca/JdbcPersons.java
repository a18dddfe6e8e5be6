package org.autoenroll.ca;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.Person;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code persons} table for {@link JdbcCertificateStore}: the person record of each principal,
 * kept in step with the directory. The unique keys on principal and e-mail decide races between
 * first enrollments of one person: the loser retries and then sees the winner's row. Thread-safe.
 */
final class JdbcPersons {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPersons.class);
    private static final int SYNC_ATTEMPTS = 3;
    /** How long an unchanged person's synced_at may lag: it says when the directory last agreed. */
    static final java.time.Duration RESYNC = java.time.Duration.ofMinutes(10);

    private final DataSource dataSource;

    JdbcPersons(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates or updates the person. The directory is authoritative within a customer: when the
     * e-mail now belongs to this principal, a stale person of the same customer holding it (an
     * account renamed in AD) is removed. Across customers nothing moves: PERSON_MISMATCH.
     */
    Person sync(Person person) throws EnrollmentException {
        Objects.requireNonNull(person, "person");
        SQLException last = null;
        try {
            Optional<Person> unchanged = unchanged(person);
            if (unchanged.isPresent()) {
                return unchanged.get();
            }
        } catch (SQLException e) {
            last = e; // the write below tries again and reports
        }
        for (int attempt = 0; attempt < SYNC_ATTEMPTS; attempt++) {
            try {
                return syncOnce(person);
            } catch (SQLException e) {
                // two first enrollments of one person race on the unique keys: the loser retries
                // and then sees the winner's row
                last = e;
                if (!Jdbc.isConstraintViolation(e)) {
                    break;
                }
            }
        }
        throw storageFailure(ErrorCode.PERSON_SYNC_FAILED, "cannot record person " + person.principal(), last);
    }

    /**
     * The stored person when nothing would change: same customer, e-mail and common name, synced
     * less than {@link #RESYNC} before. One read instead of a write transaction, on every
     * enrollment of a known person (the unique e-mail key means no other row holds the e-mail).
     */
    private Optional<Person> unchanged(Person person) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT customer_uri, email, common_name, synced_at"
                     + " FROM persons WHERE principal = ?")) {
            ps.setString(1, person.principal());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant synced = Jdbc.instant(rs, "synced_at");
                boolean same = rs.getString(1).equals(person.customerUri()) && rs.getString(2).equals(person.email())
                        && rs.getString(3).equals(person.commonName()) && synced != null
                        && !synced.isAfter(person.syncedAt()) && synced.plus(RESYNC).isAfter(person.syncedAt());
                return same ? Optional.of(new Person(person.customerUri(), person.principal(), person.email(),
                        person.commonName(), synced)) : Optional.empty();
            }
        }
    }

    private Person syncOnce(Person person) throws SQLException, EnrollmentException {
        String emailKey = person.email().toLowerCase(Locale.ROOT);
        try (Connection c = Jdbc.begin(dataSource)) {
            try {
                String existingCustomer = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT customer_uri FROM persons WHERE principal = ? FOR UPDATE")) {
                    ps.setString(1, person.principal());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            existingCustomer = rs.getString(1);
                        }
                    }
                }
                if (existingCustomer != null && !existingCustomer.equals(person.customerUri())) {
                    c.rollback();
                    throw new EnrollmentException(ErrorCode.PERSON_MISMATCH,
                            "principal " + person.principal() + " belongs to a person of another customer");
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT customer_uri, principal FROM persons WHERE email_key = ? AND principal <> ? FOR UPDATE")) {
                    ps.setString(1, emailKey);
                    ps.setString(2, person.principal());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            if (!rs.getString(1).equals(person.customerUri())) {
                                c.rollback();
                                throw new EnrollmentException(ErrorCode.PERSON_MISMATCH,
                                        "e-mail " + person.email() + " belongs to a person of another customer");
                            }
                            String stale = rs.getString(2);
                            try (PreparedStatement delete = c.prepareStatement("DELETE FROM persons WHERE principal = ?")) {
                                delete.setString(1, stale);
                                delete.executeUpdate();
                            }
                            LOG.info("person {} of {} gave up e-mail {} to {}", stale, person.customerUri(),
                                    person.email(), person.principal());
                        }
                    }
                }
                if (existingCustomer != null) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE persons SET email = ?, email_key = ?,"
                            + " common_name = ?, synced_at = ? WHERE principal = ?")) {
                        ps.setString(1, person.email());
                        ps.setString(2, emailKey);
                        ps.setString(3, person.commonName());
                        ps.setObject(4, Jdbc.time(person.syncedAt()));
                        ps.setString(5, person.principal());
                        ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO persons (customer_uri, principal, email,"
                            + " email_key, common_name, synced_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, person.customerUri());
                        ps.setString(2, person.principal());
                        ps.setString(3, person.email());
                        ps.setString(4, emailKey);
                        ps.setString(5, person.commonName());
                        ps.setObject(6, Jdbc.time(person.syncedAt()));
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return person;
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    Optional<Person> find(String customerUri, String principal) throws EnrollmentException {
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(principal, "principal");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT customer_uri, principal, email, common_name, synced_at"
                     + " FROM persons WHERE customer_uri = ? AND principal = ?")) {
            ps.setString(1, customerUri);
            ps.setString(2, principal);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Person(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Jdbc.instant(rs, "synced_at")));
            }
        } catch (SQLException | RuntimeException e) {
            throw storageFailure(ErrorCode.STATUS_PROCESSING_FAILED, "cannot read person " + principal, e);
        }
    }

    private static EnrollmentException storageFailure(ErrorCode code, String detail, Exception cause) {
        LOG.error("certificate store: {}", detail, cause);
        return new EnrollmentException(code, detail, cause);
    }
}
