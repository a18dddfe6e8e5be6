package org.autoenroll.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 8, on the unpacked release tarball: {@code bin/autoenroll --demo} runs the demo
 * (lib/demo/ added), the client shipped in it enrolls alice; then the backup and restore blocks of
 * docs/OPERATIONS.md run as written (less their systemctl lines) with the database and the CA key
 * store wiped between them; then the server starts from the slim class path (lib/ only, no demo
 * jar) with the configuration the demo wrote, as {@code --config} in production, and OCSP answers
 * "good" for the serial issued before, signed by the restored CA (checked by openssl), while
 * {@code --demo} on that class path says that the demo jars are missing.
 */
class DemoPackagedServerTest {
    private static final Path ROOT = Path.of(System.getProperty("autoenroll.root", "..")).toAbsolutePath().normalize();
    private static final Path DIST = Path.of(System.getProperty("autoenroll.dist", "target/dist")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void tarball_demoEnrolls_backupWipeRestore_slimServerServesRestoredCertificates() throws Exception {
        assertTrue(Files.isExecutable(DIST.resolve("bin/autoenroll")), DIST + " is unpacked by the package phase");
        assertTrue(Files.isDirectory(DIST.resolve("lib/demo")));
        try (Stream<Path> lib = Files.list(DIST.resolve("lib"))) {
            List<String> names = lib.map(p -> p.getFileName().toString()).toList();
            assertFalse(names.stream().anyMatch(n -> n.startsWith("kerb-simplekdc") || n.startsWith("kerb-server")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("reference-server")), names.toString());
        }
        Path data = dir.resolve("data");
        int port = Shell.freePort();
        String serial;
        try (Shell.Background demo = Shell.start(dir, Map.of(),
                "'" + DIST.resolve("bin/autoenroll") + "' --demo --data-dir '" + data + "' --port " + port)) {
            demo.awaitOutput("demo is running", Duration.ofSeconds(120));
            Shell.Result enrolled = Shell.run(dir, Map.of(), "java -jar '" + DIST.resolve("client/autoenroll-client.jar")
                    + "' enroll --server https://localhost:" + port + " --ca data/ca.pem --krb5-conf data/krb5.conf --customer demo"
                    + " --email alice@example.com --user alice@EXAMPLE.COM --password alice-demo-pw --store certs", Duration.ofSeconds(120));
            assertEquals(0, enrolled.exitCode(), enrolled.output());
            Matcher issued = Pattern.compile("User: ENROLL done, serial ([0-9A-F]+)").matcher(enrolled.output());
            assertTrue(issued.find(), enrolled.output());
            serial = issued.group(1);
        }

        String operations = Files.readString(ROOT.resolve("docs/OPERATIONS.md"));
        Map<String, String> env = Map.of("AUTOENROLL_HOME", DIST.toString(), "DATA", data.toString(),
                "BACKUP", dir.resolve("backup").toString());
        Shell.Result backup = Shell.run(dir, env, block(operations, "# backup (H2)"), Duration.ofSeconds(120));
        assertEquals(0, backup.exitCode(), backup.output());
        assertTrue(Files.size(dir.resolve("backup/db.zip")) > 0);

        // the loss: database and CA key store gone
        Shell.run(dir, Map.of(), "rm -rf '" + data.resolve("db") + "' '" + data.resolve("ca") + "'", Duration.ofSeconds(30));
        Shell.Result restore = Shell.run(dir, env, block(operations, "# restore (H2)"), Duration.ofSeconds(120));
        assertEquals(0, restore.exitCode(), restore.output());

        String slim = "java -cp '" + DIST.resolve("lib") + "/*' org.autoenroll.server.Main";
        Shell.Result demoWithoutJars = Shell.run(dir, Map.of(), slim + " --demo --data-dir other-demo --port 0", Duration.ofSeconds(60));
        assertEquals(1, demoWithoutJars.exitCode(), demoWithoutJars.output());
        assertTrue(demoWithoutJars.output().contains("--demo needs the demo jars"), demoWithoutJars.output());
        assertFalse(Files.exists(dir.resolve("other-demo")), "nothing written without the demo jars");

        String config = Files.readString(data.resolve("demo-config.yaml"));
        Matcher publication = Pattern.compile("publicationPort: (\\d+)").matcher(config);
        assertTrue(publication.find(), config);
        try (Shell.Background server = Shell.start(dir, Map.of(), slim + " --config '" + data.resolve("demo-config.yaml") + "'")) {
            server.awaitOutput("autoenroll server listening on", Duration.ofSeconds(120));
            assertFalse(server.output().contains("NoClassDefFoundError"), server.output());
            boolean openssl = Shell.onPath("openssl");
            Assumptions.assumeTrue(openssl || System.getenv("CI") != null, "openssl missing: OCSP is not checked (it is in CI)");
            String ocsp = "openssl ocsp -issuer data/ca.pem -CAfile data/ca.pem -url http://127.0.0.1:" + publication.group(1) + "/ocsp";
            Shell.Result known = Shell.run(dir, Map.of(), ocsp + " -serial 0x" + serial, Duration.ofSeconds(60));
            assertEquals(0, known.exitCode(), known.output());
            assertTrue(known.output().contains("Response verify OK"), known.output());
            assertTrue(known.output().contains(": good"), known.output());
            Shell.Result unknown = Shell.run(dir, Map.of(), ocsp + " -serial 0x1234567890ABCDEF", Duration.ofSeconds(60));
            assertTrue(unknown.output().contains(": unknown"), unknown.output());
        }
    }

    /** The ```sh block of docs/OPERATIONS.md whose first line is {@code title}, without its systemctl lines. */
    static String block(String markdown, String title) {
        Matcher blocks = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (blocks.find()) {
            List<String> lines = blocks.group(1).lines().toList();
            if (!lines.isEmpty() && lines.get(0).startsWith(title)) {
                return "set -euo pipefail\n" + lines.stream().filter(l -> !l.startsWith("systemctl "))
                        .collect(Collectors.joining("\n"));
            }
        }
        throw new AssertionError("docs/OPERATIONS.md has no block " + title);
    }
}
