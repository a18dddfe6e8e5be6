package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.autoenroll.server.cli.AdServersCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify-ad} and {@code import-ad}: the AD server registry from an operator's shell. */
class AdServersCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(boolean verify, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = verify ? AdServersCommand.verify(args, o, e) : AdServersCommand.importCsv(args, o, e);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verifyAd_reachableServer_isOkAndADeadOneNamesTheTcpStep() throws Exception {
        Path config = ServerHarness.prepare(dir, ServerHarness::config).configFile();
        Run ok = run(true, "--config", config.toString(), "--id", "ad1");
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().startsWith("OK     ad1"), ok.out());
        assertTrue(ok.out().contains("BASE_DN ok"), ok.out());

        Run dead = run(true, "--config", config.toString(), "--id", "ad-dead");
        assertEquals(1, dead.exit(), dead.out());
        assertTrue(dead.out().contains("TCP FAILED"), dead.out());
        assertFalse(dead.out().contains(new String(TestWorld.get().ad.bindPassword())), "never the bind password");

        assertEquals(1, run(true, "--config", config.toString(), "--id", "nope").exit());
        assertEquals(2, run(true, "--id", "ad1").exit());
    }

    @Test
    void importAd_csvRows_becomeYamlForTheConfiguration() throws Exception {
        Path csv = Files.writeString(dir.resolve("ad.csv"), String.join("\n",
                "id,windowsDomain,hosts,ssl,usersBaseDn,bindDn,bindPassword,defaultForCustomer",
                "corp,EXAMPLE.COM,dc1.example.com:636;dc2.example.com:636,true,\"CN=Users,DC=example,DC=com\","
                        + "\"CN=svc,CN=Users,DC=example,DC=com\",env:AD_PW,https://certs.example.com/customer/a",
                "lab,LAB.EXAMPLE.COM,dc.lab.example.com:389,false,\"OU=People,DC=lab,DC=example,DC=com\","
                        + "\"CN=svc\\, lab,CN=Users,DC=lab,DC=example,DC=com\",file:/etc/autoenroll/lab.pw,", ""));
        Run imported = run(false, "--csv", csv.toString());
        assertEquals(0, imported.exit(), imported.err());
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(imported.out());
        JsonNode servers = yaml.get("adServers");
        assertEquals(2, servers.size());
        assertEquals("dc2.example.com:636", servers.get(0).get("hosts").get(1).asText());
        assertEquals("CN=svc\\, lab,CN=Users,DC=lab,DC=example,DC=com", servers.get(1).get("bindDn").asText());
        assertEquals("file:/etc/autoenroll/lab.pw", servers.get(1).get("bindPassword").asText());
        assertTrue(imported.out().contains("customer \"https://certs.example.com/customer/a\" -> defaultAdServer: \"corp\""));
    }

    @Test
    void importAd_literalPassword_isRefusedWithoutEchoingIt() throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), String.join("\n",
                "id,windowsDomain,hosts,ssl,usersBaseDn,bindDn,bindPassword",
                "corp,EXAMPLE.COM,dc1.example.com:636,true,\"CN=Users,DC=example,DC=com\",\"CN=svc,DC=example,DC=com\",Sup3rS3cret!", ""));
        Run refused = run(false, "--csv", csv.toString());
        assertEquals(1, refused.exit());
        assertFalse((refused.out() + refused.err()).contains("Sup3rS3cret"));
        assertTrue(refused.err().contains("line 2"), refused.err());
    }
}
