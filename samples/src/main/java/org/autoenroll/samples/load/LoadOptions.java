package org.autoenroll.samples.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link EnrollmentLoad} does: requests per phase, client threads, time limit per phase, the
 * demo's CA key type and store, how many certificates the holding user (alice) holds before
 * timing, which operations are measured, and the server JVM's options.
 *
 * @param requests requests per measured phase (and per baseline)
 * @param threads client threads
 * @param maxSeconds time limit of one phase
 * @param dataDir the demo's directory (kept), or null for a temporary one (deleted)
 * @param caKey EC_P256 or RSA_2048 (any {@code CaKeyType} name)
 * @param postgresqlUrl null for H2; else a PostgreSQL JDBC URL from which a fresh database is made
 * @param holdings certificates alice holds before timing; with more than 0, each operation is
 *     measured for bob (who holds none) and then alice, in the same run
 * @param operations which of enroll, status, requirements, renew are measured
 * @param serverJvm options for the server's JVM (e.g. {@code -XX:StartFlightRecording=...})
 * @param serverClassPath the server's class path; null for this JVM's
 * @param warmup enrollments sent before timing (after one per user), to warm the server's JIT; -1
 *     for the default, a fifth of {@code requests} between 2 per thread and 100
 */
public record LoadOptions(int requests, int threads, int maxSeconds, Path dataDir, String caKey, String postgresqlUrl,
                          int holdings, List<String> operations, List<String> serverJvm, String serverClassPath,
                          int warmup) {
    /** Tokens carry their ctime: every timed phase must end within the acceptor's 5 minutes of skew. */
    static final int SKEW_SECONDS = 280;
    static final Set<String> OPERATIONS = Set.of("enroll", "status", "requirements", "renew");

    public LoadOptions {
        if (requests < 1 || requests > 100_000) {
            throw new IllegalArgumentException("--requests must be 1..100000");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--threads must be 1..64");
        }
        if (holdings < 0 || holdings > 1_000_000) {
            throw new IllegalArgumentException("--holdings must be 0..1000000");
        }
        if (!caKey.matches("EC_P256|EC_P384|RSA_2048|RSA_3072|RSA_4096")) {
            throw new IllegalArgumentException("--ca-key must be EC_P256, EC_P384, RSA_2048, RSA_3072 or RSA_4096");
        }
        if (postgresqlUrl != null && !postgresqlUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("--postgresql needs a JDBC URL jdbc:postgresql://host:port/database");
        }
        if (warmup < -1 || warmup > 100_000) {
            throw new IllegalArgumentException("--warmup must be 0..100000");
        }
        operations = List.copyOf(operations);
        if (operations.isEmpty() || !OPERATIONS.containsAll(operations)) {
            throw new IllegalArgumentException("--operations is a comma-separated list of " + OPERATIONS);
        }
        if (operations.contains("renew") && !operations.contains("enroll")) {
            throw new IllegalArgumentException("renew renews the certificates of enroll: list enroll too");
        }
        serverJvm = List.copyOf(serverJvm);
        int timedPhases = 1 + operations.size() * (holdings > 0 ? 2 : 1);
        if (maxSeconds < 1 || (long) maxSeconds * timedPhases > SKEW_SECONDS) {
            throw new IllegalArgumentException("--max-seconds must be 1.." + SKEW_SECONDS / timedPhases + " for "
                    + timedPhases + " timed phases: the tokens, made before them, must be used within the 5 minutes"
                    + " of clock skew");
        }
    }

    public static LoadOptions defaults() {
        return new LoadOptions(500, 4, 60, null, "EC_P256", null, 0, List.of("enroll"), List.of(), null, -1);
    }

    /** Copies with another size: for tests. */
    public LoadOptions with(int requests, int threads, Path dataDir) {
        return new LoadOptions(requests, threads, maxSeconds, dataDir, caKey, postgresqlUrl, holdings, operations,
                serverJvm, serverClassPath, warmup);
    }

    /** Warm-up enrollments: as asked, or the default. */
    int warmupRequests() {
        return warmup >= 0 ? warmup : Math.min(100, Math.max(2 * threads, requests / 5));
    }

    static final String USAGE = "usage: EnrollmentLoad [--requests N (500)] [--threads T (4)] [--max-seconds S (60)]"
            + " [--ca-key EC_P256|RSA_2048] [--postgresql jdbc:postgresql://host:port/db (H2 without)]"
            + " [--holdings N (0)] [--operations enroll,status,requirements,renew (enroll)]"
            + " [--server-jvm \"JVM options\"] [--server-classpath CP] [--warmup N] [--data-dir DIR (temporary, deleted)]";

    static LoadOptions parse(String[] args) {
        LoadOptions d = defaults();
        int requests = d.requests();
        int threads = d.threads();
        int maxSeconds = d.maxSeconds();
        Path dataDir = null;
        String caKey = d.caKey();
        String postgresql = null;
        int holdings = 0;
        List<String> operations = d.operations();
        List<String> serverJvm = new ArrayList<>();
        String classPath = null;
        int warmup = -1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            try {
                switch (args[i]) {
                    case "--requests" -> requests = Integer.parseInt(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--max-seconds" -> maxSeconds = Integer.parseInt(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--ca-key" -> caKey = value.toUpperCase(Locale.ROOT);
                    case "--postgresql" -> postgresql = value;
                    case "--holdings" -> holdings = Integer.parseInt(value);
                    case "--operations" -> operations = Arrays.asList(value.split(","));
                    case "--server-jvm" -> serverJvm.addAll(Arrays.asList(value.trim().split("\\s+")));
                    case "--server-classpath" -> classPath = value;
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " needs a number");
            }
        }
        return new LoadOptions(requests, threads, maxSeconds, dataDir, caKey, postgresql, holdings, operations,
                serverJvm, classPath, warmup);
    }
}
