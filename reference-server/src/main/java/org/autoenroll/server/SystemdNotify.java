package org.autoenroll.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd that the server is ready ({@code Type=notify}): {@code READY=1} once HTTPS serves.
 *
 * <p>Why a child process: systemd's notification socket ({@code $NOTIFY_SOCKET}) is an AF_UNIX
 * datagram socket, and Java 17 speaks AF_UNIX with stream channels only. So the message goes
 * through {@code systemd-notify --ready --pid=<this process>}; the unit says
 * {@code NotifyAccess=all} so that systemd accepts it from a process other than the main one, and
 * {@code --pid} names this JVM as the main process. systemd-notify (systemd 246 and later) waits
 * until systemd has read the message (BARRIER=1), so its quick exit no longer loses the message to
 * the cgroup lookup race of older versions. Without {@code NOTIFY_SOCKET} (not under systemd) it
 * does nothing. The environment is passed in: nothing JVM-wide is read or set. Thread-safe.
 */
final class SystemdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final long WAIT_SECONDS = 10;

    private final Map<String, String> environment;
    private final String program;

    /**
     * @param environment the process environment ({@code System.getenv()}), where NOTIFY_SOCKET is looked up
     * @param program {@code systemd-notify}, or a path to it
     */
    SystemdNotify(Map<String, String> environment, String program) {
        this.environment = Map.copyOf(environment);
        this.program = program;
    }

    /** True when running under a service manager that asked for notifications. */
    boolean wanted() {
        String socket = environment.get("NOTIFY_SOCKET");
        return socket != null && !socket.isBlank();
    }

    /**
     * Sends READY=1 (and MAINPID) for {@code pid}. A failure is logged, never thrown: systemd then
     * stops the unit at its start timeout, which names the cause better than a crash here would.
     *
     * @return true when systemd-notify reported success
     */
    boolean ready(long pid, String status) {
        if (!wanted()) {
            return false;
        }
        List<String> command = List.of(program, "--ready", "--pid=" + pid, "--status=" + status);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NOTIFY_SOCKET", environment.get("NOTIFY_SOCKET"));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.warn("systemd-notify --ready did not finish in {} s; systemd may not see the service as started", WAIT_SECONDS);
                return false;
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                LOG.warn("systemd-notify --ready failed (exit {}): {}", process.exitValue(), output);
                return false;
            }
            LOG.info("told systemd the server is ready");
            return true;
        } catch (IOException e) {
            LOG.warn("cannot run {} to tell systemd the server is ready (install systemd, or use Type=exec): {}", program,
                    e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
