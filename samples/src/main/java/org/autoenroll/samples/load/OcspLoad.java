package org.autoenroll.samples.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * OCSP answers per second from the reference server, with requests as {@code openssl ocsp} forms
 * them ({@link OcspRequests}), over plain HTTP keep-alive ({@link KeepAliveHttp}) to the demo
 * environment's publication listener. The server runs in a process of its own
 * ({@link OcspLoadServer}, started and stopped here) so that the figures are the server's; this
 * process is the load generator only. Phases, each with the same threads and limits:
 * <ol>
 *   <li>{@code ca.crt}: {@code GET /ca.crt}, the baseline (HTTP, routing, access log, a static body);</li>
 *   <li>{@code ocsp GET}: {@code GET /ocsp/<base64>} about good certificates, in turn, no nonce:
 *       the answers the responder signs once and serves again;</li>
 *   <li>{@code ocsp POST nonce}: {@code POST /ocsp}, each request with its own nonce: every answer
 *       signed.</li>
 * </ol>
 * Also, in this process and before the phases: the raw signing rate of the CA's key type (EC
 * P-256, SHA256withECDSA, Bouncy Castle as the CA uses it) on the same number of threads, the
 * ceiling of the POST phase. Every answer is checked (HTTP 200, the media type, a successful
 * OCSPResponse); one in 100, and the first of each thread, is parsed and checked in full
 * (signature by the CA, status good, the nonce echoed). The server's CPU time per request comes
 * from {@code /proc/<pid>/stat}.
 *
 * <p>Run: see samples/README.md. Not thread-safe: one run per JVM.
 */
public final class OcspLoad {
    /** How much load: requests per phase, client threads, time limit per phase, certificates asked about. */
    public record Options(int requests, int threads, int maxSeconds, int certificates) {
        public Options {
            if (requests < 1 || requests > 1_000_000) {
                throw new IllegalArgumentException("--requests must be 1..1000000");
            }
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("--threads must be 1..64");
            }
            if (maxSeconds < 1 || maxSeconds > 600) {
                throw new IllegalArgumentException("--max-seconds must be 1..600");
            }
            if (certificates < 1 || certificates > 100_000) {
                throw new IllegalArgumentException("--certificates must be 1..100000");
            }
        }
    }

    /** The figures of one run. */
    public record Report(Options options, double signsPerSecond, List<Phase> phases, List<Double> serverCpuMillis) {
        public boolean allSucceeded() {
            return phases.stream().allMatch(p -> p.failed() == 0 && p.sent() > 0);
        }

        public String text() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "OCSP load: %d threads, up to %d requests or %d s per phase, %d certificates%n",
                    options.threads(), options.requests(), options.maxSeconds(), options.certificates()));
            out.append(String.format(Locale.ROOT, "%-16s raw SHA256withECDSA P-256 signs (Bouncy Castle, this process): %.1f/s%n",
                    "sign", signsPerSecond));
            for (int i = 0; i < phases.size(); i++) {
                out.append(phases.get(i).line()).append(String.format(Locale.ROOT, "   server CPU %.3f ms/req%n",
                        serverCpuMillis.get(i)));
                if (phases.get(i).firstFailure() != null) {
                    out.append("  first failure: ").append(phases.get(i).firstFailure()).append('\n');
                }
            }
            double base = phases.get(0).rate();
            out.append(String.format(Locale.ROOT, "ratios: GET/ca.crt %.3f, POST nonce/ca.crt %.3f, GET/POST nonce %.2f,"
                            + " POST nonce/raw signs %.3f%n", phases.get(1).rate() / base, phases.get(2).rate() / base,
                    phases.get(1).rate() / phases.get(2).rate(), phases.get(2).rate() / signsPerSecond));
            return out.toString();
        }
    }

    private OcspLoad() {
    }

    public static void main(String[] args) throws Exception {
        Report report = run(parse(args));
        System.out.print(report.text());
        if (!report.allSucceeded()) {
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        int requests = 50_000;
        int threads = 4;
        int maxSeconds = 30;
        int certificates = 1_000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(value);
                case "--certificates" -> certificates = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --requests N --threads N --max-seconds N --certificates N");
            }
            i++;
        }
        return new Options(requests, threads, maxSeconds, certificates);
    }

    public static Report run(Options options) throws Exception {
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OcspLoadServer.class.getName(),
                Integer.toString(options.certificates()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Started started = awaitReady(server);
            double signs = rawSigns(options);
            List<byte[]> gets = new ArrayList<>();
            for (BigInteger serial : started.serials()) {
                gets.add(OcspRequests.request(started.ca(), serial, null));
            }
            OcspPhases phases = new OcspPhases(options, started.port(), started.ca());
            // warm up the server's code paths and fill the answer cache, unmeasured
            phases.run("warm-up", Math.min(options.requests(), 5_000), gets, false);
            List<Phase> measured = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (String name : List.of("ca.crt", "ocsp GET", "ocsp POST nonce")) {
                long cpuBefore = cpuTicks(started.pid());
                Phase phase = switch (name) {
                    case "ca.crt" -> phases.baseline(name);
                    case "ocsp GET" -> phases.run(name, options.requests(), gets, false);
                    default -> phases.run(name, options.requests(), gets, true);
                };
                long ticks = cpuTicks(started.pid()) - cpuBefore;
                measured.add(phase);
                cpu.add(phase.sent() == 0 ? 0 : ticks * 1000.0 / TICKS_PER_SECOND / phase.sent());
            }
            return new Report(options, signs, measured, cpu);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroy();
            }
        }
    }

    private record Started(int port, long pid, X509CertificateHolder ca, List<BigInteger> serials) {
    }

    private static Started awaitReady(Process server) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        X509CertificateHolder ca = null;
        List<BigInteger> serials = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("CA ")) {
                ca = new X509CertificateHolder(Base64.getDecoder().decode(line.substring(3)));
            } else if (line.startsWith("SERIAL ")) {
                serials.add(new BigInteger(line.substring(7), 16));
            } else if (line.startsWith("READY ")) {
                String[] parts = line.split(" ");
                // keep draining its output so that its logging never blocks on a full pipe
                Thread drain = new Thread(() -> {
                    try {
                        lines.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the server stopped
                    }
                }, "ocsp-load-server-output");
                drain.setDaemon(true);
                drain.start();
                return new Started(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), ca, serials);
            }
        }
        throw new IOException("the OCSP load server stopped before it was ready (exit " + server.exitValue() + ")");
    }

    /** Raw signatures per second over the options' threads, for 3 s after 1 s of warm-up. */
    private static double rawSigns(Options options) throws Exception {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", bc);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] message = new byte[200];
        long[] counts = new long[options.threads()];
        List<Thread> threads = new ArrayList<>();
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long end = warm + TimeUnit.SECONDS.toNanos(3);
        for (int t = 0; t < options.threads(); t++) {
            int slot = t;
            Thread thread = new Thread(() -> {
                try {
                    Signature signature = Signature.getInstance("SHA256withECDSA", bc);
                    SecureRandom random = new SecureRandom();
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        signature.initSign(pair.getPrivate(), random);
                        signature.update(message);
                        signature.sign();
                        if (now >= warm) {
                            counts[slot]++;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        long total = 0;
        for (int t = 0; t < threads.size(); t++) {
            threads.get(t).join();
            total += counts[t];
        }
        return total / 3.0;
    }

    private static final double TICKS_PER_SECOND = 100.0;

    /** utime + stime of the process, in clock ticks (USER_HZ, 100 on Linux); 0 where /proc is absent. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the parenthesised command name: state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
