package org.autoenroll.server;

import static org.autoenroll.server.ServerHarness.CUSTOMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP reloads the configuration file of a server running in its own process, as systemd's
 * {@code ExecReload=kill -HUP $MAINPID} does (issue 13, item 7); a broken file sent the same way
 * leaves the running configuration in place.
 */
class SighupReloadTest {
    private static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void sighup_reloadsTheFile_aBrokenOneIsRefused() throws Exception {
        ServerHarness.Prepared prepared = ServerHarness.prepare(dir, (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + TemplatesServerTest.TEMPLATES);
        String original = Files.readString(prepared.configFile());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // env --default-signal: a parent that ignores SIGHUP (nohup, some CI runners) passes that on to its
        // children, and the JVM then cannot handle it; systemd starts the server with the default action
        Process process = new ProcessBuilder("env", "--default-signal=HUP",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath, "org.autoenroll.server.Main", "--config", prepared.configFile().toString())
                .redirectErrorStream(true).start();
        StringBuffer log = new StringBuffer();
        int port = awaitListening(process, log);
        try {
            ServerHarness client = ServerHarness.external(dir, prepared, port);
            assertEquals(List.of("ENROLL User"), requirements(client));

            Files.writeString(prepared.configFile(), original + "listen:\n  port: 1\n");
            hangup(process);
            awaitLog(log, "configuration reload refused");
            assertTrue(log.toString().contains("listen: the key is written twice (line "), log.toString());
            assertEquals(List.of("ENROLL User"), requirements(client));

            Files.writeString(prepared.configFile(), original.replace("templates:\n", "templates:\n" + ReloadTest.EXTRA));
            hangup(process);
            awaitLog(log, "configuration reloaded from");
            assertEquals(List.of("ENROLL Extra", "ENROLL User"), requirements(client).stream().sorted().toList());
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> requirements(ServerHarness client) {
        HttpResponse<String> response = client.get("/api/v1/requirements?customerUri="
                + java.net.URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8), "frank");
        assertEquals(200, response.statusCode(), response.body());
        return TemplatesServerTest.actions(ServerHarness.parse(response));
    }

    private static void hangup(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -HUP");
    }

    private static void awaitLog(StringBuffer log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in the server's log:\n" + log);
            }
            Thread.sleep(100);
        }
        // the log line comes after the swap; the next request sees it
    }

    /** Reads the child's output into {@code log} on a thread of its own; returns the port once it listens. */
    private static int awaitListening(Process process, StringBuffer log) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    log.append(line).append('\n');
                }
            } catch (java.io.IOException ended) {
                // the process ended
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(log);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start:\n" + log);
    }
}
