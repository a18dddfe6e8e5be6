package org.autoenroll.ca.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL 15 server for tests, started from the Debian binaries in
 * {@code /usr/lib/postgresql/15/bin} (or {@code $PG_BIN}): initdb into a fresh temporary
 * directory, trust authentication, listening on 127.0.0.1 on a free port with its unix socket in
 * that directory, fsync off (tests need no durability across a machine crash). As root (CI runs as
 * root) the directory is given to the {@code postgres} user and the programs run through
 * {@code runuser -u postgres --}, since PostgreSQL refuses to run as root.
 *
 * <p>{@link #start()} skips the test when the binaries are missing and CI is unset, and fails it
 * when CI is set. {@link #close()} stops the server ({@code pg_ctl stop -m immediate}) and deletes
 * the directory. Each test gets its own schema through {@link #newSchema(String)}. Thread-safe
 * after start.
 */
public final class PostgresServer implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Starts a new server; skips outside CI when PostgreSQL is not installed. */
    public static PostgresServer start() throws IOException {
        Path bin = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            if (System.getenv("CI") != null) {
                Assertions.fail("PostgreSQL 15 is required in CI but " + bin + "/initdb is missing");
            }
            Assumptions.abort("PostgreSQL binaries not found in " + bin + "; skipped outside CI");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("ae-pg");
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(bin, dir, port, root);
        try {
            server.run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions");
            server.run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                    "start");
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Creates schema {@code name} and returns a data source whose connections use it. */
    public PGSimpleDataSource newSchema(String name) throws SQLException {
        if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("schema name must be a lower-case identifier");
        }
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + name);
        }
        return dataSource(name);
    }

    /** A data source for database {@code postgres} as user {@code postgres}, in {@code schema} if not null. */
    public PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        // loopback without TLS or GSS: no negotiation round trips per connection
        ds.setSslMode("disable");
        ds.setGssEncMode("disable");
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    private String run(String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops the server at once and deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "stop", "-m", "immediate");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
