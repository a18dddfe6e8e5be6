package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.autoenroll.server.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port that cannot be bound is named with the configuration key that sets it (issue 13, item 6):
 * by {@link AutoenrollServer#start()} as a {@link ListenException}, and by the command line as one
 * line and exit code 1, without a stack trace.
 */
class ListenFailureTest {
    @TempDir
    Path dir;

    @Test
    void httpsPortTaken_namesAddressKeyAndReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerHarness.Prepared prepared = ServerHarness.prepare(dir, (world, tls, tlsPw, caKs, caPw, db) ->
                    ServerHarness.config(world, tls, tlsPw, caKs, caPw, db).replace("  port: 0\n", "  port: " + taken.getLocalPort() + "\n"));
            AutoenrollServer server = AutoenrollServer.create(new ConfigLoader().load(prepared.configFile()));

            ListenException e = assertThrows(ListenException.class, server::start);

            assertEquals("listen.port", e.key());
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (listen.port): address already in use"), e.getMessage());
        }
    }

    @Test
    void publicationPortTaken_namesPublicationPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerHarness.Prepared prepared = ServerHarness.prepare(dir, (world, tls, tlsPw, caKs, caPw, db) ->
                    ServerHarness.config(world, tls, tlsPw, caKs, caPw, db)
                            .replace("  publicationPort: 0\n", "  publicationPort: " + taken.getLocalPort() + "\n"));
            AutoenrollServer server = AutoenrollServer.create(new ConfigLoader().load(prepared.configFile()));

            ListenException e = assertThrows(ListenException.class, server::start);

            assertEquals("listen.publicationPort", e.key());
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (listen.publicationPort): address already in use"), e.getMessage());
        }
    }

    @Test
    void commandLine_portTaken_oneLineExitOneNoStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerHarness.Prepared prepared = ServerHarness.prepare(dir, (world, tls, tlsPw, caKs, caPw, db) ->
                    ServerHarness.config(world, tls, tlsPw, caKs, caPw, db).replace("  port: 0\n", "  port: " + taken.getLocalPort() + "\n"));
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", classPath, "org.autoenroll.server.Main", "--config", prepared.configFile().toString())
                    .redirectErrorStream(true).start();
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the server neither started nor gave up");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertEquals(1, process.exitValue(), output);
            assertTrue(output.contains("autoenroll: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (listen.port): address already in use"), output);
            assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
            assertFalse(output.contains("Exception"), "no exception names:\n" + output);
        }
    }
}
