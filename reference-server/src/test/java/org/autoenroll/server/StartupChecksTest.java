package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.autoenroll.kerberos.KeytabMaker;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warnings at start for what validates but cannot work (issue 12, item 7). */
class StartupChecksTest {
    @TempDir
    Path dir;

    private ServerConfig config(String baseUrl, Path keytab) throws Exception {
        ServerHarness.Prepared prepared = ServerHarness.prepare(dir, (world, k, p, ck, cp, db) -> {
            String yaml = ServerHarness.config(world, k, p, ck, cp, db).replace("baseUrl: https://localhost:8443", "baseUrl: " + baseUrl);
            return keytab == null ? yaml : yaml.replace(world.keytab.toString(), keytab.toString());
        });
        return new ConfigLoader().load(prepared.configFile());
    }

    @Test
    void warnings_rc4OnlyKeytabWithRc4Off_saysEveryTicketWillBeRefused() throws Exception {
        Path rc4 = dir.resolve("rc4.keytab");
        Files.write(rc4, KeytabMaker.builder("HTTP/localhost@" + TestWorld.REALM).password("svc-pw".toCharArray()).kvno(2)
                .enctypes(List.of("arcfour-hmac")).build().toBytes());
        List<String> warnings = StartupChecks.warnings(config("http://localhost:8080", rc4));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("realms[0] " + TestWorld.REALM) && warnings.get(0).contains("only RC4"), warnings.get(0));
    }

    @Test
    void warnings_httpsCaBaseUrl_saysRelyingPartiesUseHttp() throws Exception {
        List<String> warnings = StartupChecks.warnings(config("https://localhost:8443", null));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("ca.baseUrl is https://localhost:8443"), warnings.get(0));
    }

    @Test
    void warnings_aesKeytabAndHttpBaseUrl_none() throws Exception {
        assertEquals(List.of(), StartupChecks.warnings(config("http://localhost:8080", null)));
    }
}
