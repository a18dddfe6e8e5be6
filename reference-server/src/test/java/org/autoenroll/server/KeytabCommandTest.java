package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.kerberos.KerberosAcceptor;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.server.cli.KeytabCommand;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code keytab} command makes a keytab from a password that validates the KDC's real tickets. */
class KeytabCommandTest {
    @TempDir
    Path dir;

    private int run(ByteArrayOutputStream err, String... args) {
        return KeytabCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void keytab_fromServicePassword_validatesTicketsOfTheKdc() throws Exception {
        TestWorld world = TestWorld.get();
        String service = "HTTP/keytab-cli.example.com";
        world.kdc.addUser(service, "service-account-pw");
        int kvno = Keytabs.entry(world.kdc.keytab(service), service, EncryptionType.AES128_CTS_HMAC_SHA1_96).getKvno();
        Path password = Files.writeString(dir.resolve("pw"), "service-account-pw");
        Path keytab = dir.resolve("http.keytab");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertEquals(0, run(err, "--principal", service + "@" + world.kdc.realm(), "--password", "file:" + password,
                "--kvno", String.valueOf(kvno), "--out", keytab.toString()), err.toString(StandardCharsets.UTF_8));

        AuthenticatedPrincipal alice = KerberosAcceptor.builder().addRealm(world.kdc.realm(), keytab).build()
                .validate(world.kdc.negotiateToken("alice", TestWorld.PASSWORDS.get("alice"), service));
        assertEquals("alice@" + world.kdc.realm(), alice.principal());
        assertFalse(Files.readString(keytab, StandardCharsets.ISO_8859_1).contains("service-account-pw"));
    }

    @Test
    void keytab_adUserSalt_isListedByKlistWithAesOnly() throws Exception {
        Path klist = Path.of("/usr/bin/klist");
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(Files.isExecutable(klist), "klist is missing (apt-get install krb5-user)");
        }
        Path password = Files.writeString(dir.resolve("pw"), "Passw0rd!");
        Path keytab = dir.resolve("ad.keytab");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(err, "--principal", "HTTP/certs.example.com@EXAMPLE.COM", "--password", "file:" + password,
                "--kvno", "3", "--ad-user", "svc-autoenroll", "--out", keytab.toString()), err.toString(StandardCharsets.UTF_8));
        Process process = new ProcessBuilder(klist.toString(), "-ke", keytab.toString()).redirectErrorStream(true).start();
        String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor());
        assertTrue(listing.contains("3 HTTP/certs.example.com@EXAMPLE.COM (aes256-cts-hmac-sha1-96)"), listing);
        assertTrue(listing.contains("3 HTTP/certs.example.com@EXAMPLE.COM (aes128-cts-hmac-sha1-96)"), listing);
        assertFalse(listing.contains("arcfour") || listing.contains("des"), listing);
    }

    @Test
    void keytab_desOrMissingRealmOrBothSaltRules_isUsage() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "pw");
        String out = dir.resolve("k").toString();
        assertEquals(2, run(new ByteArrayOutputStream(), "--principal", "HTTP/h@R", "--password", "file:" + password,
                "--enctypes", "des-cbc-md5", "--out", out));
        assertEquals(2, run(new ByteArrayOutputStream(), "--principal", "HTTP/h", "--password", "file:" + password, "--out", out));
        assertEquals(2, run(new ByteArrayOutputStream(), "--principal", "HTTP/h@R", "--password", "file:" + password,
                "--ad-user", "a", "--ad-computer", "b", "--dns-domain", "d", "--out", out));
        assertEquals(2, run(new ByteArrayOutputStream(), "--principal", "HTTP/h@R", "--password", "Passw0rd", "--out", out));
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void keytab_unreadablePassword_failsWithoutWritingAnything() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path out = dir.resolve("k");
        assertEquals(1, run(err, "--principal", "HTTP/h@R", "--password", "env:AUTOENROLL_SURELY_UNSET_VARIABLE",
                "--out", out.toString()));
        assertFalse(Files.exists(out));
    }
}
