package org.autoenroll.kerberos.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;

/**
 * A real Kerberos KDC for tests: one Apache Kerby {@link SimpleKdcServer}, TCP only, on a free
 * port of localhost, AES-SHA1 enctypes only; with users, service principals, keytab export, and
 * SPNEGO tokens built as a GSS-API initiator (the JDK, MIT, Windows) builds them.
 *
 * <p>Kerby keeps JVM-wide state (its KOptions enum values, and {@code init()} sets the system
 * property {@code java.security.krb5.conf}), so only one KDC may run per JVM: {@link #start}
 * refuses a second; share it with {@link #shared()}. Other modules depend on this module's
 * test-jar (type test-jar, scope test) and must also declare {@code kerb-simplekdc} (scope test):
 * test dependencies are not transitive.
 *
 * <p>Thread-safe: every method is synchronized on the class (Kerby's client is not re-entrant).
 */
public final class KdcFixture implements AutoCloseable {
    /** The realm of {@link #shared()}. */
    public static final String SHARED_REALM = "EXAMPLE.COM";
    private static final String ENCTYPES = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96";

    private static KdcFixture running;
    private static KdcFixture shared;

    private final String realm;
    private final Path workDir;
    private final int port;
    private final SimpleKdcServer kdc;
    private final Map<String, String> passwords = new HashMap<>();
    private final Set<String> services = new HashSet<>();
    private boolean closed;

    private KdcFixture(String realm, Path workDir, int port, SimpleKdcServer kdc) {
        this.realm = realm;
        this.workDir = workDir;
        this.port = port;
        this.kdc = kdc;
    }

    /**
     * Starts a KDC for {@code realm} keeping its files in {@code workDir}.
     *
     * @throws IllegalStateException if a KDC started by this class is already running in the JVM
     */
    public static KdcFixture start(String realm, Path workDir) {
        synchronized (KdcFixture.class) {
            if (running != null) {
                throw new IllegalStateException("a KdcFixture for " + running.realm
                        + " is already running: only one Kerby KDC fits in a JVM; use KdcFixture.shared()");
            }
            try {
                Files.createDirectories(workDir);
                int port = freePort();
                SimpleKdcServer kdc = new SimpleKdcServer();
                kdc.setWorkDir(workDir.toFile()); // before init(): it writes krb5.conf and the backend there
                kdc.setKdcRealm(realm);
                kdc.setKdcHost("localhost");
                kdc.setAllowUdp(false);
                kdc.setAllowTcp(true);
                kdc.setKdcTcpPort(port);
                kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, ENCTYPES);
                kdc.init();
                kdc.start();
                running = new KdcFixture(realm, workDir, port, kdc);
                return running;
            } catch (KrbException e) {
                throw new IllegalStateException("cannot start the Kerby KDC for " + realm, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The JVM's shared KDC for {@link #SHARED_REALM}, started on first use in a temporary
     * directory and stopped when the JVM exits. Test classes use this rather than {@link #start}.
     */
    public static KdcFixture shared() {
        synchronized (KdcFixture.class) {
            if (shared == null || shared.closed) {
                try {
                    shared = start(SHARED_REALM, Files.createTempDirectory("autoenroll-kdc"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                KdcFixture fixture = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(fixture::close, "kdc-fixture-stop"));
            }
            return shared;
        }
    }

    public String realm() {
        return realm;
    }

    /** The KDC's TCP port on localhost (it does not listen on UDP). */
    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    /** {@code name@REALM} unless the name already has a realm. */
    public String qualify(String principal) {
        return principal.indexOf('@') >= 0 ? principal : principal + "@" + realm;
    }

    /** Creates (or re-creates with a new password) a user principal, e.g. {@code alice}. */
    public KdcFixture addUser(String name, String password) {
        synchronized (KdcFixture.class) {
            String principal = qualify(name);
            String existing = passwords.get(principal);
            if (password.equals(existing)) {
                return this;
            }
            try {
                if (existing != null) {
                    kdc.deletePrincipal(principal);
                }
                kdc.createPrincipal(principal, password);
                passwords.put(principal, password);
                return this;
            } catch (KrbException e) {
                throw new IllegalStateException("cannot create " + principal, e);
            }
        }
    }

    /** Creates a service principal with a random key, e.g. {@code HTTP/localhost}; no-op if it exists. */
    public KdcFixture addService(String servicePrincipal) {
        synchronized (KdcFixture.class) {
            String principal = qualify(servicePrincipal);
            if (!passwords.containsKey(principal) && services.add(principal)) {
                try {
                    kdc.createPrincipal(principal);
                } catch (KrbException e) {
                    services.remove(principal);
                    throw new IllegalStateException("cannot create " + principal, e);
                }
            }
            return this;
        }
    }

    /** Writes the principal's keys (all enctypes) as a keytab file; creates a service principal first if needed. */
    public Path exportKeytab(String principal, Path file) {
        synchronized (KdcFixture.class) {
            String qualified = qualify(principal);
            if (!passwords.containsKey(qualified)) {
                addService(qualified);
            }
            try {
                Files.deleteIfExists(file); // Kerby appends to an existing keytab
                kdc.exportPrincipal(qualified, file.toFile());
                return file;
            } catch (KrbException e) {
                throw new IllegalStateException("cannot export " + qualified, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The principal's keytab as bytes. */
    public byte[] keytab(String principal) {
        synchronized (KdcFixture.class) {
            try {
                Path file = Files.createTempFile(workDir, "export", ".keytab");
                try {
                    return Files.readAllBytes(exportKeytab(principal, file));
                } finally {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * AS and TGS exchanges with the KDC: the user's ticket for the service, with its session key.
     * Creates the service principal if missing; the user must exist ({@link #addUser}).
     */
    public ServiceTicket serviceTicket(String user, String password, String servicePrincipal) {
        synchronized (KdcFixture.class) {
            addService(servicePrincipal);
            try {
                KrbClient client = kdc.getKrbClient();
                TgtTicket tgt = client.requestTgt(qualify(user), password);
                SgtTicket sgt = client.requestSgt(tgt, qualify(servicePrincipal));
                return new ServiceTicket(sgt.getTicket(), sgt.getSessionKey(),
                        String.join("/", tgt.getClientPrincipal().getNameStrings()), tgt.getRealm());
            } catch (KrbException e) {
                throw new IllegalStateException("cannot get a ticket for " + user + " to " + servicePrincipal, e);
            }
        }
    }

    /**
     * The SPNEGO Negotiate token (NegTokenInit with a Kerberos AP-REQ) that a GSS-API initiator
     * sends for {@code servicePrincipal} (e.g. {@code HTTP/localhost}): GSS checksum 0x8003,
     * MUTUAL_REQUIRED, an authenticator subkey, no USE_SESSION_KEY. Creates the service principal
     * if missing. For tokens with a chosen fault use {@link #serviceTicket} and {@link ServiceTicket#apReq()}.
     */
    public byte[] negotiateToken(String user, String password, String servicePrincipal) {
        return serviceTicket(user, password, servicePrincipal).apReq().spnegoToken();
    }

    /** Writes a krb5.conf for MIT clients (kinit, curl --negotiate) pointing at this KDC over TCP. */
    public Path writeKrb5Conf(Path file) {
        String conf = String.join("\n",
                "[libdefaults]",
                "    default_realm = " + realm,
                "    dns_lookup_kdc = false",
                "    dns_lookup_realm = false",
                "    dns_canonicalize_hostname = false",
                "    rdns = false",
                "    udp_preference_limit = 1",
                "    default_tkt_enctypes = " + ENCTYPES,
                "    default_tgs_enctypes = " + ENCTYPES,
                "    permitted_enctypes = " + ENCTYPES,
                "    forwardable = false",
                "",
                "[realms]",
                "    " + realm + " = {",
                "        kdc = localhost:" + port,
                "    }",
                "",
                "[domain_realm]",
                "    localhost = " + realm,
                "    .localhost = " + realm,
                "");
        try {
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A krb5.conf for MIT clients in the work dir (see {@link #writeKrb5Conf}). */
    public Path krb5Conf() {
        return writeKrb5Conf(workDir.resolve("krb5-mit.conf"));
    }

    @Override
    public void close() {
        synchronized (KdcFixture.class) {
            if (closed) {
                return;
            }
            closed = true;
            if (running == this) {
                running = null;
            }
            try {
                kdc.stop();
            } catch (KrbException e) {
                // stopping a test KDC: nothing more to do
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
