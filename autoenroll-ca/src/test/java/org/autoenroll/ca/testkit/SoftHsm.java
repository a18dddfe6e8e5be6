package org.autoenroll.ca.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private SoftHSM2 (Debian package {@code softhsm2}) for PKCS#11 tests. SunPKCS11 loads the
 * SoftHSM2 library into the test JVM, and SoftHSM2 reads the configuration file named by the
 * JVM's environment variable {@code SOFTHSM2_CONF} when it is first initialized; a running JVM
 * cannot change its environment, so this module's surefire configuration sets
 * {@code SOFTHSM2_CONF=target/softhsm2/softhsm2.conf} and {@link #start()} writes that file and an
 * empty token directory beside it before the first PKCS#11 provider is configured. Hence one
 * SoftHSM per test JVM: start it once (e.g. in {@code @BeforeAll}) and give tests distinct key aliases.
 *
 * <p>{@link #start()} skips the test when softhsm2 is missing and CI is unset, and fails it when
 * CI is set. Not thread-safe.
 */
public final class SoftHsm {
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
    private static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"));

    private final Path conf;
    private final Path library;

    private SoftHsm(Path conf, Path library) {
        this.conf = conf;
        this.library = library;
    }

    /** Writes the configuration named by SOFTHSM2_CONF with a fresh, empty token directory. */
    public static SoftHsm start() throws IOException {
        Path library = LIBRARIES.stream().filter(Files::isReadable).findFirst().orElse(null);
        String confName = System.getenv("SOFTHSM2_CONF");
        if (library == null || !canRun("softhsm2-util", "--version") || confName == null) {
            String why = library == null ? "libsofthsm2.so not found" : confName == null
                    ? "SOFTHSM2_CONF is not set in the test JVM's environment (see this module's surefire configuration)"
                    : "softhsm2-util cannot be run";
            if (System.getenv("CI") != null) {
                Assertions.fail("SoftHSM2 is required in CI: " + why);
            }
            Assumptions.abort(why + "; skipped outside CI");
        }
        Path conf = Path.of(confName).toAbsolutePath();
        Path tokens = conf.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (var files = Files.walk(tokens)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
        return new SoftHsm(conf, library);
    }

    /** The PKCS#11 library to configure SunPKCS11 with. */
    public Path library() {
        return library;
    }

    public Path conf() {
        return conf;
    }

    /**
     * {@code softhsm2-util --init-token --free --label label --pin pin --so-pin soPin}.
     *
     * @return the slot ID the token was given
     */
    public long initToken(String label, String pin, String soPin) throws IOException {
        String output = run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", soPin);
        Matcher m = SLOT.matcher(output);
        if (!m.find()) {
            throw new IOException("softhsm2-util printed no slot: " + output);
        }
        return Long.parseLong(m.group(1));
    }

    private static boolean canRun(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String run(String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf.toString());
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command.length > 0 ? command[0] : "") + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
