package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness signal reaches a notification socket as systemd's: an AF_UNIX datagram socket
 * (made here by python3, since Java 17 has no AF_UNIX datagrams) receives READY=1 and the JVM's
 * MAINPID from the real systemd-notify.
 */
class SystemdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void ready_withoutNotifySocket_doesNothing() {
        SystemdNotify notify = new SystemdNotify(Map.of(), "/nonexistent/systemd-notify");
        assertFalse(notify.wanted());
        assertFalse(notify.ready(1, "x"));
    }

    @Test
    void ready_programMissing_reportsFalseWithoutThrowing() {
        SystemdNotify notify = new SystemdNotify(Map.of("NOTIFY_SOCKET", dir.resolve("none").toString()),
                dir.resolve("no-such-systemd-notify").toString());
        assertTrue(notify.wanted());
        assertFalse(notify.ready(1, "x"));
    }

    @Test
    void ready_datagramSocket_receivesReadyAndMainPid() throws Exception {
        boolean tools = onPath("python3") && onPath("systemd-notify");
        Assumptions.assumeTrue(tools || System.getenv("CI") != null, "python3 or systemd-notify missing (they are in CI)");
        Path socket = dir.resolve("notify.sock");
        Path received = dir.resolve("received.txt");
        // receives datagrams until READY=1 came; passed descriptors (systemd-notify's BARRIER) are dropped, which closes them
        String listener = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[1])",
                "open(sys.argv[1] + '.bound', 'w').close()",
                "s.settimeout(20)",
                "out = open(sys.argv[2], 'w')",
                "while True:",
                "    data = s.recv(4096).decode()",
                "    out.write(data + '\\n'); out.flush()",
                "    if 'READY=1' in data: break");
        Process python = new ProcessBuilder("python3", "-c", listener, socket.toString(), received.toString())
                .redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(Path.of(socket + ".bound")); i++) {
                Thread.sleep(50);
            }
            long pid = ProcessHandle.current().pid();
            boolean sent = new SystemdNotify(Map.of("NOTIFY_SOCKET", socket.toString()), "systemd-notify").ready(pid, "serving");
            assertTrue(python.waitFor(20, TimeUnit.SECONDS), "the listener got no READY=1");
            String messages = Files.readString(received, StandardCharsets.UTF_8);
            assertTrue(sent, messages);
            assertTrue(messages.contains("READY=1"), messages);
            assertTrue(messages.contains("MAINPID=" + pid), messages);
            assertTrue(messages.contains("STATUS=serving"), messages);
            assertEquals(0, python.exitValue());
        } finally {
            python.destroyForcibly();
        }
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
