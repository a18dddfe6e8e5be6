package org.autoenroll.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbConfig;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 9: README's first two commands enroll alice on a machine with Java only. The lines
 * are read from README.md (so test and README cannot drift) and run in bash in a fresh directory
 * where the built jars sit at README's relative paths. The first line's {@code mvn package} part is
 * what built those jars (this module runs after it); the test runs the {@code java -jar} part. The
 * only change ever made to the lines: when port 8443 is taken on this shared machine, another free
 * port replaces it in both. Then: openssl verifies the stored certificate against the demo's CA,
 * the key is the owner's only, a second run finds nothing to do, {@code --renew-days} renews, a run with only an MIT ticket
 * cache (written by Kerby's client from alice's password) enrolls too, so does a PKCS#12 store, and
 * the client codes 41 (untrusted server certificate) and 37 (wrong password) come with the seed's messages.
 */
class DemoReadmeClientTest {
    private static final Path ROOT = Path.of(System.getProperty("autoenroll.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void readmeLines_enrollAliceWithJavaOnly_thenUpToDate_thenFromTicketCache() throws Exception {
        List<String> lines = firstShellBlock(Files.readString(ROOT.resolve("README.md")));
        String demoLine = lines.stream().filter(l -> l.contains("autoenroll-server.jar --demo")).findFirst().orElseThrow();
        String demo = demoLine.substring(demoLine.lastIndexOf("&& ") + 3);
        String client = lines.stream().filter(l -> l.startsWith("java -jar ") && l.contains(" enroll ")).findFirst().orElseThrow();
        assertTrue(client.contains("--user alice@EXAMPLE.COM --password alice-demo-pw"), client);

        for (String jar : List.of("reference-server/target/autoenroll-server.jar", "samples/client/target/autoenroll-client.jar")) {
            assertTrue(Files.isRegularFile(ROOT.resolve(jar)), jar + " is built before this module");
            Files.createDirectories(dir.resolve(jar).getParent());
            Files.createSymbolicLink(dir.resolve(jar), ROOT.resolve(jar));
        }
        if (!Shell.portFree(8443)) {
            String port = String.valueOf(Shell.freePort());
            demo = demo + " --port " + port;
            client = client.replace("localhost:8443", "localhost:" + port);
        }

        try (Shell.Background server = Shell.start(dir, Map.of(), demo)) {
            server.awaitOutput("demo is running", Duration.ofSeconds(120));

            Shell.Result first = Shell.run(dir, Map.of(), client, Duration.ofSeconds(120));
            assertEquals(0, first.exitCode(), client + "\n" + first.output());
            assertTrue(first.output().contains("User: ENROLL done, serial "), first.output());
            Path store = dir.resolve(storeOf(client));
            Path certificate = store.resolve("User.pem");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve("User.key"))));
            verifyWithOpenssl(dir.resolve("demo-data/ca.pem"), certificate);

            Shell.Result second = Shell.run(dir, Map.of(), client, Duration.ofSeconds(120));
            assertEquals(0, second.exitCode(), second.output());
            assertTrue(second.output().contains("up to date: nothing to do"), second.output());
            assertFalse(second.output().contains("ENROLL done"), second.output());

            // --renew-days beyond the certificate's whole life: renewed now (renewSerial), then up to date again
            String firstSerial = serialIn(first.output());
            Shell.Result renewed = Shell.run(dir, Map.of(), client + " --renew-days 400", Duration.ofSeconds(120));
            assertEquals(0, renewed.exitCode(), renewed.output());
            assertTrue(renewed.output().contains("User: RENEW done, serial "), renewed.output());
            assertFalse(serialIn(renewed.output()).equals(firstSerial), renewed.output());
            verifyWithOpenssl(dir.resolve("demo-data/ca.pem"), certificate);
            Shell.Result third = Shell.run(dir, Map.of(), client, Duration.ofSeconds(120));
            assertTrue(third.output().contains("up to date: nothing to do"), third.output());

            // the ticket cache alone: a TGT written as MIT kinit writes it, no password given to the client
            Path ccache = dir.resolve("alice.ccache");
            writeTicketCache(dir.resolve("demo-data/krb5.conf"), ccache);
            String fromCache = client.replace(" --user alice@EXAMPLE.COM --password alice-demo-pw", "")
                    .replace("--store " + storeOf(client), "--store cache-certs");
            Shell.Result cached = Shell.run(dir, Map.of("KRB5CCNAME", "FILE:" + ccache), fromCache, Duration.ofSeconds(120));
            assertEquals(0, cached.exitCode(), fromCache + "\n" + cached.output());
            assertTrue(cached.output().contains("User: ENROLL done, serial "), cached.output());
            verifyWithOpenssl(dir.resolve("demo-data/ca.pem"), dir.resolve("cache-certs/User.pem"));

            // a cache that already holds the service ticket (as after curl --negotiate): no KDC is asked, none is configured
            Path serviceCache = dir.resolve("alice-http.ccache");
            writeServiceTicketCache(dir.resolve("demo-data/krb5.conf"), serviceCache);
            String noKdc = fromCache.replace("--krb5-conf demo-data/krb5.conf", "--krb5-conf /nonexistent/krb5.conf")
                    .replace("--store cache-certs", "--store service-cache-certs");
            Shell.Result serviceTicket = Shell.run(dir, Map.of("KRB5CCNAME", "FILE:" + serviceCache), noKdc, Duration.ofSeconds(120));
            assertEquals(0, serviceTicket.exitCode(), noKdc + "\n" + serviceTicket.output());
            assertTrue(serviceTicket.output().contains("User: ENROLL done, serial "), serviceTicket.output());

            // PKCS#12, its password from the environment: openssl opens it and finds the certificate and its key
            Shell.Result p12 = Shell.run(dir, Map.of("ALICE_P12", "p12-pass-of-alice"), client.replace("--store " + storeOf(client),
                    "--store p12-certs --format pkcs12 --pkcs12-password env:ALICE_P12"), Duration.ofSeconds(120));
            assertEquals(0, p12.exitCode(), p12.output());
            if (Shell.onPath("openssl")) {
                Shell.Result opened = Shell.run(dir, Map.of("ALICE_P12", "p12-pass-of-alice"),
                        "openssl pkcs12 -in p12-certs/User.p12 -passin env:ALICE_P12 -nodes | grep -c -E 'BEGIN (CERTIFICATE|PRIVATE KEY)'",
                        Duration.ofSeconds(30));
                assertEquals("3", opened.output().strip(), "certificate, CA certificate and key: " + opened.output());
            }

            // a server certificate from a CA the client was not given: 41 with the seed's message
            String pem = Files.readString(certificate);
            String end = "-----END CERTIFICATE-----";
            Path leafOnly = Files.writeString(dir.resolve("alice-leaf.pem"), pem.substring(0, pem.indexOf(end) + end.length()) + "\n");
            Shell.Result untrusted = Shell.run(dir, Map.of(), client.replace("--ca demo-data/ca.pem", "--ca " + leafOnly)
                    .replace("--store " + storeOf(client), "--store untrusted-certs"), Duration.ofSeconds(120));
            assertEquals(1, untrusted.exitCode(), untrusted.output());
            assertTrue(untrusted.output().contains("error 41 SERVER_CERTIFICATE_NOT_TRUSTED: Not yet install the CCM security certificate."),
                    untrusted.output());

            // no --email for a user: the server's 26 is the client's 32, as the seed's client reports a user without e-mail
            Shell.Result noEmail = Shell.run(dir, Map.of(), client.replace(" --email alice@example.com", "")
                    .replace("--store " + storeOf(client), "--store no-email-certs"), Duration.ofSeconds(120));
            assertEquals(1, noEmail.exitCode(), noEmail.output());
            assertTrue(noEmail.output().contains("error 32 NO_EMAIL_IN_AD_CLIENT: User has no email address in AD."), noEmail.output());

            // a wrong password: the client's code 37 with the seed's message, and a failing exit code
            Shell.Result refused = Shell.run(dir, Map.of(), client.replace("alice-demo-pw", "wrong-pw")
                    .replace("--store " + storeOf(client), "--store refused-certs"), Duration.ofSeconds(120));
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("error 37 AUTHENTICATION_ERROR: Authentication error."), refused.output());
        }
    }

    /** The lines of README's first ```sh block, without comments and blank lines. */
    static List<String> firstShellBlock(String readme) {
        Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README has a ```sh block");
        return block.group(1).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String serialIn(String output) {
        Matcher serial = Pattern.compile("User: \\w+ done, serial ([0-9A-F]+)").matcher(output);
        assertTrue(serial.find(), output);
        return serial.group(1);
    }

    private static String storeOf(String client) {
        Matcher store = Pattern.compile("--store (\\S+)").matcher(client);
        assertTrue(store.find(), client);
        return store.group(1);
    }

    private static void writeTicketCache(Path krb5Conf, Path ccache) throws Exception {
        KrbConfig config = new KrbConfig();
        config.addKrb5Config(krb5Conf.toFile());
        KrbClient kerby = new KrbClient(config);
        kerby.setAllowUdp(false);
        kerby.init();
        TgtTicket tgt = kerby.requestTgt("alice@EXAMPLE.COM", "alice-demo-pw");
        File file = ccache.toFile();
        kerby.storeTicket(tgt, file);
        assertTrue(file.length() > 0);
    }

    private static void writeServiceTicketCache(Path krb5Conf, Path ccache) throws Exception {
        KrbConfig config = new KrbConfig();
        config.addKrb5Config(krb5Conf.toFile());
        KrbClient kerby = new KrbClient(config);
        kerby.setAllowUdp(false);
        kerby.init();
        TgtTicket tgt = kerby.requestTgt("alice@EXAMPLE.COM", "alice-demo-pw");
        kerby.storeTicket(kerby.requestSgt(tgt, "HTTP/localhost@EXAMPLE.COM"), ccache.toFile());
    }

    private static void verifyWithOpenssl(Path ca, Path certificate) throws Exception {
        boolean openssl = Shell.onPath("openssl");
        Assumptions.assumeTrue(openssl || System.getenv("CI") != null, "openssl missing: the certificate is not verified (it is in CI)");
        Shell.Result verdict = Shell.run(certificate.getParent(), Map.of(),
                "openssl verify -CAfile '" + ca + "' '" + certificate + "'", Duration.ofSeconds(30));
        assertEquals(0, verdict.exitCode(), verdict.output());
        assertTrue(verdict.output().contains(": OK"), verdict.output());
    }
}
