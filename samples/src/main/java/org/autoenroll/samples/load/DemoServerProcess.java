package org.autoenroll.samples.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.server.demo.DemoEnvironment;

/**
 * The server side of {@link EnrollmentLoad}, in a JVM of its own so that its CPU time can be read
 * from {@code /proc/<pid>/stat} apart from the load client's. Starts the demo environment (CA key
 * type and database as asked), prints one line {@code READY port kdcPort} on stdout, then obeys
 * commands read from stdin, one per line, answering each with one line:
 *
 * <ul>
 *   <li>{@code holdings USER N}: writes N valid, unexpired certificates of the User template for
 *       the demo user USER straight into the store (copies of the DER of one the server issued
 *       them, with random serials), in batches; answers {@code HELD N};
 *   <li>{@code stop} (or the end of stdin): stops the demo, drops a PostgreSQL database it
 *       created, exits.
 * </ul>
 *
 * <p>With {@code --postgresql URL} (of a database the user may create databases from, e.g. a
 * throwaway cluster's {@code postgres}), it creates a fresh database for the run beside it and
 * drops it at the end, so that every run starts empty.
 */
public final class DemoServerProcess {
    private static final int BATCH = 1000;

    private DemoServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = null;
        CaKeyType keyType = CaKeyType.EC_P256;
        String adminUrl = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                case "--ca-key" -> keyType = CaKeyType.valueOf(args[i + 1]);
                case "--postgresql" -> adminUrl = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        String database = adminUrl == null ? null : "autoenroll_load_" + ProcessHandle.current().pid();
        String storeUrl = adminUrl == null ? null : createDatabase(adminUrl, database);
        try (DemoEnvironment demo = DemoEnvironment.start(dataDir, 0,
                new org.autoenroll.server.demo.DemoSettings(keyType, storeUrl, null))) {
            String jdbcUrl = storeUrl != null ? storeUrl
                    // the same URL as the store's: H2 shares the open database within this JVM
                    : "jdbc:h2:file:" + demo.dataDir().resolve("db").toAbsolutePath().normalize()
                    + "/autoenroll;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
            System.out.println("READY " + demo.port() + " " + demo.kdcPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
                String[] words = line.trim().split(" ");
                if (words.length == 3 && words[0].equals("holdings")) {
                    int written = writeHoldings(jdbcUrl, storeUrl != null ? "postgres" : "sa", words[1],
                            Integer.parseInt(words[2]));
                    System.out.println("HELD " + written);
                } else {
                    System.out.println("ERROR unknown command");
                }
                System.out.flush();
            }
        } finally {
            if (database != null) {
                dropDatabase(adminUrl, database);
            }
        }
        System.exit(0);
    }

    private static String createDatabase(String adminUrl, String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, "postgres", null);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    private static void dropDatabase(String adminUrl, String database) {
        try (Connection c = DriverManager.getConnection(adminUrl, "postgres", null);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop the load database " + database + ": " + e.getMessage());
        }
    }

    /** Copies of the user's first certificate, valid for a year from now, with random serials. */
    static int writeHoldings(String jdbcUrl, String user, String demoUser, int count) throws SQLException {
        SecureRandom random = new SecureRandom();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "")) {
            String owner;
            String email;
            byte[] der;
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, email, der FROM certificates"
                    + " WHERE customer_uri = ? AND owner LIKE ? AND profile = 'User' ORDER BY not_before LIMIT 1")) {
                ps.setString(1, DemoEnvironment.CUSTOMER_URI);
                ps.setString(2, demoUser.toLowerCase(Locale.ROOT) + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException(demoUser + " has no certificate to copy");
                    }
                    owner = rs.getString(1);
                    email = rs.getString(2);
                    der = rs.getBytes(3);
                }
            }
            c.setAutoCommit(false);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (serial, customer_uri, owner, email,"
                    + " request_id, profile, der, not_before, not_after, state) VALUES (?, ?, ?, ?, ?, 'User', ?, ?, ?, 'VALID')")) {
                for (int i = 0; i < count; i++) {
                    ps.setBigDecimal(1, new java.math.BigDecimal(new BigInteger(120, random).setBit(119)));
                    ps.setString(2, DemoEnvironment.CUSTOMER_URI);
                    ps.setString(3, owner);
                    ps.setString(4, email);
                    ps.setString(5, "load-holding-" + i);
                    ps.setBytes(6, der);
                    // issued over the last days, expiring within the year: as renewals would have left them
                    OffsetDateTime notBefore = now.minus(Duration.ofMinutes(i % 100_000));
                    ps.setObject(7, notBefore);
                    ps.setObject(8, notBefore.plusDays(365));
                    ps.addBatch();
                    if ((i + 1) % BATCH == 0 || i + 1 == count) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            return count;
        }
    }
}
