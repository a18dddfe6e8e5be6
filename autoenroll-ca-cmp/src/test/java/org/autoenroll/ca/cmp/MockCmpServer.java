package org.autoenroll.ca.cmp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * OpenSSL's CMP server mock-up ({@code openssl cmp -port 0 ...}, Debian's openssl 3.0) as a real
 * peer: it answers every request with the certificate it was given ({@code -rsp_cert}). Started
 * on a free port (openssl 3.0 listens on all interfaces; the tests talk to 127.0.0.1), stopped
 * by its own process handle. Missing openssl skips the test outside CI and fails it in CI.
 */
final class MockCmpServer implements AutoCloseable {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT \\S*:(\\d+)");
    private final Process process;
    private final int port;
    private final StringBuilder log = new StringBuilder();

    private MockCmpServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static void requireOpenSsl() {
        boolean present;
        try {
            Process version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            present = version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present) {
            if (System.getenv("CI") != null) {
                Assertions.fail("openssl is required in CI");
            }
            Assumptions.abort("openssl not found; skipped outside CI");
        }
    }

    /** Starts {@code openssl cmp -port 0 <options>} in {@code dir} and waits for its port. */
    static MockCmpServer start(Path dir, String... options) throws IOException, InterruptedException {
        requireOpenSsl();
        List<String> command = new ArrayList<>(List.of("openssl", "cmp", "-config", "", "-port", "0"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("mock-cmp.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = ACCEPT.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int value;
        try {
            value = port.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            value = -1;
        }
        if (value <= 0) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Assertions.fail("openssl cmp mock server did not start: " + java.nio.file.Files.readString(dir.resolve("mock-cmp.err")));
        }
        // keep draining stdout so the server never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the process ended
            }
        }, "mock-cmp-stdout");
        drain.setDaemon(true);
        drain.start();
        return new MockCmpServer(process, value);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/pkix/");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
