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
import org.autoenroll.ldap.testkit.UserSpec;
import org.autoenroll.server.AutoenrollServer;
import org.autoenroll.server.FreePorts;
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
    public record DemoUser(String name, String password, String commonName, String email) {
    }

    private final Path dataDir;
    private final DemoKdc kdc;
    private final InMemoryActiveDirectory directory;
    private final AutoenrollServer server;

    private DemoEnvironment(Path dataDir, DemoKdc kdc, InMemoryActiveDirectory directory, AutoenrollServer server) {
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
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        int httpsPort = port == 0 ? FreePorts.find() : port;
        Path secrets = privateDirectory(dir.resolve("secrets"));
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Map<String, String> passwords = new LinkedHashMap<>();
            USERS.forEach(u -> passwords.put(u.name(), u.password()));
            DemoKdc kdc = DemoKdc.start(dir.resolve("kdc"), REALM, FreePorts.find(), passwords);
            started.add(kdc);
            Path keytab = dir.resolve("http.keytab");
            kdc.exportService(SERVICE_PRINCIPAL, keytab);
            Files.writeString(dir.resolve("krb5.conf"), krb5Conf(kdc.port()), StandardCharsets.UTF_8);

            Path adPassword = secret(secrets.resolve("ad-bind.pw"), false);
            InMemoryActiveDirectory directory = InMemoryActiveDirectory.builder()
                    .bindPassword(Files.readString(adPassword).strip().toCharArray()).start();
            started.add(directory);
            for (DemoUser user : USERS) {
                directory.addUser(UserSpec.builder(user.name()).cn(user.commonName()).mail(user.email())
                        .password(user.password().toCharArray()).build());
            }

            String baseUrl = "https://localhost:" + httpsPort;
            Path caPassword = secret(secrets.resolve("ca-keystore.pw"), true);
            Path caKeystore = dir.resolve("ca").resolve("ca.p12");
            Files.createDirectories(caKeystore.getParent());
            BuiltInCa ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=autoenroll demo CA,O=autoenroll demo")
                    .keyType(CaKeyType.EC_P256).keystorePath(caKeystore)
                    .keystorePassword(SecretRef.parse("file:" + caPassword)).baseUrl(baseUrl).build(), Clock.systemUTC());
            writePem(dir.resolve("ca.pem"), ca.caCertificateDer());

            Path tlsPassword = secret(secrets.resolve("tls.pw"), false);
            Path tlsKeystore = dir.resolve("tls").resolve("server.p12");
            ServerKeystores.writeTlsKeystore(ca, List.of("localhost", "127.0.0.1"), tlsKeystore,
                    Files.readString(tlsPassword).strip().toCharArray());

            Path configFile = dir.resolve("demo-config.yaml");
            Files.writeString(configFile, config(httpsPort, keytab, directory, adPassword, caKeystore, caPassword, baseUrl,
                    tlsKeystore, tlsPassword, dir.resolve("db")), StandardCharsets.UTF_8);
            ServerConfig config = new ConfigLoader().load(configFile);
            AutoenrollServer server = AutoenrollServer.create(config).start();
            return new DemoEnvironment(dir, kdc, directory, server);
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
        server.stop();
        directory.close();
        kdc.close();
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

    private static String config(int port, Path keytab, InMemoryActiveDirectory ad, Path adPassword, Path caKeystore,
                                 Path caPassword, String baseUrl, Path tlsKeystore, Path tlsPassword, Path dbDir) {
        return String.join("\n",
                "# Generated by autoenroll demo mode at each start; a template for your own configuration.",
                "listen:",
                "  host: 127.0.0.1",
                "  port: " + port,
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
                "organizations:",
                "  - id: 1",
                "    customer: " + quoted(CUSTOMER_URI),
                "    domains: [example.com]",
                "    adServer: demo-ad",
                "ca:",
                "  subjectDn: \"CN=autoenroll demo CA,O=autoenroll demo\"",
                "  keyType: EC_P256",
                "  keystore: " + quoted(caKeystore),
                "  keystorePassword: " + quoted("file:" + caPassword),
                "  baseUrl: " + quoted(baseUrl),
                "profile:",
                "  validityDays: 365",
                "  renewalWindowDays: 30",
                "  publishToDirectory: false",
                "database:",
                "  dataDir: " + quoted(dbDir),
                "limits:",
                "  maxBodyBytes: 65536",
                "windows:",
                "  customer: " + quoted(CUSTOMER_URI),
                "  hostName: \"localhost:" + port + "\"",
                "  caName: " + CA_NAME,
                "  templates:",
                "    - {name: DemoUser, oid: 1.3.6.1.4.1.311.21.8.1.1, majorRevision: 100, enroll: [S-1-5-11], autoenroll: [S-1-5-11]}",
                "    - {name: DemoMachine, oid: 1.3.6.1.4.1.311.21.8.1.2, majorRevision: 100, computer: true, enroll: [S-1-5-11]}",
                "");
    }

    private static String quoted(Object value) {
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
