package org.autoenroll.server.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ldap.testkit.InMemoryActiveDirectory;
import org.autoenroll.ldap.testkit.ComputerSpec;
import org.autoenroll.ldap.testkit.UserSpec;
import org.autoenroll.server.AutoenrollServer;
import org.autoenroll.server.internal.FreePorts;
import org.autoenroll.server.ServerKeystores;
import org.autoenroll.server.WindowsEnrollment;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.ServerConfig;

/**
 * Demo mode: everything the server needs, started in this JVM with nothing set up. An embedded
 * Kerby KDC (realm {@value #REALM}, users alice and bob, {@code HTTP/localhost} exported to a
 * keytab), an in-memory Active Directory with their entries, the built-in CA (kept across restarts
 * in the data directory), the H2 database, and a TLS certificate for {@code localhost} issued by
 * that CA. It writes {@code krb5.conf} (for MIT {@code kinit}), {@code ca.pem} and the generated
 * {@code demo-config.yaml} into the data directory, then starts the server from that configuration
 * exactly as {@code --config} would.
 *
 * <p>Kerby's KDC sets the JVM-wide {@code java.security.krb5.conf} property: acceptable in demo
 * mode only, which owns its JVM. Not thread-safe; start once, close once.
 */
public final class DemoEnvironment implements AutoCloseable {
    public static final String REALM = "EXAMPLE.COM";
    public static final String CUSTOMER_URI = "demo";
    /** The CA's name in the CES paths. */
    public static final String CA_NAME = "autoenroll-demo-CA";
    public static final String SERVICE_PRINCIPAL = "HTTP/localhost";
    /** The demo users: name, password, cn, e-mail. */
    public static final List<DemoUser> USERS = List.of(
            new DemoUser("alice", "alice-demo-pw", "Alice Demo", "alice@example.com"),
            new DemoUser("bob", "bob-demo-pw", "Bob Demo", "bob@example.com"));

    /** A demo user. */
    /** The demo's domain-joined machine: it authenticates as {@code WS01$} and enrolls for the Machine template. */
    public static final DemoMachine MACHINE = new DemoMachine("WS01", "ws01-demo-pw", "ws01.example.com");

    /** A computer account of the demo. */
    public record DemoMachine(String name, String password, String dnsHostName) {
        public String samAccountName() {
            return name + "$";
        }
    }

    public record DemoUser(String name, String password, String commonName, String email) {
    }

    private final Path dataDir;
    private final DemoKdc kdc;
    private final InMemoryActiveDirectory directory;
    private final AutoenrollServer server;
    private final DataDirLock lock;

    private DemoEnvironment(Path dataDir, DemoKdc kdc, InMemoryActiveDirectory directory, AutoenrollServer server,
                            DataDirLock lock) {
        this.lock = lock;
        this.dataDir = dataDir;
        this.kdc = kdc;
        this.directory = directory;
        this.server = server;
    }

    /**
     * Starts the demo.
     *
     * @param dataDir where the CA, database, keytab and files for the client live (created if missing)
     * @param port the HTTPS port; 0 picks a free one
     */
    public static DemoEnvironment start(Path dataDir, int port) throws Exception {
        return start(dataDir, port, DemoSettings.DEFAULTS);
    }

    /**
     * Starts the demo with a CA of {@code settings.caKeyType()} and the database it names.
     *
     * @param dataDir where the CA, database, keytab and files for the client live (created if missing)
     * @param port the HTTPS port; 0 picks a free one
     */
    public static DemoEnvironment start(Path dataDir, int port, DemoSettings settings) throws Exception {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        // first, before anything here is written: a running demo's files are never overwritten
        DataDirLock lock = DataDirLock.acquire(dir);
        List<AutoCloseable> started = new ArrayList<>();
        started.add(lock);
        try {
            int httpsPort = port == 0 ? FreePorts.find() : port;
            int publicationPort = FreePorts.find();
            Path secrets = privateDirectory(dir.resolve("secrets"));
            Map<String, String> passwords = new LinkedHashMap<>();
            USERS.forEach(u -> passwords.put(u.name(), u.password()));
            passwords.put(MACHINE.samAccountName(), MACHINE.password());
            DemoKdc kdc = DemoKdc.start(dir.resolve("kdc"), REALM, FreePorts.find(), passwords);
            started.add(kdc);
            Path keytab = dir.resolve("http.keytab");
            // owner-only before the keys are written into it, like the CA key store
            Files.deleteIfExists(keytab);
            Files.createFile(keytab);
            restrict(keytab, "rw-------");
            kdc.exportService(SERVICE_PRINCIPAL, keytab);
            restrict(keytab, "rw-------");
            Files.writeString(dir.resolve("krb5.conf"), krb5Conf(kdc.port()), StandardCharsets.UTF_8);

            Path adPassword = secret(secrets.resolve("ad-bind.pw"), false);
            InMemoryActiveDirectory directory = InMemoryActiveDirectory.builder()
                    .bindPassword(Files.readString(adPassword).strip().toCharArray()).start();
            started.add(directory);
            // alice is staff; bob is staff and a contractor, whom the StaffVPN template denies
            String staff = directory.addGroup("PKI Staff");
            String contractors = directory.addGroup("Contractors");
            for (DemoUser user : USERS) {
                UserSpec.Builder spec = UserSpec.builder(user.name()).cn(user.commonName()).mail(user.email())
                        .password(user.password().toCharArray());
                directory.addUser((user.name().equals("bob") ? spec.groups(staff, contractors) : spec.groups(staff)).build());
            }
            directory.addComputer(ComputerSpec.builder(MACHINE.name()).dnsHostName(MACHINE.dnsHostName()).build());

            // relying parties fetch CDP and AIA over http: the URLs in certificates name the publication port
            String baseUrl = "http://localhost:" + publicationPort;
            Path caPassword = secret(secrets.resolve("ca-keystore.pw"), true);
            Path caKeystore = dir.resolve("ca").resolve("ca.p12");
            Files.createDirectories(caKeystore.getParent());
            BuiltInCa ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=autoenroll demo CA,O=autoenroll demo")
                    .keyType(settings.caKeyType()).keystorePath(caKeystore)
                    .keystorePassword(SecretRef.parse("file:" + caPassword)).baseUrl(baseUrl).build(), Clock.systemUTC());
            writePem(dir.resolve("ca.pem"), ca.caCertificateDer());

            Path tlsPassword = secret(secrets.resolve("tls.pw"), false);
            Path tlsKeystore = dir.resolve("tls").resolve("server.p12");
            ServerKeystores.writeTlsKeystore(ca, List.of("localhost", "127.0.0.1"), tlsKeystore,
                    Files.readString(tlsPassword).strip().toCharArray());

            Path configFile = dir.resolve("demo-config.yaml");
            // the database's files are the owner's only: the directory keeps everyone else out
            Path db = privateDirectory(dir.resolve("db"));
            Path dbPassword = settings.postgresqlUrl() == null ? null : secret(secrets.resolve("db.pw"), false);
            Files.writeString(configFile, config(httpsPort, publicationPort, keytab, directory, adPassword, caKeystore,
                    caPassword, baseUrl, tlsKeystore, tlsPassword, settings.databaseSection(db, dbPassword),
                    settings.caKeyType()), StandardCharsets.UTF_8);
            ServerConfig config = new ConfigLoader().load(configFile);
            AutoenrollServer server = AutoenrollServer.create(config).start();
            return new DemoEnvironment(dir, kdc, directory, server, lock);
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public AutoenrollServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public int kdcPort() {
        return kdc.port();
    }

    public Path caPem() {
        return dataDir.resolve("ca.pem");
    }

    public Path krb5Conf() {
        return dataDir.resolve("krb5.conf");
    }

    public InMemoryActiveDirectory directory() {
        return directory;
    }

    /** What to paste into a shell to enroll alice with MIT kinit, openssl and curl. */
    public String instructions() {
        DemoUser alice = USERS.get(0);
        String url = "https://localhost:" + port();
        return String.join("\n",
                "autoenroll demo is running on " + url + "  (data: " + dataDir + ")",
                "Realm " + REALM + ", users: " + String.join(", ", USERS.stream().map(u -> u.name() + " / " + u.password()).toList()),
                "customerUri \"" + CUSTOMER_URI + "\", organization 1, AD entries e.g. " + alice.email() + " (cn \"" + alice.commonName() + "\")",
                "",
                "Enroll as alice (needs MIT kinit, openssl, curl; in a new shell):",
                "",
                "  export KRB5_CONFIG=" + krb5Conf() + " KRB5CCNAME=FILE:" + dataDir.resolve("alice.ccache"),
                "  echo " + alice.password() + " | kinit " + alice.name() + "@" + REALM,
                "  openssl req -new -newkey rsa:2048 -nodes -keyout alice.key -subj \"/CN=" + alice.commonName() + "\" -out alice.csr",
                "  curl --negotiate -u : --cacert " + caPem() + " " + url + "/api/v1/enroll \\",
                "    -H 'Content-Type: application/json' \\",
                "    -d \"{\\\"customerUri\\\":\\\"" + CUSTOMER_URI + "\\\",\\\"orgId\\\":\\\"1\\\",\\\"email\\\":\\\"" + alice.email()
                        + "\\\",\\\"csr\\\":\\\"$(awk '{printf \"%s\\\\n\", $0}' alice.csr)\\\"}\"",
                "",
                "The answer is JSON with the certificate in PEM (with jq: append | jq -r .certificate > alice.pem).",
                "Or with Java alone, the enrollment client (client/autoenroll-client.jar in the release tarball):",
                "  java -jar samples/client/target/autoenroll-client.jar enroll --server " + url + " --ca " + caPem()
                        + " --krb5-conf " + krb5Conf() + " --customer " + CUSTOMER_URI + " --email " + alice.email()
                        + " --user " + alice.name() + "@" + REALM + " --password " + alice.password() + " --store alice-certs",
                "",
                "What alice should do now (the requirements list: templates User, StaffVPN, ManagerApproved, Machine):",
                "",
                "  curl --negotiate -u : --cacert " + caPem() + " '" + url + "/api/v1/requirements?customerUri="
                        + java.net.URLEncoder.encode(CUSTOMER_URI, StandardCharsets.UTF_8) + "'",
                "",
                "Add \"template\":\"StaffVPN\" (or ManagerApproved, which pends for an operator) to the enroll body;"
                        + " bob is denied StaffVPN.",
                "CA certificate: " + url + "/ca.crt   CRL: " + url + "/crl   health: " + url + "/healthz",
                "Windows enrollment (MS-XCEP/MS-WSTEP), for certreq, Windows autoenrollment and cepces:",
                "  CEP URL: " + url + WindowsEnrollment.cepPath(Authentication.KERBEROS)
                        + "  (also _UsernamePassword with the users' passwords, _Certificate)",
                "  CES URL: " + url + WindowsEnrollment.cesPath(CA_NAME, Authentication.KERBEROS),
                "Stop with Ctrl-C; the CA and database stay in " + dataDir + ".");
    }

    /** Stops the server (gracefully), the directory and the KDC. */
    @Override
    public void close() {
        try {
            server.stop();
            directory.close();
            kdc.close();
        } finally {
            try {
                lock.close();
            } catch (IOException e) {
                // the process's end releases it anyway
            }
        }
    }

    static String krb5Conf(int kdcPort) {
        return String.join("\n",
                "# Written by autoenroll demo mode for MIT kinit and curl --negotiate.",
                "[libdefaults]",
                "    default_realm = " + REALM,
                "    dns_lookup_realm = false",
                "    dns_lookup_kdc = false",
                "    dns_canonicalize_hostname = false",
                "    rdns = false",
                "    udp_preference_limit = 1",
                "    default_tkt_enctypes = " + DemoKdc.ENCTYPES,
                "    default_tgs_enctypes = " + DemoKdc.ENCTYPES,
                "    permitted_enctypes = " + DemoKdc.ENCTYPES,
                "",
                "[realms]",
                "    " + REALM + " = {",
                "        kdc = 127.0.0.1:" + kdcPort,
                "    }",
                "",
                "[domain_realm]",
                "    localhost = " + REALM,
                "");
    }

    private static String config(int port, int publicationPort, Path keytab, InMemoryActiveDirectory ad, Path adPassword,
                                 Path caKeystore, Path caPassword, String baseUrl, Path tlsKeystore, Path tlsPassword,
                                 String database, CaKeyType caKeyType) {
        return String.join("\n",
                "# Generated by autoenroll demo mode at each start; a template for your own configuration.",
                "listen:",
                "  host: 127.0.0.1",
                "  port: " + port,
                "  publicationPort: " + publicationPort,
                "  tls:",
                "    keystore: " + quoted(tlsKeystore),
                "    password: " + quoted("file:" + tlsPassword),
                "realms:",
                "  - realm: " + REALM,
                "    keytab: " + quoted(keytab),
                "adServers:",
                "  - id: demo-ad",
                "    windowsDomain: " + REALM,
                "    hosts: [\"" + ad.endpoint() + "\"]",
                "    ssl: false",
                "    usersBaseDn: " + quoted(ad.usersDn()),
                "    bindDn: " + quoted(ad.bindDn()),
                "    bindPassword: " + quoted("file:" + adPassword),
                "customers:",
                "  - uri: " + quoted(CUSTOMER_URI),
                "    enabled: true",
                "    authorizedDomains: [example.com]",
                "    defaultAdServer: demo-ad",
                "    defaultTemplate: User",
                "organizations:",
                "  - id: 1",
                "    customer: " + quoted(CUSTOMER_URI),
                "    domains: [example.com]",
                "    adServer: demo-ad",
                "ca:",
                "  subjectDn: \"CN=autoenroll demo CA,O=autoenroll demo\"",
                "  keyType: " + caKeyType.name(),
                "  keystore: " + quoted(caKeystore),
                "  keystorePassword: " + quoted("file:" + caPassword),
                "  baseUrl: " + quoted(baseUrl),
                "# Certificate templates, as AD CS has them: who may enroll and autoenroll, what the certificate says.",
                "templates:",
                "  - name: User",
                "    oid: 1.3.6.1.4.1.311.21.8.1.1",
                "    validityDays: 365",
                "    renewalWindowDays: 30",
                "    extendedKeyUsages: [emailProtection, clientAuth]",
                "    enroll: [S-1-5-11]          # Authenticated Users",
                "    autoenroll: [S-1-5-11]",
                "    publishToDirectory: true",
                "  - name: StaffVPN",
                "    oid: 1.3.6.1.4.1.311.21.8.1.2",
                "    validityDays: 90",
                "    renewalWindowDays: 14",
                "    enroll: [PKI Staff]",
                "    autoenroll: [PKI Staff]",
                "    denyEnroll: [Contractors]   # deny beats allow: bob is staff and a contractor",
                "  - name: ManagerApproved",
                "    oid: 1.3.6.1.4.1.311.21.8.1.3",
                "    extendedKeyUsages: [clientAuth, smartcardLogon]",
                "    enroll: [S-1-5-11]",
                "    managerApproval: true",
                "  - name: Machine",
                "    oid: 1.3.6.1.4.1.311.21.8.1.4",
                "    subject: computer",
                "    extendedKeyUsages: [serverAuth, clientAuth]",
                "    enroll: [S-1-5-11]",
                "    autoenroll: [S-1-5-11]",
                database,
                "limits:",
                "  maxBodyBytes: 65536",
                "windows:",
                "  customer: " + quoted(CUSTOMER_URI),
                "  hostName: \"localhost:" + port + "\"",
                "  caName: " + CA_NAME,
                "");
    }

    static String quoted(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void writePem(Path file, byte[] der) throws IOException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** A random secret in {@code file}, readable by the owner only; kept when {@code keep} and present. */
    private static Path secret(Path file, boolean keep) throws IOException {
        if (keep && Files.exists(file)) {
            return file;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Files.deleteIfExists(file);
        Files.createFile(file);
        restrict(file, "rw-------");
        Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random), StandardCharsets.US_ASCII);
        return file;
    }

    private static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, "rwx------");
        return dir;
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the directory's own protection
        }
    }
}
