package org.autoenroll.server;

import org.autoenroll.server.internal.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real MIT Kerberos KDC ({@code krb5kdc} from Debian's krb5-kdc) for one realm, with its
 * database, configuration and credential caches in a private directory, on a free loopback port.
 * Nothing system-wide is read or written: every command gets {@code KRB5_CONFIG},
 * {@code KRB5_KDC_PROFILE} and {@code KRB5CCNAME} of its own.
 *
 * <p>Skipped when the programs are missing and CI is unset; with {@code CI=true} a missing program
 * fails the test. Not thread-safe.
 */
final class MitKdc implements AutoCloseable {
    private final String realm;
    private final Path dir;
    private final int port;
    private final Process kdc;

    private MitKdc(String realm, Path dir, int port, Process kdc) {
        this.realm = realm;
        this.dir = dir;
        this.port = port;
        this.kdc = kdc;
    }

    static MitKdc start(String realm, Path dir) throws Exception {
        for (String program : List.of("/usr/sbin/krb5kdc", "/usr/sbin/kdb5_util", "/usr/sbin/kadmin.local", "/usr/bin/kinit", "/usr/bin/curl")) {
            boolean present = Files.isExecutable(Path.of(program));
            if (System.getenv("CI") == null) {
                Assumptions.assumeTrue(present, program + " is missing (apt-get install krb5-kdc krb5-admin-server krb5-user curl)");
            } else if (!present) {
                throw new IllegalStateException(program + " is missing on a CI machine: .ci/run must install it");
            }
        }
        Files.createDirectories(dir);
        int port = FreePorts.find();
        Files.writeString(dir.resolve("kdc.conf"), """
                [kdcdefaults]
                 kdc_listen = 127.0.0.1:%1$d
                 kdc_tcp_listen = 127.0.0.1:%1$d
                [realms]
                 %2$s = {
                  database_name = %3$s/principal
                  key_stash_file = %3$s/stash
                  acl_file = %3$s/kadm5.acl
                  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
                 }
                [logging]
                 kdc = FILE:%3$s/kdc.log
                """.formatted(port, realm, dir));
        Files.writeString(dir.resolve("krb5.conf"), """
                [libdefaults]
                 default_realm = %2$s
                 dns_lookup_kdc = false
                 dns_lookup_realm = false
                 dns_canonicalize_hostname = false
                 rdns = false
                [realms]
                 %2$s = {
                  kdc = 127.0.0.1:%1$d
                 }
                """.formatted(port, realm));
        MitKdc unstarted = new MitKdc(realm, dir, port, null);
        unstarted.run(null, null, "/usr/sbin/kdb5_util", "-r", realm, "create", "-s", "-P", "master-" + port);
        ProcessBuilder builder = new ProcessBuilder("/usr/sbin/krb5kdc", "-n", "-r", realm, "-P", dir.resolve("kdc.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("krb5kdc.out").toFile());
        builder.environment().putAll(unstarted.environment(null));
        Process kdc = builder.start();
        MitKdc started = new MitKdc(realm, dir, port, kdc);
        awaitListening(port, kdc);
        return started;
    }

    private static void awaitListening(int port, Process kdc) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!kdc.isAlive()) {
                throw new IllegalStateException("krb5kdc exited with " + kdc.exitValue());
            }
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("krb5kdc did not listen on " + port + " within 15 s");
    }

    String realm() {
        return realm;
    }

    int port() {
        return port;
    }

    void addUser(String name, String password) throws Exception {
        kadmin("addprinc -pw " + password + " " + name);
    }

    /** Adds {@code principal} with a random key and exports it, as {@code kadmin ktadd} does (kvno 2, AES). */
    Path exportKeytab(String principal, Path keytab) throws Exception {
        kadmin("addprinc -randkey " + principal);
        kadmin("ktadd -k " + keytab + " " + principal);
        return keytab;
    }

    /** A client of this realm: {@code kinit}, {@code klist}, {@code curl --negotiate} with its own configuration. */
    KerberosClient client() {
        return new KerberosClient(dir.resolve("krb5.conf"), dir);
    }

    private String run(String stdin, Path cache, String... command) throws Exception {
        return KerberosClient.run(stdin, environment(cache), command);
    }

    private void kadmin(String query) throws Exception {
        run(null, null, "/usr/sbin/kadmin.local", "-r", realm, "-q", query);
    }

    private Map<String, String> environment(Path cache) {
        Map<String, String> environment = new java.util.HashMap<>(client().environment(cache));
        environment.put("KRB5_KDC_PROFILE", dir.resolve("kdc.conf").toString());
        return environment;
    }

    @Override
    public void close() throws IOException {
        if (kdc != null) {
            kdc.destroy();
            try {
                if (!kdc.waitFor(10, TimeUnit.SECONDS)) {
                    kdc.destroyForcibly();
                }
            } catch (InterruptedException e) {
                kdc.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
