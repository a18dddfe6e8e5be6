package org.autoenroll.ca.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import javax.sql.DataSource;
import org.autoenroll.api.RevocationReason;

/**
 * Fills the certificates table of a {@code JdbcCertificateStore} with many revoked certificates
 * fast, by batched SQL inserts with a tiny fake DER (the CRL never reads it): for CRL scale tests
 * and the CRL benchmark, not for product code. Serials are 159-bit pseudo-random from a seed,
 * reasons cycle through all RFC 5280 reasons, revocation times are spread over the day before
 * {@code now}. Stateless.
 */
public final class RevokedRows {
    private static final int BATCH = 5_000;
    private static final RevocationReason[] REASONS = RevocationReason.values();

    private RevokedRows() {
    }

    /** Inserts {@code count} revoked certificates; returns the number inserted. */
    public static long insert(DataSource dataSource, long count, long seed, Instant now) throws SQLException {
        Random random = new Random(seed);
        OffsetDateTime notBefore = OffsetDateTime.ofInstant(now.minus(Duration.ofDays(30)), ZoneOffset.UTC);
        OffsetDateTime notAfter = OffsetDateTime.ofInstant(now.plus(Duration.ofDays(335)), ZoneOffset.UTC);
        byte[] fakeDer = {0x30, 0x00};
        long inserted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (serial, customer_uri, owner,"
                    + " email, request_id, profile, der, not_before, not_after, state, revocation_reason, revoked_at)"
                    + " VALUES (?, 'urn:customer:bench', ?, NULL, ?, 'user', ?, ?, ?, 'REVOKED', ?, ?)")) {
                for (long i = 0; i < count; i++) {
                    BigInteger serial;
                    do {
                        serial = new BigInteger(159, random);
                    } while (serial.signum() == 0);
                    ps.setBigDecimal(1, new BigDecimal(serial));
                    ps.setString(2, "user" + i);
                    ps.setString(3, "bench-" + i);
                    ps.setBytes(4, fakeDer);
                    ps.setObject(5, notBefore);
                    ps.setObject(6, notAfter);
                    ps.setString(7, REASONS[(int) (i % REASONS.length)].name());
                    ps.setObject(8, OffsetDateTime.ofInstant(now.minusSeconds(random.nextInt(86_400) + 1), ZoneOffset.UTC));
                    ps.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                    inserted++;
                }
                ps.executeBatch();
                c.commit();
            }
        }
        return inserted;
    }
}
