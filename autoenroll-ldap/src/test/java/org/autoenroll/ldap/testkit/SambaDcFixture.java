package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.SecretRef;

/**
 * Samba 4 as an Active Directory domain controller, the most realistic AD on a Linux machine:
 * provisioned into a private directory (realm {@value #REALM}, domain {@value #DOMAIN}, no DNS,
 * 127.0.0.1 only, private log/pid/socket directories, simple binds allowed over plain LDAP) and run
 * as {@code samba -i -s <smb.conf>}, a child process of the test JVM that also exits when the JVM's
 * end of its stdin closes. Users come from {@code samba-tool user create}, groups from
 * {@code samba-tool group add/addmembers}, computers from {@code samba-tool computer create}
 * ({@link SambaAccounts}); attributes samba-tool does not set (proxyAddresses,
 * an explicit UPN, a CN other than the logon name, userCertificate) are written over LDAP as
 * Administrator.
 *
 * <p>Samba listens on fixed ports (88, 389, 464, 636, 3268, 3269): one instance per machine, and
 * it fails clearly when a port is taken. Provisioning takes seconds, so tests share one instance per
 * JVM through {@link #shared()}:
 *
 * <pre>{@code
 * SambaDcFixture samba = SambaDcFixture.shared();   // aborts without samba unless CI is set
 * String staff = samba.addGroup("Staff");
 * samba.addUser(UserSpec.builder("alice").mail("alice@samba.test").groups(staff).build());
 * AdServer server = samba.adServer("samba");        // plain LDAP on 127.0.0.1:389
 * SSLContext tls = samba.caTrustContext();           // trusts DIR/private/tls/ca.pem, for LDAPS on 636
 * }</pre>
 *
 * <p>Names added by one test are visible to the next in the same JVM: use names of your own.
 * Thread-safe for adding entries (samba-tool serialises on the database); start/stop are not.
 */
public final class SambaDcFixture implements DirectoryFixture, AutoCloseable {
    public static final String REALM = "SAMBA.TEST";
    public static final String DOMAIN = "SAMBA";
    public static final String BASE_DN = "DC=samba,DC=test";
    public static final String USERS_DN = "CN=Users," + BASE_DN;
    public static final String SERVICE_ACCOUNT = "svc-autoenroll";
    public static final int LDAP_PORT = 389;
    public static final int LDAPS_PORT = 636;
    /** TCP ports the started services (ldap, cldap, kdc) listen on. */
    static final List<Integer> PORTS = List.of(88, 389, 464, 636, 3268, 3269);
    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    private static SambaDcFixture shared;
    private static RuntimeException sharedFailure;

    private final Path dir;
    private final boolean ownsDir;
    private final Path smbConf;
    private final Path log;
    private final Path sambaTool;
    private final char[] adminPassword;
    private final char[] bindPassword;
    private final String bindDn;
    private final Map<String, String> groupNames = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private final long provisionMillis;
    private Process process;

    private SambaDcFixture(Path dir, boolean ownsDir, Path samba, Path sambaTool) throws IOException {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.sambaTool = sambaTool;
        this.smbConf = dir.resolve("etc").resolve("smb.conf");
        this.log = dir.resolve("fixture.log");
        this.adminPassword = complexPassword();
        this.bindPassword = complexPassword();
        this.bindDn = "CN=" + SERVICE_ACCOUNT + "," + USERS_DN;
        this.shutdownHook = new Thread(() -> ExternalPrograms.stop(process, 3_000), "samba-fixture-stop");
        long started = System.nanoTime();
        provision();
        this.provisionMillis = (System.nanoTime() - started) / 1_000_000;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            launch(samba);
            tool("user", "create", SERVICE_ACCOUNT, new String(bindPassword), "--use-username-as-cn");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The JVM's one Samba DC, provisioned and started on first call in a temporary directory and
     * stopped at JVM exit. Aborts the test when samba is not installed and CI is unset; otherwise a
     * failure to start fails every caller with the same cause.
     */
    public static synchronized SambaDcFixture shared() {
        ExternalPrograms.require("samba", "samba-ad-dc");
        ExternalPrograms.require("samba-tool", "samba-ad-provision");
        if (shared != null) {
            return shared;
        }
        if (sharedFailure != null) {
            throw new IllegalStateException("the shared Samba DC failed to start earlier: " + sharedFailure.getMessage(),
                    sharedFailure);
        }
        try {
            shared = start(null);
            return shared;
        } catch (RuntimeException e) {
            sharedFailure = e;
            throw e;
        }
    }

    /**
     * Provisions and starts a DC of one's own (close it; only one can run on a machine).
     *
     * @param directory where to provision (kept on close); null for a temporary one (deleted on close)
     * @throws IllegalStateException when a port is taken or samba fails, with the reason
     */
    public static SambaDcFixture start(Path directory) {
        Path samba = ExternalPrograms.require("samba", "samba-ad-dc");
        Path tool = ExternalPrograms.require("samba-tool", "samba-ad-provision");
        List<Integer> taken = PORTS.stream().filter(p -> !ExternalPrograms.tcpPortFree(p)).toList();
        if (!taken.isEmpty()) {
            throw new IllegalStateException("Samba AD DC needs TCP ports " + PORTS + " on 127.0.0.1, but " + taken
                    + " are taken (another Samba or LDAP server running?) or not permitted (binding ports below 1024 needs root)");
        }
        try {
            boolean own = directory == null;
            Path dir = own ? Files.createTempDirectory("autoenroll-samba-") : Files.createDirectories(directory);
            return new SambaDcFixture(dir, own, samba, tool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String realm() {
        return REALM;
    }

    @Override
    public String baseDn() {
        return BASE_DN;
    }

    @Override
    public String usersDn() {
        return USERS_DN;
    }

    public String bindDn() {
        return bindDn;
    }

    public char[] bindPassword() {
        return bindPassword.clone();
    }

    public String adminDn() {
        return "CN=Administrator," + USERS_DN;
    }

    public char[] adminPassword() {
        return adminPassword.clone();
    }

    /** The provisioned directory (etc/smb.conf, private/, logs). */
    public Path directory() {
        return dir;
    }

    public Path smbConf() {
        return smbConf;
    }

    /** The CA of the certificate Samba made for LDAPS at first start (DIR/private/tls/ca.pem). */
    public Path caCertificatePem() {
        return dir.resolve("private").resolve("tls").resolve("ca.pem");
    }

    /**
     * A TLS context trusting only Samba's CA. The server certificate names {@code DC1.samba.test},
     * which does not resolve here: connect to 127.0.0.1 (the SDK's host name check accepts loopback IPs).
     */
    public SSLContext caTrustContext() {
        try (InputStream in = Files.newInputStream(caCertificatePem())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("samba-ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read Samba's CA certificate " + caCertificatePem(), e);
        }
    }

    /** How long provisioning took, for reports. */
    public long provisionMillis() {
        return provisionMillis;
    }

    public LdapEndpoint ldapEndpoint() {
        return new LdapEndpoint(HOST, LDAP_PORT);
    }

    @Override
    public AdServer adServer(String id) {
        return adServer(id, USERS_DN);
    }

    /** Plain LDAP on 127.0.0.1:389, searching under {@code usersBaseDn} (e.g. the domain root). */
    public AdServer adServer(String id, String usersBaseDn) {
        return new AdServer(id, REALM, List.of(ldapEndpoint()), false, usersBaseDn, bindDn, SecretRef.literal(bindPassword));
    }

    /** LDAPS on {@code host}:636 (use 127.0.0.1, see {@link #caTrustContext()}). */
    public AdServer ldapsServer(String id, String host) {
        return new AdServer(id, REALM, List.of(new LdapEndpoint(host, LDAPS_PORT)), true, USERS_DN, bindDn,
                SecretRef.literal(bindPassword));
    }

    /** A new plain-LDAP connection bound as Administrator (close it). */
    public LDAPConnection connectAsAdmin() throws LDAPException {
        LDAPConnection connection = new LDAPConnection(HOST, LDAP_PORT);
        try {
            connection.bind(adminDn(), new String(adminPassword));
            return connection;
        } catch (LDAPException e) {
            connection.close();
            throw e;
        }
    }

    /** Runs {@code samba-tool <args> -s <smb.conf>} against this DC's database. */
    public void tool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(sambaTool.toString());
        command.addAll(List.of(args));
        command.add("-s");
        command.add(smbConf.toString());
        ExternalPrograms.run(command, log, TOOL_TIMEOUT_SECONDS);
    }

    @Override
    public String addGroup(String commonName, String... parentGroupDns) {
        Objects.requireNonNull(commonName, "commonName");
        tool("group", "add", commonName);
        String dn = dn(commonName);
        groupNames.put(dn, commonName);
        for (String parent : parentGroupDns) {
            tool("group", "addmembers", groupName(parent), commonName);
        }
        return dn;
    }

    @Override
    public String addUser(UserSpec spec) {
        return SambaAccounts.addUser(this, spec);
    }

    /** {@code samba-tool computer create}, then what it does not set (dNSHostName, expiry, groups) over LDAP. */
    @Override
    public String addComputer(ComputerSpec spec) {
        return SambaAccounts.addComputer(this, spec);
    }

    @Override
    public Optional<String> objectSid(String dn) {
        return SambaAccounts.objectSid(this, dn);
    }

    /** Stops samba by its PID and deletes the directory when the fixture created it. Idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or never registered
        }
        if (ownsDir) {
            SlapdFixture.deleteTree(dir);
        }
        synchronized (SambaDcFixture.class) {
            if (shared == this) {
                shared = null;
            }
        }
    }

    private void stop() {
        if (process != null) {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the pipe is gone either way
            }
            ExternalPrograms.stop(process, 5_000);
            process = null;
        }
    }

    private void provision() throws IOException {
        Files.createDirectories(dir);
        String d = dir.toString();
        List<String> command = List.of(sambaTool.toString(), "domain", "provision",
                "--realm=" + REALM, "--domain=" + DOMAIN, "--server-role=dc", "--dns-backend=NONE",
                "--adminpass=" + new String(adminPassword), "--targetdir=" + d, "--host-name=dc1", "--host-ip=127.0.0.1",
                "--use-rfc2307",
                "--option=interfaces = 127.0.0.1", "--option=bind interfaces only = yes",
                "--option=log file = " + d + "/log.%m", "--option=pid directory = " + d + "/pid",
                "--option=ncalrpc dir = " + d + "/ncalrpc", "--option=winbindd socket directory = " + d + "/winbindd",
                "--option=ntp signd socket directory = " + d + "/ntp",
                // Only what the tests use: LDAP(S), CLDAP and the KDC; no RPC endpoint mapper on 135.
                "--option=server services = ldap, cldap, kdc",
                "--option=prefork children = 1");
        ExternalPrograms.run(command, dir.resolve("provision.log"), TOOL_TIMEOUT_SECONDS);
        // provision drops this option: without it simple binds over plain LDAP get "Strong(er) authentication required".
        String conf = Files.readString(smbConf, StandardCharsets.UTF_8);
        conf = conf.replaceFirst("\\[global\\]\\R", "[global]\n\tldap server require strong auth = no\n");
        Files.writeString(smbConf, conf, StandardCharsets.UTF_8);
    }

    private void launch(Path samba) {
        try {
            // stdin stays a pipe: samba -i exits when it closes, so a killed JVM leaves no DC behind.
            process = new ProcessBuilder(samba.toString(), "-i", "-s", smbConf.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("samba.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        LDAPException last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("samba exited at start with " + process.exitValue() + ": "
                        + ExternalPrograms.tail(dir.resolve("samba.out")));
            }
            try {
                connectAsAdmin().close();
                return;
            } catch (LDAPException e) {
                last = e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", interrupted);
                }
            }
        }
        throw new IllegalStateException("samba did not accept an LDAP bind within " + START_TIMEOUT_MILLIS + " ms (last: "
                + (last == null ? "none" : last.getResultCode()) + "); see " + dir.resolve("samba.out"));
    }

    static String dn(String commonName) {
        return new DN(new RDN("CN", commonName), dnOf(USERS_DN)).toString();
    }

    private static DN dnOf(String dn) {
        try {
            return new DN(dn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** samba-tool names groups by sAMAccountName: the one we gave, or the DN's first RDN value. */
    String groupName(String groupDn) {
        String known = groupNames.get(groupDn);
        if (known != null) {
            return known;
        }
        return dnOf(groupDn).getRDN().getAttributeValues()[0];
    }

    /** Meets AD's complexity rule (three of upper, lower, digit, symbol). */
    static char[] complexPassword() {
        return ("Ae1-" + new String(SlapdFixture.randomPassword())).toCharArray();
    }
}
