package org.autoenroll.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Module;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.server.config.ConfigLoader;
import org.autoenroll.server.config.ServerConfig;

/**
 * One reference server on 127.0.0.1 and a free port, over HTTPS, with its CA and H2 database in a
 * test's directory, wired from a YAML configuration written here; plus an HTTPS client that trusts
 * the server's CA and speaks the protocol. Not thread-safe.
 */
final class ServerHarness implements AutoCloseable {
    static final String CUSTOMER = "https://test.example/customer";
    static final String SECOND = "https://test.example/second";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final AutoenrollServer server;
    final HttpClient http;
    final URI base;
    final Path caPem;
    private final TestWorld world = TestWorld.get();

    private ServerHarness(Path dir, AutoenrollServer server, URI base, HttpClient http, Path caPem) {
        this.dir = dir;
        this.server = server;
        this.http = http;
        this.base = base;
        this.caPem = caPem;
    }

    /** Writes the server's YAML configuration from the files the harness prepared. */
    @FunctionalInterface
    interface ConfigWriter {
        String write(TestWorld world, Path tlsKeystore, Path tlsPassword, Path caKeystore, Path caPassword, Path db)
                throws IOException;
    }

    static ServerHarness start(Path dir, Module... overrides) {
        return start(dir, ServerHarness::config, overrides);
    }

    static ServerHarness start(Path dir, ConfigWriter configWriter, Module... overrides) {
        try {
            Prepared prepared = prepare(dir, configWriter);
            ServerConfig config = new ConfigLoader().load(prepared.configFile());
            AutoenrollServer server = AutoenrollServer.create(config, overrides).start();
            return new ServerHarness(dir, server, URI.create("https://localhost:" + server.port()),
                    client(prepared.caCertificate()), prepared.caPem());
        } catch (Exception e) {
            throw new IllegalStateException("test server did not start", e);
        }
    }

    /** The files a server needs, written into {@code dir}: its CA, TLS keystore and configuration. */
    record Prepared(Path configFile, Path caPem, X509Certificate caCertificate) {
    }

    static Prepared prepare(Path dir, ConfigWriter configWriter) throws Exception {
        TestWorld world = TestWorld.get();
        Files.createDirectories(dir);
        Path caPassword = dir.resolve("ca.pw");
        if (!Files.exists(caPassword)) {
            Files.writeString(caPassword, "ca-test-password");
        }
        Path caKeystore = dir.resolve("ca.p12");
        BuiltInCa ca = BuiltInCa.open(CaSettings.builder().subjectDn("CN=autoenroll test CA").keyType(CaKeyType.EC_P256)
                .keystorePath(caKeystore).keystorePassword(SecretRef.parse("file:" + caPassword))
                .baseUrl("https://localhost:8443").build(), Clock.systemUTC());
        Path tlsPassword = dir.resolve("tls.pw");
        Files.writeString(tlsPassword, "tls-test-password");
        Path tlsKeystore = dir.resolve("tls.p12");
        ServerKeystores.writeTlsKeystore(ca, List.of("localhost", "127.0.0.1"), tlsKeystore, "tls-test-password".toCharArray());
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, pem(ca.caCertificateDer()));
        Path configFile = dir.resolve("server.yaml");
        Files.writeString(configFile, configWriter.write(world, tlsKeystore, tlsPassword, caKeystore, caPassword, dir.resolve("db")));
        return new Prepared(configFile, caPem, ca.caCertificate());
    }

    /** A client of a server running in another process, on {@code port}; {@link #server} is null. */
    static ServerHarness external(Path dir, Prepared prepared, int port) throws Exception {
        return new ServerHarness(dir, null, URI.create("https://localhost:" + port), client(prepared.caCertificate()),
                prepared.caPem());
    }

    static String config(TestWorld world, Path tlsKeystore, Path tlsPassword, Path caKeystore, Path caPassword, Path db)
            throws IOException {
        String ad = world.ad.endpoint().toString();
        return """
                listen:
                  host: 127.0.0.1
                  port: 0
                  publicationPort: 0
                  tls:
                    keystore: "%s"
                    password: "file:%s"
                realms:
                  - realm: EXAMPLE.COM
                    keytab: "%s"
                adServers:
                  - id: ad1
                    windowsDomain: EXAMPLE.COM
                    hosts: ["%s"]
                    usersBaseDn: "%s"
                    bindDn: "%s"
                    bindPassword: "file:%s"
                  - id: ad-other
                    windowsDomain: OTHER.COM
                    hosts: ["%s"]
                    usersBaseDn: "%s"
                    bindDn: "%s"
                    bindPassword: "file:%s"
                  - id: ad-dead
                    windowsDomain: EXAMPLE.COM
                    hosts: ["127.0.0.1:%d"]
                    usersBaseDn: "%s"
                    bindDn: "%s"
                    bindPassword: "file:%s"
                customers:
                  - uri: "%s"
                    authorizedDomains: [example.com]
                    defaultAdServer: ad1
                  - uri: "%s"
                    authorizedDomains: [example.com]
                    defaultAdServer: ad1
                  - uri: https://test.example/disabled
                    enabled: false
                    authorizedDomains: [example.com]
                    defaultAdServer: ad1
                  - uri: https://test.example/noad
                    authorizedDomains: [example.com]
                  - uri: https://test.example/other-realm
                    authorizedDomains: [example.com]
                    defaultAdServer: ad-other
                  - uri: https://test.example/dead-ad
                    authorizedDomains: [example.com]
                    defaultAdServer: ad-dead
                  - uri: https://test.example/no-suitable
                    authorizedDomains: [example.com]
                    defaultAdServer: ad1
                  - uri: https://test.example/other-domain
                    authorizedDomains: [other.org]
                organizations:
                  - {id: 1, customer: "%s", domains: [example.com], adServer: ad1}
                  - {id: 2, customer: "%s", domains: [example.com], adServer: ad1, deleted: true}
                  - {id: 3, customer: "%s", domains: [example.com], adServer: ad1}
                  - {id: 4, customer: https://test.example/noad, domains: [example.com]}
                  - {id: 5, customer: https://test.example/other-realm, domains: [example.com], adServer: ad-other}
                  - {id: 6, customer: https://test.example/dead-ad, domains: [example.com], adServer: ad-dead}
                  - {id: 7, customer: https://test.example/no-suitable, domains: [example.com], adServer: ad-other}
                  - {id: 8, customer: "%s", domains: [other.org], adServer: ad1}
                ca:
                  subjectDn: "CN=autoenroll test CA"
                  keyType: EC_P256
                  keystore: "%s"
                  keystorePassword: "file:%s"
                  baseUrl: https://localhost:8443
                profile:
                  validityDays: 30
                  renewalWindowDays: 10
                database:
                  dataDir: "%s"
                limits:
                  maxBodyBytes: 16384
                admin:
                  token: "file:%s"
                """.formatted(tlsKeystore, tlsPassword, world.keytab,
                ad, world.ad.usersDn(), world.ad.bindDn(), world.adPassword,
                ad, world.ad.usersDn(), world.ad.bindDn(), world.adPassword,
                closedPort(), world.ad.usersDn(), world.ad.bindDn(), world.adPassword,
                CUSTOMER, SECOND, CUSTOMER, CUSTOMER, SECOND, "https://test.example/other-domain",
                caKeystore, caPassword, db, adminToken(db.getParent()));
    }

    /**
     * {@code config} plus one more realm with its keytab, an AD server record of that Windows
     * domain, and a customer with one organization bound to it: a second tenant in the same server.
     */
    static String withTenant(String config, String realm, Path keytab, String adServerId, String adHostPort, boolean ssl,
                             String usersDn, String bindDn, Path bindPassword, String customer, long orgId, String domain) {
        return config
                .replace("realms:\n", "realms:\n  - realm: " + realm + "\n    keytab: \"" + keytab + "\"\n")
                .replace("adServers:\n", """
                        adServers:
                          - id: %s
                            windowsDomain: %s
                            hosts: ["%s"]
                            ssl: %s
                            usersBaseDn: "%s"
                            bindDn: "%s"
                            bindPassword: "file:%s"
                        """.formatted(adServerId, realm, adHostPort, ssl, usersDn, bindDn, bindPassword))
                .replace("customers:\n", """
                        customers:
                          - uri: "%s"
                            authorizedDomains: [%s]
                            defaultAdServer: %s
                        """.formatted(customer, domain, adServerId))
                .replace("organizations:\n", """
                        organizations:
                          - {id: %d, customer: "%s", domains: [%s], adServer: %s}
                        """.formatted(orgId, customer, domain, adServerId));
    }

    static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";

    /** The operators' token, in a file beside the database. */
    static Path adminToken(Path dir) throws IOException {
        Path file = dir.resolve("admin.token");
        if (!Files.exists(file)) {
            Files.writeString(file, ADMIN_TOKEN);
        }
        return file;
    }

    static final int MAX_BODY = 16384;

    /** A port nobody listens on (bound then released: good enough on a test machine). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpClient client(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    // ---- protocol helpers

    HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            builder.header("Authorization", "Negotiate " + Base64.getEncoder().encodeToString(world.token(user)));
        }
        return builder;
    }

    HttpResponse<String> post(String path, String user, String body) {
        return send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> postJson(String path, String user, Map<String, ?> body) {
        return post(path, user, json(body));
    }

    HttpResponse<String> get(String path, String user) {
        return send(request(path, user).GET().build());
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An enrollment body for the main customer, organization 1, with a fresh EC key. */
    static Map<String, Object> enrollment(String user, String email, String commonName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerUri", CUSTOMER);
        body.put("orgId", "1");
        body.put("email", email);
        body.put("csr", Csrs.csr(Csrs.ec(), commonName));
        return body;
    }

    static Map<String, Object> alice() {
        return enrollment("alice", "alice@example.com", "Alice Demo");
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Enrolls and insists on 200: the parsed answer. */
    JsonNode enrollOk(String user, Map<String, ?> body) {
        HttpResponse<String> response = postJson("/api/v1/enroll", user, body);
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200, got " + response.statusCode() + ": " + response.body());
        }
        return parse(response);
    }

    /** How many certificates the store holds for {@code user} in {@code customerUri}. */
    int certificates(String customerUri, String user) {
        try {
            return server.component(CertificateStore.class).findByOwner(customerUri, user + "@" + TestWorld.REALM).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** All certificates of {@code user} across the test customers. */
    int certificates(String user) {
        return certificates(CUSTOMER, user) + certificates(SECOND, user);
    }

    static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
