package org.autoenroll.ldap.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds and runs the programs the fixtures start (slapd, samba, samba-tool). A missing program
 * aborts the calling test (JUnit assumption) on a developer machine and fails it under CI
 * ({@code CI} set), so CI can never pass by skipping.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExternalPrograms {
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    private ExternalPrograms() {
    }

    /** The program's path; aborts (no CI) or fails (CI) the test when it is not installed. */
    public static Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        String message = program + " is not installed (Debian package " + debianPackage + "; .ci/run installs it)";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(message + ": CI is set, so this fails instead of skipping");
        }
        Assumptions.abort(message + ": skipped because CI is not set");
        throw new AssertionError("unreachable");
    }

    /** The program on PATH or in the sbin directories (which a non-root PATH may lack). */
    public static Optional<Path> find(String program) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(Arrays.asList(path.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when nothing listens on 127.0.0.1:port and this process may bind it. */
    public static boolean tcpPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs a command to completion, output merged into {@code log}; stdin is closed at once.
     *
     * @throws IllegalStateException when it fails or outlives the timeout, with the log's tail
     */
    public static void run(List<String> command, Path log, long timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " " + command.get(1) + " did not finish in "
                        + timeoutSeconds + " s; see " + log + "\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " exited with " + process.exitValue() + "; see " + log + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last ~2 KB of a log file, for failure messages. */
    public static String tail(Path log) {
        try (InputStream in = Files.newInputStream(log)) {
            byte[] all = in.readAllBytes();
            int from = Math.max(0, all.length - 2048);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops a process and all its descendants by PID: TERM first, KILL after the grace period. */
    public static void stop(Process process, long graceMillis) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }
}
