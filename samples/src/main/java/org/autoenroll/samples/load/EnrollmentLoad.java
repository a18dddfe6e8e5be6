package org.autoenroll.samples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.server.demo.DemoEnvironment;
import org.autoenroll.server.demo.DemoEnvironment.DemoUser;

/**
 * A bounded load test of the reference server over HTTPS: it starts the demo environment in a JVM
 * of its own ({@link DemoServerProcess}: KDC, directory, CA of the asked key type, H2 or a fresh
 * PostgreSQL database, HTTPS on 127.0.0.1), then sends requests from a few client threads, each
 * with its own Negotiate token from the demo KDC (and a fresh EC P-256 CSR for enrollments), and
 * reports requests per second, latency percentiles and the server's CPU time per request read from
 * {@code /proc/<pid>/stat}. The baseline, measured in the same run over the same HTTPS client and
 * threads, is {@code GET /healthz} (TLS, routing, one database write). With {@code --holdings N}
 * alice holds N certificates before timing, and every operation is measured for bob (none held)
 * and then alice: the ratio says whether cost grows with holdings. It stops by itself (at most
 * {@code --requests} and {@code --max-seconds} per phase), then stops the server and deletes its
 * directory.
 *
 * <p>Tokens and CSRs are made before the timed phases so that the client's own work does not
 * compete with the server for CPU while measuring (client and server share the machine).
 *
 * <p>Run: see samples/README.md.
 */
public final class EnrollmentLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ALICE = 0;
    private static final int BOB = 1;
    /** Measured in this order: renewals supersede the certificates enroll issued. */
    private static final List<String> ORDER = List.of("enroll", "status", "requirements", "renew");

    /** The baseline and the measured phases; ratios are each over the baseline. */
    public record Report(String server, LoadOptions options, Phase baseline, List<Phase> phases, String notes) {
        public Report {
            phases = List.copyOf(phases);
        }

        /** The first phase whose name starts with {@code prefix}. */
        public Phase phase(String prefix) {
            return phases.stream().filter(p -> p.name().startsWith(prefix)).findFirst().orElseThrow();
        }

        public boolean allSucceeded() {
            return baseline.failed() == 0 && phases.stream().allMatch(p -> p.failed() == 0);
        }

        public String format() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "autoenroll load: %s, CA %s, store %s, %d client threads, %d cores,"
                            + " up to %d requests and %d s per phase%n", server, options.caKey(),
                    options.postgresqlUrl() == null ? "H2" : "PostgreSQL", options.threads(),
                    Runtime.getRuntime().availableProcessors(), options.requests(), options.maxSeconds()));
            out.append(notes);
            out.append(baseline.line()).append('\n');
            for (Phase phase : phases) {
                out.append(phase.line()).append('\n');
            }
            for (Phase phase : phases) {
                out.append(String.format(Locale.ROOT, "ratio %s/healthz: throughput %.3f, p50 %.1fx, p99 %.1fx%n",
                        phase.name(), ratio(phase.rate(), baseline.rate()),
                        ratio(phase.percentileMillis(50), baseline.percentileMillis(50)),
                        ratio(phase.percentileMillis(99), baseline.percentileMillis(99))));
            }
            if (options.holdings() > 0) {
                for (int i = 0; i + 1 < phases.size(); i += 2) {
                    Phase none = phases.get(i);
                    Phase held = phases.get(i + 1);
                    out.append(String.format(Locale.ROOT, "holdings %s: rate with %d held / with none %.3f,"
                                    + " server CPU per request %.2fx (without the demo directory %.2fx)%n",
                            operationOf(held), options.holdings(), ratio(held.rate(), none.rate()),
                            ratio(held.serverCpuPerRequest(), none.serverCpuPerRequest()),
                            ratio(held.serverCpuPerRequestWithoutDirectory(), none.serverCpuPerRequestWithoutDirectory())));
                }
            }
            for (Phase phase : Stream.concat(Stream.of(baseline), phases.stream()).toList()) {
                if (phase.firstFailure() != null) {
                    out.append(phase.name()).append(" first failure: ").append(phase.firstFailure()).append('\n');
                }
            }
            return out.toString();
        }

        private static String operationOf(Phase phase) {
            return phase.name().split(" ")[0];
        }

        private static double ratio(double a, double b) {
            return b > 0 ? a / b : 0;
        }
    }

    private EnrollmentLoad() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        Report report = run(options);
        System.out.print(report.format());
        System.exit(report.allSucceeded() ? 0 : 1);
    }

    /** One prepared request: whose, its token, its CSR (enrollments and renewals). */
    private record Call(int user, byte[] token, String csr) {
    }

    /** Starts the demo server, runs warm-up, baseline and the measured phases, stops the server. */
    public static Report run(LoadOptions options) throws Exception {
        Path dir = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("autoenroll-load");
        Files.createDirectories(dir);
        String classPath = options.serverClassPath() != null ? options.serverClassPath()
                : System.getProperty("java.class.path");
        try (ServerProcess server = ServerProcess.start(dir.resolve("demo"), options.caKey(), options.postgresqlUrl(),
                options.serverJvm(), classPath)) {
            URI base = URI.create("https://localhost:" + server.port());
            HttpClient http = client(dir.resolve("demo").resolve("ca.pem"));
            List<DemoUser> users = DemoEnvironment.USERS;
            int warmup = options.warmupRequests();
            List<List<Integer>> groups = options.holdings() > 0 ? List.of(List.of(BOB), List.of(ALICE))
                    : List.of(List.of(ALICE, BOB));
            List<String> operations = ORDER.stream().filter(options.operations()::contains).toList();

            // Everything the client computes, before any timing: tokens (AES) and CSRs (EC keys, signatures).
            DemoTokens tokens = new DemoTokens(server.kdcPort(), users);
            List<Call> first = prepare(tokens, List.of(ALICE, BOB), users.size(), true);
            List<Call> warm = prepare(tokens, List.of(ALICE, BOB), warmup, true);
            List<List<Call>> planned = new ArrayList<>();
            for (String operation : operations) {
                boolean csr = operation.equals("enroll") || operation.equals("renew");
                for (List<Integer> group : groups) {
                    planned.add(prepare(tokens, group, options.requests(), csr));
                }
            }
            HttpRequest health = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(30)).GET().build();
            Map<Integer, List<String>> serials = new ConcurrentHashMap<>();
            users.forEach(u -> serials.put(users.indexOf(u), Collections.synchronizedList(new ArrayList<>())));

            // Warm-up, not measured: one enrollment per user first, alone, so that the person records
            // exist (and alice has a certificate to copy) before concurrent requests arrive.
            Phase firstPhase = phase("first", http, enrollments(base, first, null, users), first, 1, options.maxSeconds(),
                    issued(first, serials), null);
            if (firstPhase.failed() > 0 || firstPhase.sent() < users.size()) {
                throw new IllegalStateException("the demo refused the first enrollment: " + firstPhase.firstFailure());
            }
            StringBuilder notes = new StringBuilder();
            if (options.holdings() > 0) {
                long start = System.nanoTime();
                String answer = server.command("holdings " + users.get(ALICE).name() + " " + options.holdings());
                if (!answer.startsWith("HELD ")) {
                    throw new IllegalStateException("the server did not write the holdings: " + answer);
                }
                notes.append(String.format(Locale.ROOT, "alice now holds %d more certificates (User template, valid),"
                        + " written in %.1f s before timing; bob holds none%n", options.holdings(),
                        (System.nanoTime() - start) / 1e9));
            }
            phase("warm-up", http, repeat(health, warmup), null, options.threads(), options.maxSeconds(), ok(), null);
            phase("warm-up", http, enrollments(base, warm, null, users), warm, options.threads(), options.maxSeconds(),
                    issued(warm, serials), null);

            Phase baseline = phase("healthz (base)", http, repeat(health, options.requests()), null, options.threads(),
                    options.maxSeconds(), ok(), server);
            List<Phase> phases = new ArrayList<>();
            int next = 0;
            for (String operation : operations) {
                for (List<Integer> group : groups) {
                    List<Call> calls = planned.get(next++);
                    String name = operation + (options.holdings() == 0 ? ""
                            : group.contains(ALICE) ? " (" + options.holdings() + " held)" : " (none held)");
                    phases.add(measure(operation, name, http, base, calls, serials, users, options, server));
                }
            }
            return new Report("demo server " + base + " (loopback, pid " + server.pid() + ")", options, baseline, phases,
                    notes.toString());
        } finally {
            if (options.dataDir() == null) {
                deleteTree(dir);
            }
        }
    }

    private static Phase measure(String operation, String name, HttpClient http, URI base, List<Call> calls,
                                 Map<Integer, List<String>> serials, List<DemoUser> users, LoadOptions options,
                                 ServerProcess server) throws Exception {
        List<HttpRequest> requests = new ArrayList<>();
        switch (operation) {
            case "enroll" -> requests.addAll(enrollments(base, calls, null, users));
            case "renew" -> {
                // each renewal supersedes a distinct certificate the enroll phase issued to the same user
                Map<Integer, Integer> used = new ConcurrentHashMap<>();
                List<String> renewed = new ArrayList<>();
                for (Call call : calls) {
                    List<String> own = serials.get(call.user());
                    int index = used.merge(call.user(), 1, Integer::sum) - 1;
                    renewed.add(index < own.size() ? own.get(own.size() - 1 - index) : null);
                }
                requests.addAll(enrollments(base, calls, renewed, users));
            }
            case "status" -> {
                for (int i = 0; i < calls.size(); i++) {
                    List<String> own = serials.get(calls.get(i).user());
                    requests.add(LoadRequests.status(base, calls.get(i).token(), own.get(i % own.size())));
                }
            }
            default -> calls.forEach(call -> requests.add(LoadRequests.requirements(base, call.token())));
        }
        Check check = operation.equals("enroll") || operation.equals("renew") ? issued(calls, serials) : ok();
        return phase(name, http, requests, calls, options.threads(), options.maxSeconds(), check, server);
    }

    private static List<Call> prepare(DemoTokens tokens, List<Integer> group, int count, boolean csr) throws Exception {
        List<Call> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int user = group.get(i % group.size());
            calls.add(new Call(user, tokens.next(user),
                    csr ? LoadRequests.csr(DemoEnvironment.USERS.get(user).commonName()) : null));
        }
        return calls;
    }

    private static List<HttpRequest> enrollments(URI base, List<Call> calls, List<String> renewSerials,
                                                 List<DemoUser> users) throws Exception {
        List<HttpRequest> requests = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            String renew = renewSerials == null ? null : renewSerials.get(i);
            if (renewSerials != null && renew == null) {
                break; // fewer certificates to renew than renewals planned: the enroll phase fell short
            }
            requests.add(LoadRequests.enroll(base, call.token(), users.get(call.user()), call.csr(), renew));
        }
        return requests;
    }

    /** Why a response is not a success, or null; {@code index} is the request's place in its phase. */
    @FunctionalInterface
    private interface Check {
        String failure(int index, HttpResponse<String> response);
    }

    private static Check ok() {
        return (index, response) -> response.statusCode() == 200 ? null : "HTTP " + response.statusCode()
                + " " + response.body().substring(0, Math.min(300, response.body().length()));
    }

    /** Success is an issued certificate, whose serial is kept as its user's. */
    private static Check issued(List<Call> calls, Map<Integer, List<String>> serials) {
        return (index, response) -> {
            try {
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() == 200 && "ISSUED".equals(body.path("status").asText())) {
                    serials.get(calls.get(index).user()).add(body.path("serial").asText());
                    return null;
                }
                JsonNode error = body.path("error");
                return "HTTP " + response.statusCode() + (error.isMissingNode() ? " status " + body.path("status").asText()
                        : " code " + error.path("code").asInt() + " " + error.path("name").asText() + ": "
                        + error.path("detail").asText());
            } catch (IOException e) {
                return "HTTP " + response.statusCode() + ", body not JSON";
            }
        };
    }

    /**
     * Sends the requests from {@code threads} threads, each as soon as the previous returned; bounded
     * in time. With a {@code server}, the server's and this process's CPU time over the phase.
     */
    private static Phase phase(String name, HttpClient http, List<HttpRequest> requests, List<Call> calls, int threads,
                               int maxSeconds, Check check, ServerProcess server) throws Exception {
        long[] latency = new long[requests.size()];
        boolean[] completed = new boolean[requests.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        double serverCpu = server == null ? 0 : server.cpuMillis();
        Map<String, Double> serverKinds = server == null ? Map.of() : server.cpuMillisByKind();
        double clientCpu = ServerProcess.ownCpuMillis();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests.size() && System.nanoTime() < deadline;
                     i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    String failure;
                    try {
                        failure = check.failure(i, http.send(requests.get(i), HttpResponse.BodyHandlers.ofString()));
                    } catch (IOException e) {
                        failure = e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latency[i] = System.nanoTime() - sent;
                    completed[i] = true;
                    if (failure == null) {
                        succeeded.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, failure);
                    }
                }
            }));
        }
        pool.shutdown();
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("load worker failed", e.getCause());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double serverSpent = server == null ? 0 : server.cpuMillis() - serverCpu;
        Map<String, Double> kindsAfter = server == null ? Map.of() : server.cpuMillisByKind();
        double directory = kindsAfter.getOrDefault(ServerProcess.DIRECTORY, 0.0)
                - serverKinds.getOrDefault(ServerProcess.DIRECTORY, 0.0);
        double jit = kindsAfter.getOrDefault(ServerProcess.JIT, 0.0) - serverKinds.getOrDefault(ServerProcess.JIT, 0.0);
        double gc = kindsAfter.getOrDefault(ServerProcess.GC, 0.0) - serverKinds.getOrDefault(ServerProcess.GC, 0.0);
        double clientSpent = ServerProcess.ownCpuMillis() - clientCpu;
        // the pool has terminated: its writes to latency/completed happen-before here (Future.get)
        long[] done = IntStream.range(0, requests.size()).filter(i -> completed[i]).mapToLong(i -> latency[i]).toArray();
        return new Phase(name, done.length, succeeded.get(), seconds, done, firstFailure.get(), serverSpent, clientSpent,
                Math.max(0, directory), Math.max(0, jit), Math.max(0, gc));
    }

    private static List<HttpRequest> repeat(HttpRequest request, int times) {
        return Collections.nCopies(times, request);
    }

    /** HTTP/1.1 over TLS, trusting only the demo CA. */
    private static HttpClient client(Path caPem) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("demo-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
