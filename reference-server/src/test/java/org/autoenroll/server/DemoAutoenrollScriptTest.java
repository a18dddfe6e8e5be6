package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.server.demo.DemoEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/scripts/autoenroll.sh} (curl, openssl and jq, no logic of its own beyond the
 * requirements list) against the demo server, run as users would: after {@code kinit}, alice gets
 * User and StaffVPN; a second run does nothing; a lost private key is replaced; bob, a contractor,
 * never gets StaffVPN. Named Demo*: the demo's Kerby KDC keeps JVM-wide state, so this runs in the
 * demo's own JVM (the surefire execution "demo").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoAutoenrollScriptTest {
    @TempDir
    static Path dir;
    static DemoEnvironment demo;
    static Path script;

    @BeforeAll
    static void start() throws Exception {
        boolean tools = List.of("kinit", "curl", "openssl", "jq", "bash").stream().allMatch(DemoAutoenrollScriptTest::onPath);
        Assumptions.assumeTrue(tools || System.getenv("CI") != null, "kinit, curl, openssl or jq missing (they are in CI)");
        script = Path.of("..", "samples", "scripts", "autoenroll.sh").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(script), script.toString());
        demo = DemoEnvironment.start(dir.resolve("demo"), 0);
        for (DemoEnvironment.DemoUser user : DemoEnvironment.USERS) {
            run(user, null, "echo " + user.password() + " | kinit " + user.name() + "@" + DemoEnvironment.REALM);
        }
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    record Result(int exit, String output) {
    }

    static Result run(DemoEnvironment.DemoUser user, Path store, String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        builder.environment().put("KRB5_CONFIG", demo.krb5Conf().toString());
        builder.environment().put("KRB5CCNAME", "FILE:" + dir.resolve(user.name() + ".ccache"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(process.exitValue(), output);
    }

    static Result autoenroll(DemoEnvironment.DemoUser user) throws Exception {
        Path store = dir.resolve("store-" + user.name());
        return run(user, store, String.join(" ", "bash", quote(script.toString()), quote("https://localhost:" + demo.port()),
                quote(DemoEnvironment.CUSTOMER_URI), quote(user.email()), quote(user.commonName()), quote(demo.caPem().toString()),
                quote(store.toString())));
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    static BigInteger serialOf(Path pem) throws Exception {
        return ServerHarness.certificate(Files.readString(pem)).getSerialNumber();
    }

    static final DemoEnvironment.DemoUser ALICE = DemoEnvironment.USERS.get(0);
    static final DemoEnvironment.DemoUser BOB = DemoEnvironment.USERS.get(1);

    @Test
    @Order(1)
    void firstRun_enrollsEveryTemplateDue_andOpensslVerifiesThem() throws Exception {
        Result first = autoenroll(ALICE);
        assertEquals(0, first.exit(), first.output());
        Path store = dir.resolve("store-alice");
        for (String template : List.of("User", "StaffVPN")) {
            assertTrue(Files.isRegularFile(store.resolve(template + ".pem")), first.output());
            assertTrue(Files.isRegularFile(store.resolve(template + ".key")), first.output());
            OpenSsl.Result verdict = OpenSsl.require().verify(demo.caPem(), store.resolve(template + ".pem"));
            assertTrue(verdict.ok(), verdict.output());
        }
        assertFalse(Files.exists(store.resolve("ManagerApproved.pem")), "enroll-only templates are not autoenrolled");
    }

    @Test
    @Order(2)
    void secondRun_nothingIsDue() throws Exception {
        Path store = dir.resolve("store-alice");
        BigInteger before = serialOf(store.resolve("User.pem"));
        Result again = autoenroll(ALICE);
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("nothing to do"), again.output());
        assertEquals(before, serialOf(store.resolve("User.pem")));
    }

    @Test
    @Order(3)
    void lostPrivateKey_isReplacedByANewCertificate() throws Exception {
        Path store = dir.resolve("store-alice");
        BigInteger before = serialOf(store.resolve("User.pem"));
        Files.delete(store.resolve("User.key"));
        Result again = autoenroll(ALICE);
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("User: issued"), again.output());
        assertFalse(before.equals(serialOf(store.resolve("User.pem"))));
        assertTrue(Files.isRegularFile(store.resolve("User.key")));
        assertFalse(again.output().contains("StaffVPN: issued"), again.output());
    }

    @Test
    @Order(4)
    void contractor_neverGetsTheTemplateThatDeniesHim() throws Exception {
        Result bob = autoenroll(BOB);
        assertEquals(0, bob.exit(), bob.output());
        Path store = dir.resolve("store-bob");
        assertTrue(Files.isRegularFile(store.resolve("User.pem")), bob.output());
        assertFalse(Files.exists(store.resolve("StaffVPN.pem")), bob.output());
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
