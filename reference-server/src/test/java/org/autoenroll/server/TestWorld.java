package org.autoenroll.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.autoenroll.kerberos.testkit.KdcFixture;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.UserSpec;

/**
 * The peers every server test in this JVM shares: the one Kerby KDC ({@link KdcFixture#shared()},
 * realm EXAMPLE.COM), the keytab of {@code HTTP/localhost}, and one in-memory Active Directory
 * with the test users. Started on first use, stopped when the JVM exits. Thread-safe.
 */
final class TestWorld {
    static final String REALM = KdcFixture.SHARED_REALM;
    static final String SERVICE = "HTTP/localhost";

    /** Users: Kerberos name -> password. Their directory entries are made in {@link #start()}. */
    static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-pw", "bob", "bob-pw", "carol", "carol-pw", "dave", "dave-pw",
            "erin", "erin-pw", "frank", "frank-pw", "svc/robot", "robot-pw");

    private static TestWorld world;

    final KdcFixture kdc;
    final InMemoryActiveDirectory ad;
    final Path dir;
    final Path keytab;
    final Path adPassword;

    private TestWorld(KdcFixture kdc, InMemoryActiveDirectory ad, Path dir, Path keytab, Path adPassword) {
        this.kdc = kdc;
        this.ad = ad;
        this.dir = dir;
        this.keytab = keytab;
        this.adPassword = adPassword;
    }

    static synchronized TestWorld get() {
        if (world == null) {
            world = start();
        }
        return world;
    }

    private static TestWorld start() {
        try {
            KdcFixture kdc = KdcFixture.shared();
            PASSWORDS.forEach(kdc::addUser);
            Path dir = Files.createTempDirectory("autoenroll-server-tests");
            Path keytab = kdc.exportKeytab(SERVICE, dir.resolve("http.keytab"));
            InMemoryActiveDirectory ad = InMemoryActiveDirectory.start();
            Path adPassword = dir.resolve("ad-bind.pw");
            Files.writeString(adPassword, new String(ad.bindPassword()), StandardCharsets.UTF_8);
            ad.addUser(UserSpec.builder("alice").cn("Alice Demo").mail("alice@example.com").build());
            ad.addUser(UserSpec.builder("bob").cn("Bob Example").mail("bob@example.com").build());
            ad.addUser(UserSpec.builder("carol").cn("Carol Disabled").mail("carol@example.com").disabled(true).build());
            ad.addUser(UserSpec.builder("dave").cn("Dave Nomail").build());
            // erin has a Kerberos principal but no directory entry
            ad.addUser(UserSpec.builder("frank").cn("Frank Two").mail("frank@example.com").build());
            Runtime.getRuntime().addShutdownHook(new Thread(ad::close, "test-ad-stop"));
            return new TestWorld(kdc, ad, dir, keytab, adPassword);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh Negotiate token of {@code user} for HTTP/localhost, as a GSS initiator builds it. */
    byte[] token(String user) {
        return kdc.negotiateToken(user, PASSWORDS.get(user), SERVICE);
    }
}
