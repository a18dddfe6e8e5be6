package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.autoenroll.kerberos.testkit.KdcFixture;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys against MIT ktutil (same password, salt, kvno), the keytab against MIT klist, and a real KDC's ticket. */
class KeytabMakerTest {
    private static final String PASSWORD = "Passw0rd!-keytab";

    @TempDir
    Path dir;

    @Test
    void adUserSalt_realmUpperNameAsGiven() {
        assertEquals("EXAMPLE.COMsvc-Enroll", KeytabMaker.adUserSalt("example.com", "svc-Enroll"));
    }

    @Test
    void adComputerSalt_hostLowercaseNameWithoutDollarDotDomain() {
        assertEquals("EXAMPLE.COMhostpc1.example.com", KeytabMaker.adComputerSalt("EXAMPLE.COM", "PC1$", "Example.COM"));
        assertEquals("EXAMPLE.COMhostpc1.example.com", KeytabMaker.adComputerSalt("EXAMPLE.COM", "pc1", "example.com"));
    }

    @Test
    void mitSalt_realmAndComponents() {
        assertEquals("EXAMPLE.COMHTTPenroll.example.com", KeytabMaker.mitSalt("HTTP/enroll.example.com@EXAMPLE.COM"));
        assertEquals("TEST.COMalice", KeytabMaker.mitSalt("alice@TEST.COM"));
    }

    @Test
    void build_defaults_aesOnlyKvno1() {
        KeytabMaker maker = KeytabMaker.builder("alice@TEST.COM").password(PASSWORD.toCharArray()).build();
        assertEquals(List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96"), maker.enctypes());
        assertEquals(1, maker.kvno());
        assertEquals("alice@TEST.COM", maker.principal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"des3-cbc-sha1", "des-cbc-md5", "des-cbc-crc", "des3-hmac-sha1"})
    void enctypes_desFamily_refused(String name) {
        assertThrows(IllegalArgumentException.class, () -> KeytabMaker.builder("alice@TEST.COM").enctypes(List.of(name)));
    }

    @Test
    void builder_badInput_refused() {
        assertThrows(IllegalArgumentException.class, () -> KeytabMaker.builder("alice"));
        assertThrows(IllegalArgumentException.class, () -> KeytabMaker.builder("HTTP/@TEST.COM"));
        assertThrows(IllegalArgumentException.class, () -> KeytabMaker.builder("alice@TEST.COM").enctypes(List.of("camellia")));
        assertThrows(IllegalStateException.class, () -> KeytabMaker.builder("alice@TEST.COM").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "rc4-hmac"})
    void keys_mitSalt_identicalToKtutil(String enctype) throws Exception {
        byte[] mine = KeytabMaker.builder("alice@TEST.COM").password(PASSWORD.toCharArray()).kvno(2)
                .enctypes(List.of(enctype)).build().toBytes();
        byte[] theirs = ktutil("alice@TEST.COM", 2, enctype, null);
        assertSameKeys(theirs, mine, "alice@TEST.COM", 2);
    }

    @Test
    void keys_adUserSalt_identicalToKtutilWithSalt() throws Exception {
        // an SPN mapped to the user account svc-enroll (ktpass -mapuser svc-enroll): the account's salt
        String salt = KeytabMaker.adUserSalt("EXAMPLE.COM", "svc-enroll");
        byte[] mine = KeytabMaker.builder("HTTP/enroll.example.com@EXAMPLE.COM").password(PASSWORD.toCharArray())
                .kvno(3).salt(salt).enctypes(List.of("aes256-cts-hmac-sha1-96")).build().toBytes();
        byte[] theirs = ktutil("HTTP/enroll.example.com@EXAMPLE.COM", 3, "aes256-cts-hmac-sha1-96", salt);
        assertSameKeys(theirs, mine, "HTTP/enroll.example.com@EXAMPLE.COM", 3);
        // and differs from the MIT default salt's key
        byte[] mitSalted = KeytabMaker.builder("HTTP/enroll.example.com@EXAMPLE.COM").password(PASSWORD.toCharArray())
                .kvno(3).enctypes(List.of("aes256-cts-hmac-sha1-96")).build().toBytes();
        assertTrue(!java.util.Arrays.equals(key(mine, "HTTP/enroll.example.com"), key(mitSalted, "HTTP/enroll.example.com")));
    }

    @Test
    void keys_adComputerSalt_identicalToKtutilWithSalt() throws Exception {
        String salt = KeytabMaker.adComputerSalt("EXAMPLE.COM", "PC1$", "example.com");
        byte[] mine = KeytabMaker.builder("PC1$@EXAMPLE.COM").password(PASSWORD.toCharArray()).kvno(5).salt(salt)
                .enctypes(List.of("aes128-cts-hmac-sha1-96")).build().toBytes();
        byte[] theirs = ktutil("PC1$@EXAMPLE.COM", 5, "aes128-cts-hmac-sha1-96", salt);
        assertSameKeys(theirs, mine, "PC1$@EXAMPLE.COM", 5);
    }

    @Test
    void writeTo_klistListsEnctypesAndKvno() throws Exception {
        Path file = KeytabMaker.builder("HTTP/enroll.example.com@EXAMPLE.COM").password(PASSWORD.toCharArray())
                .kvno(7).enctypes(List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "rc4-hmac")).build()
                .writeTo(dir.resolve("enroll.keytab"));
        String listing = run(List.of("klist", "-ke", file.toString()), null);
        for (String enctype : List.of("aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "arcfour-hmac")) {
            assertTrue(listing.matches("(?s).*\\n\\s*7 HTTP/enroll\\.example\\.com@EXAMPLE\\.COM \\((DEPRECATED:)?" + enctype + "\\).*"),
                    listing);
        }
    }

    @Test
    void writeTo_existingFile_replacedNotAppended() throws Exception {
        Path file = dir.resolve("x.keytab");
        KeytabMaker maker = KeytabMaker.builder("alice@TEST.COM").password(PASSWORD.toCharArray()).build();
        maker.writeTo(file);
        maker.writeTo(file);
        assertEquals(2, Keytabs.load(Files.readAllBytes(file)).getKeytabEntries(new PrincipalName("alice@TEST.COM")).size());
    }

    @Test
    void keytab_validatesTicketFromRealKdc() throws Exception {
        // a service principal with a password on Kerby's KDC (MIT salt rule); the keytab made from that password
        KdcFixture kdc = TestRealm.kdc();
        String service = "HTTP/maker.localhost";
        String password = "maker-service-pw";
        kdc.addUser(service, password);
        byte[] keytab = KeytabMaker.builder(service + "@" + kdc.realm()).password(password.toCharArray())
                .kvno(Keytabs.entry(kdc.keytab(service), service, EncryptionType.AES256_CTS_HMAC_SHA1_96).getKvno())
                .build().toBytes();
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(kdc.realm(), keytab).build();
        byte[] token = kdc.negotiateToken(TestRealm.USER, TestRealm.PASSWORD, service);
        assertEquals(TestRealm.USER, acceptor.validate(token).name());
    }

    private static void assertSameKeys(byte[] expected, byte[] actual, String principal, int kvno) {
        Keytab theirs = Keytabs.load(expected);
        Keytab mine = Keytabs.load(actual);
        PrincipalName name = new PrincipalName(principal);
        List<KeytabEntry> theirEntries = theirs.getKeytabEntries(name);
        List<KeytabEntry> myEntries = mine.getKeytabEntries(name);
        assertEquals(1, theirEntries.size());
        assertEquals(1, myEntries.size());
        assertEquals(theirEntries.get(0).getKey().getKeyType(), myEntries.get(0).getKey().getKeyType());
        assertArrayEquals(theirEntries.get(0).getKey().getKeyData(), myEntries.get(0).getKey().getKeyData());
        assertEquals(kvno, myEntries.get(0).getKvno());
        assertEquals(kvno, theirEntries.get(0).getKvno());
    }

    private static byte[] key(byte[] keytab, String name) {
        return Keytabs.load(keytab).getKeytabEntries(new PrincipalName(name + "@EXAMPLE.COM")).get(0).getKey().getKeyData();
    }

    /** MIT ktutil addent -password (reading the password from stdin), then wkt. */
    private byte[] ktutil(String principal, int kvno, String enctype, String salt) throws Exception {
        Path out = dir.resolve("ktutil-" + System.nanoTime() + ".keytab");
        String commands = "addent -password -p " + principal + " -k " + kvno + " -e " + enctype
                + (salt != null ? " -s " + salt : "") + "\n" + PASSWORD + "\nwkt " + out + "\nquit\n";
        run(List.of("ktutil"), commands);
        assertTrue(Files.exists(out), "ktutil wrote no keytab");
        return Files.readAllBytes(out);
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getenv("CI") != null || onPath(command.get(0)),
                command.get(0) + " (MIT krb5-user) is not installed");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KRB5_CONFIG", "/dev/null"); // no realm configuration needed
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), command + ": " + output);
        return output;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
