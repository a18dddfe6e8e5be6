package org.autoenroll.samples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.autoenroll.kerberos.JdbcReplayCache;
import org.autoenroll.kerberos.ReplayCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The shared {@link JdbcReplayCache} as several server instances use it: {@value #INSTANCES}
 * cache objects (one per instance) on one database, the benchmark's threads spread over them,
 * every call a fresh authenticator of one of 10,000 principals on the real clock. Baseline in the
 * same run and on the same pool: {@code rawInsert}, one autocommitted single-row INSERT into a
 * table with a primary key, the least a shared cache that records each token durably can cost. A
 * refusal (anything but RECORDED) fails the iteration.
 *
 * <p>{@code db=h2}: an H2 file database in a temporary directory (WRITE_DELAY=0, as the store).
 * {@code db=postgresql}: the server at {@code -Dbench.pg.url} (default
 * {@code jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres}), e.g. one started with initdb
 * and pg_ctl under /tmp (samples/README.md), fsync on; the tables are dropped first.
 *
 * <p>Read: {@code jdbcReplayCache} score / {@code rawInsert} score, per database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(8)
public class JdbcReplayCacheBenchmark {
    static final int INSTANCES = 2;
    static final int PRINCIPALS = 10_000;
    static final String TABLE = "bench_replay_cache";

    @Param({"h2", "postgresql"})
    public String db;

    private Path dir;
    private HikariDataSource pool;
    private final JdbcReplayCache[] caches = new JdbcReplayCache[INSTANCES];
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final long run = System.nanoTime();

    @Setup(Level.Trial)
    public void open() throws Exception {
        HikariConfig config = new HikariConfig();
        if (db.equals("h2")) {
            dir = Files.createTempDirectory("replay-bench-");
            config.setJdbcUrl("jdbc:h2:file:" + dir.toAbsolutePath() + "/bench;LOCK_TIMEOUT=10000;WRITE_DELAY=0");
            config.setUsername("sa");
            config.setPassword("");
        } else {
            config.setJdbcUrl(System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres"));
        }
        config.setMaximumPoolSize(16);
        pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("DROP TABLE IF EXISTS bench_raw_insert");
            statement.execute("CREATE TABLE bench_raw_insert (id VARCHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL)");
        }
        for (int i = 0; i < INSTANCES; i++) {
            caches[i] = new JdbcReplayCache(pool, Clock.systemUTC(), TABLE);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        pool.close();
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @TearDown(Level.Iteration)
    public void noneRefused() {
        if (refused.get() != 0) {
            throw new IllegalStateException(refused.get() + " valid authenticators refused");
        }
    }

    @Benchmark
    public ReplayCache.Outcome jdbcReplayCache(ThreadParams thread) {
        long n = calls.getAndIncrement();
        long now = System.currentTimeMillis() / 1000;
        ReplayCache.Key key = new ReplayCache.Key("user" + n % PRINCIPALS + "@EXAMPLE.COM", "HTTP/enroll@EXAMPLE.COM", now,
                (int) (n % 1_000_000));
        ReplayCache.Outcome outcome = caches[thread.getThreadIndex() % INSTANCES].record(key, Instant.ofEpochSecond(now + 300));
        if (outcome != ReplayCache.Outcome.RECORDED) {
            refused.incrementAndGet();
        }
        return outcome;
    }

    @Benchmark
    public int rawInsert() throws SQLException {
        long n = calls.getAndIncrement();
        try (Connection connection = pool.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_raw_insert VALUES (?, ?)")) {
            insert.setString(1, HexFormat.of().toHexDigits(run) + HexFormat.of().toHexDigits(n));
            insert.setLong(2, n);
            return insert.executeUpdate();
        }
    }
}
