package org.autoenroll.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs command lines in bash as a user types them, and background processes stopped by their PID. */
final class Shell {
    /** A finished command: exit code and its output (stdout and stderr merged). */
    record Result(int exitCode, String output) {
    }

    /** A background process whose output is collected as it comes. */
    static final class Background implements AutoCloseable {
        private final Process process;
        private final StringBuffer output = new StringBuffer();

        private Background(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "shell-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until the output contains {@code text}; fails with the output when the process ends or time runs out. */
        String awaitOutput(String text, Duration timeout) throws InterruptedException {
            Instant end = Instant.now().plus(timeout);
            while (Instant.now().isBefore(end)) {
                if (output.indexOf(text) >= 0) {
                    return output.toString();
                }
                if (!process.isAlive() && output.indexOf(text) < 0) {
                    Thread.sleep(200);
                    throw new AssertionError("exited with " + process.exitValue() + " before printing '" + text + "':\n" + output);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + output);
        }

        String output() {
            return output.toString();
        }

        /** SIGTERM to the process and everything it started (the JVM's shutdown hook stops the server gracefully). */
        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    handle.destroyForcibly();
                }
            }
        }
    }

    private Shell() {
    }

    static Result run(Path dir, Map<String, String> env, String command, Duration timeout) throws IOException, InterruptedException {
        Process process = builder(dir, env, command).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Background start(Path dir, Map<String, String> env, String command) throws IOException {
        return new Background(builder(dir, env, command).start());
    }

    private static ProcessBuilder builder(Path dir, Map<String, String> env, String command) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        // a machine's own Kerberos settings never leak in
        builder.environment().remove("KRB5_CONFIG");
        builder.environment().remove("KRB5CCNAME");
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().putAll(env);
        return builder;
    }

    static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }

    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
