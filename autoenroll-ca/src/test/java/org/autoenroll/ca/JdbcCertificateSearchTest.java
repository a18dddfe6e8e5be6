package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.autoenroll.api.CertificateQuery;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.RevocationReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' certificate searches on H2: every page walk returns exactly the matching
 * certificates in the documented order, without repeats or gaps (notAfter ties included), and
 * each plan reads along its index in index order (EXPLAIN after ANALYZE).
 */
class JdbcCertificateSearchTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String[] OWNERS = {"alice@EXAMPLE.COM", "bob@EXAMPLE.COM", "carol@EXAMPLE.COM",
        "dave@EXAMPLE.COM", "erin@EXAMPLE.COM"};
    private static final String[] CUSTOMERS = {"urn:customer:acme", "urn:customer:globex"};
    private static final String[] PROFILES = {"User", "Machine", "Mail"};

    @TempDir
    static Path dir;
    private static JdbcCertificateStore store;
    private static final List<CertificateRecord> ALL = new ArrayList<>();

    @BeforeAll
    static void fill() throws Exception {
        store = JdbcCertificateStore.h2(dir, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 1; i <= 400; i++) {
            // few distinct expiry days: many notAfter ties, which the cursor must step through
            Instant notAfter = NOW.plus(Duration.ofDays(i % 40 - 5));
            BigInteger serial = BigInteger.valueOf(1000L + (i * 7919L) % 4001);
            CertificateRecord record = new CertificateRecord(serial, CUSTOMERS[i % 2], OWNERS[i % OWNERS.length],
                    "x@example.com", "req-" + i, PROFILES[i % PROFILES.length], new byte[] {0x30, 0x00},
                    notAfter.minus(Duration.ofDays(365)), notAfter, CertificateState.VALID, null, null, null);
            store.recordIssued(record, Optional.empty());
            if (i % 3 == 0) {
                store.revoke(serial, RevocationReason.KEY_COMPROMISE, NOW);
            }
        }
        for (CertificateRecord r : store.search(CertificateQuery.all(500))) {
            ALL.add(r);
        }
        assertEquals(400, ALL.size(), "one page of 500 holds all 400");
        try (Connection c = store.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void search_everyFilterCombination_pagesReturnExactlyTheMatchesInOrder() throws Exception {
        Instant before = NOW.plus(Duration.ofDays(10));
        Instant from = NOW.minus(Duration.ofDays(2));
        check(CertificateQuery.all(7), r -> true);
        check(CertificateQuery.all(7).withState(CertificateState.REVOKED), r -> r.state() == CertificateState.REVOKED);
        check(CertificateQuery.all(7).withOwner("bob@EXAMPLE.COM"), r -> r.owner().equals("bob@EXAMPLE.COM"));
        check(CertificateQuery.all(3).withOwner("bob@EXAMPLE.COM").withProfile("Mail").withState(CertificateState.VALID)
                        .withCustomer(CUSTOMERS[1]).expiring(null, before),
                r -> r.owner().equals("bob@EXAMPLE.COM") && r.profile().equals("Mail") && r.state() == CertificateState.VALID
                        && r.customerUri().equals(CUSTOMERS[1]) && r.notAfter().isBefore(before));
        check(CertificateQuery.all(5).withProfile("Machine"), r -> r.profile().equals("Machine"));
        check(CertificateQuery.all(5).withProfile("Machine").withState(CertificateState.VALID),
                r -> r.profile().equals("Machine") && r.state() == CertificateState.VALID);
        check(CertificateQuery.all(4).expiring(null, before), r -> r.notAfter().isBefore(before));
        check(CertificateQuery.all(4).withState(CertificateState.VALID).expiring(from, before).withProfile("Mail"),
                r -> r.state() == CertificateState.VALID && !r.notAfter().isBefore(from) && r.notAfter().isBefore(before)
                        && r.profile().equals("Mail"));
        check(CertificateQuery.all(9).withCustomer(CUSTOMERS[0]), r -> r.customerUri().equals(CUSTOMERS[0]));
        CertificateRecord one = ALL.get(17);
        check(CertificateQuery.all(1).withSerial(one.serial()), r -> r.serial().equals(one.serial()));
        check(CertificateQuery.all(1).withSerial(one.serial()).withOwner("nobody@X"), r -> false);
    }

    @Test
    void query_badBounds_refused() {
        assertThrows(IllegalArgumentException.class, () -> CertificateQuery.all(0));
        assertThrows(IllegalArgumentException.class, () -> CertificateQuery.all(CertificateQuery.MAX_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> CertificateQuery.all(1).withOwner("x".repeat(1025)));
        assertThrows(IllegalArgumentException.class, () -> CertificateQuery.all(1).withSerial(BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> CertificateQuery.all(1).expiring(NOW, NOW));
    }

    /** EXPLAIN of each plan's statements: along the plan's index, sorted by it (no sort of the matches). */
    @Test
    void statements_explained_eachPlanReadsAlongItsIndexInOrder() throws Exception {
        CertificateQuery.Cursor cursor = CertificateQuery.Cursor.after(ALL.get(3));
        List<CertificateQuery> queries = List.of(
                CertificateQuery.all(10).withSerial(BigInteger.valueOf(1234)),
                CertificateQuery.all(10).withOwner("alice@EXAMPLE.COM").withAfter(cursor),
                CertificateQuery.all(10).withState(CertificateState.VALID).expiring(NOW, NOW.plus(Duration.ofDays(30))),
                CertificateQuery.all(10).expiring(null, NOW.plus(Duration.ofDays(30))).withAfter(cursor),
                CertificateQuery.all(10).withProfile("User").withAfter(cursor),
                CertificateQuery.all(10).withCustomer(CUSTOMERS[0]).withAfter(cursor));
        try (Connection c = store.dataSource().getConnection()) {
            for (CertificateQuery query : queries) {
                JdbcCertificateSearch.Plan plan = JdbcCertificateSearch.Plan.of(query);
                List<JdbcCertificateSearch.Statement> statements = JdbcCertificateSearch.statements(query);
                assertTrue(!statements.isEmpty(), plan.name());
                for (JdbcCertificateSearch.Statement statement : statements) {
                    String explained = explain(c, statement);
                    assertTrue(explained.toUpperCase(java.util.Locale.ROOT).contains(plan.index.toUpperCase(java.util.Locale.ROOT)),
                            plan + ": " + explained);
                    if (plan != JdbcCertificateSearch.Plan.SERIAL) {
                        assertTrue(explained.contains("/* index sorted */"), plan + ": " + explained);
                    }
                }
            }
        }
    }

    private static String explain(Connection c, JdbcCertificateSearch.Statement statement) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + statement.sql())) {
            int i = 1;
            for (Object parameter : statement.parameters()) {
                ps.setObject(i++, parameter);
            }
            ps.setInt(i, 10);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Walks every page of {@code first} and compares with the matches of the full list, in the documented order. */
    private static void check(CertificateQuery first, Predicate<CertificateRecord> matches) throws Exception {
        Comparator<CertificateRecord> order = first.owner() != null || first.serial() != null
                ? Comparator.comparing(CertificateRecord::serial)
                : first.ordersByExpiry()
                ? Comparator.comparing(CertificateRecord::state).thenComparing(CertificateRecord::notAfter)
                        .thenComparing(CertificateRecord::serial)
                : Comparator.comparing(CertificateRecord::state).thenComparing(CertificateRecord::serial);
        List<BigInteger> expected = ALL.stream().filter(matches).sorted(order).map(CertificateRecord::serial).toList();
        List<BigInteger> walked = new ArrayList<>();
        CertificateQuery query = first;
        for (int pages = 0; pages < 1000; pages++) {
            List<CertificateRecord> page = store.search(query);
            assertTrue(page.size() <= first.limit());
            page.forEach(r -> walked.add(r.serial()));
            if (page.size() < first.limit()) {
                break;
            }
            query = query.withAfter(CertificateQuery.Cursor.after(page.get(page.size() - 1)));
        }
        assertEquals(expected, walked, first.toString());
        assertTrue(!expected.isEmpty() || first.owner() != null, "the filters match something: " + first);
    }
}
