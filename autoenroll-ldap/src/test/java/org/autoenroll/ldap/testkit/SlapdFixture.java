package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.SecretRef;

/**
 * OpenLDAP slapd 2.5 as a test peer: started by the test from a private {@code slapd.conf} in its
 * own directory, listening on 127.0.0.1 and a free port, with a small AD-like schema (AD's OIDs for
 * sAMAccountName, userPrincipalName, userAccountControl, proxyAddresses, groupType, objectSid,
 * dNSHostName, accountExpires; classes {@code user}, {@code computer}, {@code group},
 * {@code container}; see {@link SlapdAccounts}) and the {@code memberof} overlay maintaining
 * {@code memberOf} (AD's OID) from the groups' {@code member}, nested groups included. The bitwise
 * rule {@code (userAccountControl:1.2.840.113556.1.4.803:=2)} works; AD's in-chain rule does not
 * (slapd matches nothing with it, without an error).
 *
 * <pre>{@code
 * try (SlapdFixture slapd = SlapdFixture.start()) {   // aborts without slapd unless CI is set
 *     String staff = slapd.addGroup("Staff");
 *     slapd.addUser(UserSpec.builder("alice").mail("alice@slapd.test").groups(staff).build());
 *     AdServer server = slapd.adServer("slapd1");
 *     slapd.stop();      // e.g. for a failover test; slapd.restart() brings it back on the same port
 * }
 * }</pre>
 *
 * <p>The service account {@code CN=svc-autoenroll,CN=Users,<base>} binds with a password (random,
 * or fixed with {@link Builder#bindPassword} so two instances can share one AD server record).
 * The process is stopped by its PID on {@link #close()} (and at JVM exit should a test forget).
 *
 * <p>Not thread-safe for start/stop; adding entries is safe from one thread at a time.
 */
public final class SlapdFixture implements DirectoryFixture, AutoCloseable {
    public static final String DEFAULT_BASE_DN = "DC=slapd,DC=test";
    public static final String SERVICE_ACCOUNT = "svc-autoenroll";
    private static final String LISTEN_ADDRESS = "127.0.0.1";
    static final int NORMAL_ACCOUNT = 0x200;
    static final int ACCOUNTDISABLE = 0x2;
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Path dir;
    private final boolean ownsDir;
    private final Path slapd;
    private final Path config;
    private final Path log;
    private final int port;
    private final String baseDn;
    private final String usersDn;
    private final String bindDn;
    private final char[] bindPassword;
    private final String adminDn;
    private final char[] adminPassword;
    private final String dnsDomain;
    private final Thread shutdownHook;
    private final String domainSid;
    private final AtomicInteger nextRid = new AtomicInteger(1100);
    private Process process;

    private SlapdFixture(Builder b, Path slapd) throws IOException, LDAPException {
        this.slapd = slapd;
        this.ownsDir = b.dir == null;
        this.dir = ownsDir ? Files.createTempDirectory("autoenroll-slapd-") : Files.createDirectories(b.dir);
        this.baseDn = new DN(b.baseDn).toString();
        this.usersDn = new DN(new RDN("CN", "Users"), new DN(baseDn)).toString();
        this.bindDn = new DN(new RDN("CN", SERVICE_ACCOUNT), new DN(usersDn)).toString();
        this.bindPassword = b.bindPassword == null ? randomPassword() : b.bindPassword.clone();
        this.adminDn = "CN=admin," + baseDn;
        this.adminPassword = randomPassword();
        this.dnsDomain = AdEntries.dnsDomain(new DN(baseDn));
        SecureRandom random = new SecureRandom();
        this.domainSid = "S-1-5-21-" + Integer.toUnsignedString(random.nextInt()) + "-"
                + Integer.toUnsignedString(random.nextInt()) + "-" + Integer.toUnsignedString(random.nextInt());
        this.port = ExternalPrograms.freePort();
        this.config = dir.resolve("slapd.conf");
        this.log = dir.resolve("slapd.log");
        writeConfig();
        this.shutdownHook = new Thread(() -> ExternalPrograms.stop(process, 2_000), "slapd-fixture-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            launch();
            seed();
        } catch (IOException | LDAPException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts one with the defaults in a new temporary directory (deleted on close). */
    public static SlapdFixture start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String realm() {
        return dnsDomain.toUpperCase(Locale.ROOT);
    }

    @Override
    public String baseDn() {
        return baseDn;
    }

    @Override
    public String usersDn() {
        return usersDn;
    }

    public String bindDn() {
        return bindDn;
    }

    /** A copy of the service account's password. */
    public char[] bindPassword() {
        return bindPassword.clone();
    }

    public int port() {
        return port;
    }

    public LdapEndpoint endpoint() {
        return new LdapEndpoint(LISTEN_ADDRESS, port);
    }

    /** The slapd process id while running. */
    public long pid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("slapd is not running");
        }
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The directory holding slapd.conf, the schema, the database and slapd.log. */
    public Path directory() {
        return dir;
    }

    @Override
    public AdServer adServer(String id) {
        return new AdServer(id, realm(), List.of(endpoint()), false, usersDn, bindDn, SecretRef.literal(bindPassword));
    }

    /** Stops slapd by its PID (TERM, then KILL); the data stays for {@link #restart()}. */
    public void stop() {
        ExternalPrograms.stop(process, 5_000);
        process = null;
    }

    /** Starts slapd again on the same port with the same data. */
    public void restart() {
        if (isRunning()) {
            return;
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new connection bound as the rootdn (close it); for changes the fixture does not offer. */
    public LDAPConnection connectAsAdmin() throws LDAPException {
        LDAPConnection connection = new LDAPConnection(LISTEN_ADDRESS, port);
        try {
            connection.bind(adminDn, new String(adminPassword));
            return connection;
        } catch (LDAPException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public String addGroup(String commonName, String... parentGroupDns) {
        return SlapdAccounts.addGroup(this, commonName, parentGroupDns, nextSid());
    }

    @Override
    public String addUser(UserSpec spec) {
        return SlapdAccounts.addUser(this, spec, nextSid());
    }

    /** A computer under {@code CN=Computers} ({@code sAMAccountName NAME$}, objectClass {@code computer}). */
    @Override
    public String addComputer(ComputerSpec spec) {
        return SlapdAccounts.addComputer(this, spec, nextSid());
    }

    @Override
    public Optional<String> objectSid(String dn) {
        return SlapdAccounts.objectSid(this, dn);
    }

    /** {@code CN=Users,<base>} and {@code CN=Computers,<base>} hold the accounts; the SIDs are in {@link #domainSid()}. */
    public String computersDn() {
        return "CN=Computers," + baseDn;
    }

    /** A random domain SID; accounts and groups get RIDs from 1100 on, as AD gives them. */
    public String domainSid() {
        return domainSid;
    }

    String dnsDomain() {
        return dnsDomain;
    }

    private String nextSid() {
        return domainSid + "-" + nextRid.getAndIncrement();
    }

    /** Stops slapd and deletes the directory when the fixture created it. Idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM already shutting down: the hook runs anyway.
        }
        if (ownsDir) {
            deleteTree(dir);
        }
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(slapd.toString(), "-d", "0",
                "-h", "ldap://" + LISTEN_ADDRESS + ":" + port + "/", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                String reason = ExternalPrograms.tail(log);
                process = null;
                throw new IllegalStateException("slapd exited at start (exit code, config " + config + "): " + reason
                        + "; `slaptest -f " + config + "` says why");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(LISTEN_ADDRESS, port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        stop();
        throw new IllegalStateException("slapd did not listen on " + LISTEN_ADDRESS + ":" + port + " within "
                + START_TIMEOUT_MILLIS + " ms; see " + log);
    }

    private void writeConfig() throws IOException {
        Path schema = dir.resolve("ad-lite.schema");
        Files.writeString(schema, SlapdAccounts.SCHEMA, StandardCharsets.UTF_8);
        Path db = Files.createDirectories(dir.resolve("db"));
        String conf = String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "include " + schema,
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "moduleload memberof",
                // The service account reads everything; anonymous users may only bind.
                "access to attrs=userPassword by self read by anonymous auth by * none",
                "access to * by users read by * none",
                "database mdb",
                "suffix \"" + baseDn + "\"",
                "rootdn \"" + adminDn + "\"",
                "rootpw " + new String(adminPassword),
                "directory " + db,
                "maxsize 67108864",
                "index objectClass eq",
                "index sAMAccountName,userPrincipalName eq",
                "overlay memberof",
                "memberof-group-oc group",
                "memberof-member-ad member",
                "memberof-memberof-ad memberOf",
                "memberof-refint true",
                "");
        Files.writeString(config, conf, StandardCharsets.UTF_8);
    }

    private void seed() throws LDAPException {
        String dc = new DN(baseDn).getRDN().getAttributeValues()[0];
        try (LDAPConnection admin = connectAsAdmin()) {
            admin.add(new Entry(baseDn, new Attribute("objectClass", "top", "domain"), new Attribute("dc", dc)));
            admin.add(new Entry(usersDn, new Attribute("objectClass", "top", "container"), new Attribute("cn", "Users")));
            admin.add(new Entry(computersDn(), new Attribute("objectClass", "top", "container"), new Attribute("cn", "Computers")));
            admin.add(new Entry(bindDn,
                    new Attribute("objectClass", "top", "user"),
                    new Attribute("cn", SERVICE_ACCOUNT),
                    new Attribute("sAMAccountName", SERVICE_ACCOUNT),
                    new Attribute("userAccountControl", Integer.toString(NORMAL_ACCOUNT)),
                    new Attribute("userPassword", new String(bindPassword))));
        }
    }

    static char[] randomPassword() {
        return AdEntries.randomPassword();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a temp directory left behind is harmless.
                }
            });
        } catch (IOException ignored) {
            // Best effort.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Options; {@link #start()} requires slapd (aborting the test without it unless CI is set). Not thread-safe. */
    public static final class Builder {
        private String baseDn = DEFAULT_BASE_DN;
        private char[] bindPassword;
        private Path dir;

        private Builder() {
        }

        /** E.g. {@code DC=corp,DC=test}; must start with a DC component. */
        public Builder baseDn(String value) {
            this.baseDn = Objects.requireNonNull(value, "baseDn");
            return this;
        }

        /** A fixed service-account password (two instances, one AD server record); random by default. */
        public Builder bindPassword(char[] value) {
            this.bindPassword = value.clone();
            return this;
        }

        /** Where config, database and log go (kept on close); a new temporary directory by default. */
        public Builder directory(Path value) {
            this.dir = Objects.requireNonNull(value, "directory");
            return this;
        }

        public SlapdFixture start() {
            Path program = ExternalPrograms.require("slapd", "slapd");
            try {
                return new SlapdFixture(this, program);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (LDAPException e) {
                throw new IllegalStateException("slapd started but could not be seeded: " + e.getResultCode(), e);
            }
        }
    }
}
