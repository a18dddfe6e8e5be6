package org.autoenroll.samples.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load client's handle on a {@link DemoServerProcess}: starts it (this JVM's java and class
 * path unless told otherwise), waits for its READY line, sends it commands, and reads its CPU time
 * (user + system, all threads) from {@code /proc/<pid>/stat}. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {
    /** Clock ticks per second of /proc's utime and stime (USER_HZ): 100 on Linux. */
    private static final double TICKS_PER_SECOND = clockTicks();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int port;
    private final int kdcPort;

    private ServerProcess(Process process, BufferedReader out, Writer in, int port, int kdcPort) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.port = port;
        this.kdcPort = kdcPort;
    }

    static ServerProcess start(Path dataDir, String caKey, String postgresqlUrl, List<String> jvmOptions,
                               String classPath) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // two INFO lines per request (access log, enrollment log) would measure the pipe
        command.add("-Dorg.slf4j.simpleLogger.log.org.autoenroll.core=warn");
        command.add("-Dorg.slf4j.simpleLogger.log.org.autoenroll.server.access=warn");
        command.add("-cp");
        command.add(classPath);
        command.add(DemoServerProcess.class.getName());
        command.add("--data-dir");
        command.add(dataDir.toString());
        command.add("--ca-key");
        command.add(caKey);
        if (postgresqlUrl != null) {
            command.add("--postgresql");
            command.add(postgresqlUrl);
        }
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String ready = out.readLine();
        // the JVM may print first (e.g. -XX:StartFlightRecording announces its recording)
        for (int skipped = 0; ready != null && !ready.startsWith("READY ") && skipped < 20; skipped++) {
            ready = out.readLine();
        }
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("the demo server did not start (see " + log + "): " + ready + "\n" + tail(log));
        }
        String[] words = ready.split(" ");
        return new ServerProcess(process, out, in, Integer.parseInt(words[1]), Integer.parseInt(words[2]));
    }

    int port() {
        return port;
    }

    int kdcPort() {
        return kdcPort;
    }

    long pid() {
        return process.pid();
    }

    /** Sends one command and returns the server's one-line answer. */
    String command(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
        String answer = out.readLine();
        if (answer == null) {
            throw new IOException("the demo server ended");
        }
        return answer;
    }

    /** The server process's CPU time so far (user + system), in milliseconds. */
    double cpuMillis() throws IOException {
        return cpuMillis(Path.of("/proc", Long.toString(process.pid()), "stat"));
    }

    /**
     * The server process's CPU time so far, in milliseconds, by kind of thread (from each
     * thread's {@code /proc/<pid>/task/<tid>/stat}; threads that ended are missing): {@code
     * directory} is the demo's in-memory AD answering the server (UnboundID listener threads; in
     * production AD is another machine), {@code jit} and {@code gc} the JVM's compiler and collector threads.
     */
    Map<String, Double> cpuMillisByKind() throws IOException {
        Map<String, Double> kinds = new HashMap<>();
        kinds.put(DIRECTORY, 0.0);
        kinds.put(JIT, 0.0);
        kinds.put(GC, 0.0);
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String name;
                double millis;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    millis = cpuMillis(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String kind = name.startsWith("LDAPListener") ? DIRECTORY
                        : name.contains("CompilerThre") ? JIT
                        : name.startsWith("GC ") || name.startsWith("G1 ") || name.equals("VM Thread") ? GC : null;
                if (kind != null) {
                    kinds.merge(kind, millis, Double::sum);
                }
            }
        }
        return kinds;
    }

    static final String DIRECTORY = "directory";
    static final String JIT = "jit";
    static final String GC = "gc";

    /** The CPU time of this (client) process so far, in milliseconds. */
    static double ownCpuMillis() throws IOException {
        return cpuMillis(Path.of("/proc/self/stat"));
    }

    private static double cpuMillis(Path stat) throws IOException {
        String text = Files.readString(stat);
        // fields after the command name, which is in parentheses and may hold spaces
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // utime and stime are fields 14 and 15 of stat(5); here 0-based after field 2
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String answer = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor(5, TimeUnit.SECONDS);
            return Double.parseDouble(answer);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Asks the server to stop, waits for it (forcibly after 60 s). */
    @Override
    public void close() throws IOException {
        try {
            in.write("stop\n");
            in.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
