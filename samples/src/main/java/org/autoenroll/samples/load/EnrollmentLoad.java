package org.autoenroll.samples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.server.demo.DemoEnvironment;
import org.autoenroll.server.demo.DemoEnvironment.DemoUser;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A bounded load test of the whole enrollment path: it starts the reference server's demo
 * environment in this JVM (KDC, directory, CA, H2, HTTPS on 127.0.0.1 and a free port, in a
 * temporary directory), then sends enrollments over HTTPS from a few client threads, each with a
 * Negotiate token from the demo KDC and a fresh EC P-256 CSR, and reports requests per second and
 * latency percentiles. The baseline, measured in the same run over the same HTTPS client and
 * threads, is {@code GET /healthz} (TLS, routing, one database round trip): the ratios are what
 * the figures mean on a shared machine. It stops by itself: at most {@code --requests} per phase
 * and {@code --max-seconds} per phase; then it stops the server and deletes its directory.
 *
 * <p>Tokens and CSRs are made before the timed phases so that the client's own work does not
 * compete with the server for CPU while measuring (client and server share the machine).
 *
 * <p>Run: see samples/README.md. Not thread-safe: one run at a time per JVM (the demo's KDC is
 * JVM-wide).
 */
public final class EnrollmentLoad {
    /** Tokens carry their ctime: all phases must end within the acceptor's 5 minutes of skew. */
    static final int LARGEST_MAX_SECONDS = 80;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How much load: enrollments (and baseline requests) per phase, client threads, time limit per phase. */
    public record Options(int requests, int threads, int maxSeconds, Path dataDir) {
        public Options {
            if (requests < 1 || requests > 100_000) {
                throw new IllegalArgumentException("--requests must be 1..100000");
            }
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("--threads must be 1..64");
            }
            if (maxSeconds < 1 || maxSeconds > LARGEST_MAX_SECONDS) {
                throw new IllegalArgumentException("--max-seconds must be 1.." + LARGEST_MAX_SECONDS
                        + " (tokens must be used within the 5 minutes of clock skew)");
            }
        }

        public static Options defaults() {
            return new Options(500, 4, 60, null);
        }
    }

    /** The two measured phases; ratios are enrollment over baseline. */
    public record Report(String server, Options options, Phase baseline, Phase enroll) {
        public double throughputRatio() {
            return baseline.rate() > 0 ? enroll.rate() / baseline.rate() : 0;
        }

        public double p50Ratio() {
            double base = baseline.percentileMillis(50);
            return base > 0 ? enroll.percentileMillis(50) / base : 0;
        }

        public String format() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "autoenroll load: %s, %d client threads, %d cores, up to %d requests"
                            + " and %d s per phase%n", server, options.threads(), Runtime.getRuntime().availableProcessors(),
                    options.requests(), options.maxSeconds()));
            out.append(baseline.line()).append('\n');
            out.append(enroll.line()).append('\n');
            out.append(String.format(Locale.ROOT, "ratio enroll/healthz: throughput %.3f, p50 latency %.1fx, p95 %.1fx,"
                            + " p99 %.1fx%n", throughputRatio(), p50Ratio(),
                    ratio(enroll.percentileMillis(95), baseline.percentileMillis(95)),
                    ratio(enroll.percentileMillis(99), baseline.percentileMillis(99))));
            for (Phase phase : List.of(baseline, enroll)) {
                if (phase.firstFailure() != null) {
                    out.append(phase.name()).append(" first failure: ").append(phase.firstFailure()).append('\n');
                }
            }
            return out.toString();
        }

        private static double ratio(double a, double b) {
            return b > 0 ? a / b : 0;
        }
    }

    private EnrollmentLoad() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: EnrollmentLoad [--requests N (500)] [--threads T (4)] [--max-seconds S (60)]"
                    + " [--data-dir DIR (a temporary directory, deleted)]");
            System.exit(2);
            return;
        }
        // Two INFO lines per request (access log, enrollment log) would measure the terminal: keep them to
        // warnings unless the caller set them (-D...); a load tool's own JVM, never done in the server.
        for (String logger : List.of("org.autoenroll.core", "org.autoenroll.server.access")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        Report report = run(options);
        System.out.print(report.format());
        System.exit(report.enroll().failed() == 0 && report.baseline().failed() == 0 ? 0 : 1);
    }

    static Options parse(String[] args) {
        Options defaults = Options.defaults();
        int requests = defaults.requests();
        int threads = defaults.threads();
        int maxSeconds = defaults.maxSeconds();
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
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
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " needs a number");
            }
            i++;
        }
        return new Options(requests, threads, maxSeconds, dataDir);
    }

    /** Starts the demo, runs warm-up, baseline and enrollment phases, stops the demo. */
    public static Report run(Options options) throws Exception {
        Path dir = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("autoenroll-load");
        try (DemoEnvironment demo = DemoEnvironment.start(dir, 0)) {
            URI base = URI.create("https://localhost:" + demo.port());
            HttpClient http = client(demo.caPem());
            List<DemoUser> users = DemoEnvironment.USERS;
            int warmup = Math.min(100, Math.max(2 * options.threads(), options.requests() / 5));

            // Everything the client computes, before any timing: tokens (AES) and CSRs (EC keys, signatures).
            DemoTokens tokens = new DemoTokens(demo.kdcPort(), users);
            List<HttpRequest> enrollments = new ArrayList<>();
            for (int i = 0; i < users.size() + warmup + options.requests(); i++) {
                int user = i % users.size();
                enrollments.add(enrollRequest(base, tokens.next(user), users.get(user)));
            }
            HttpRequest health = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(30)).GET().build();

            // Warm-up, not measured: the JIT, TLS sessions, connection pool; one enrollment per user first,
            // alone, so that the person records exist before concurrent requests arrive.
            Phase first = phase("first", http, enrollments.subList(0, users.size()), 1, options.maxSeconds(),
                    EnrollmentLoad::issued);
            if (first.failed() > 0 || first.sent() < users.size()) {
                throw new IllegalStateException("the demo refused the first enrollment: " + first.firstFailure());
            }
            phase("warm-up", http, repeat(health, warmup), options.threads(), options.maxSeconds(), EnrollmentLoad::ok);
            phase("warm-up", http, enrollments.subList(users.size(), users.size() + warmup), options.threads(),
                    options.maxSeconds(), EnrollmentLoad::issued);

            Phase baseline = phase("healthz (base)", http, repeat(health, options.requests()), options.threads(),
                    options.maxSeconds(), EnrollmentLoad::ok);
            Phase enroll = phase("enroll", http, enrollments.subList(users.size() + warmup, enrollments.size()),
                    options.threads(), options.maxSeconds(), EnrollmentLoad::issued);
            return new Report("demo server " + base + " (loopback, in this JVM)", options, baseline, enroll);
        } finally {
            if (options.dataDir() == null) {
                deleteTree(dir);
            }
        }
    }

    /** Why a response is not a success (no token or CSR in it), or null. */
    @FunctionalInterface
    private interface Check {
        String failure(HttpResponse<String> response);
    }

    private static String ok(HttpResponse<String> response) {
        return response.statusCode() == 200 ? null : "HTTP " + response.statusCode();
    }

    private static String issued(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() == 200 && "ISSUED".equals(body.path("status").asText())) {
                return null;
            }
            JsonNode error = body.path("error");
            return "HTTP " + response.statusCode() + (error.isMissingNode() ? " status " + body.path("status").asText()
                    : " code " + error.path("code").asInt() + " " + error.path("name").asText());
        } catch (IOException e) {
            return "HTTP " + response.statusCode() + ", body not JSON";
        }
    }

    /** Sends the requests from {@code threads} threads, each as soon as the previous returned; bounded in time. */
    private static Phase phase(String name, HttpClient http, List<HttpRequest> requests, int threads, int maxSeconds,
                               Check check) throws InterruptedException {
        long[] latency = new long[requests.size()];
        boolean[] completed = new boolean[requests.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
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
                        failure = check.failure(http.send(requests.get(i), HttpResponse.BodyHandlers.ofString()));
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
        // the pool has terminated: its writes to latency/completed happen-before here (Future.get)
        long[] done = java.util.stream.IntStream.range(0, requests.size()).filter(i -> completed[i])
                .mapToLong(i -> latency[i]).toArray();
        return new Phase(name, done.length, succeeded.get(), seconds, done, firstFailure.get());
    }

    private static List<HttpRequest> repeat(HttpRequest request, int times) {
        List<HttpRequest> list = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            list.add(request);
        }
        return list;
    }

    private static HttpRequest enrollRequest(URI base, byte[] token, DemoUser user) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("customerUri", DemoEnvironment.CUSTOMER_URI);
        body.put("orgId", "1");
        body.put("email", user.email());
        body.put("csr", csr(user.commonName()));
        return HttpRequest.newBuilder(base.resolve("/api/v1/enroll")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Negotiate " + Base64.getEncoder().encodeToString(token))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    /** A fresh EC P-256 key and its PKCS#10 request for {@code CN=commonName}, in PEM. */
    static String csr(String commonName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        }
        return out.toString();
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
