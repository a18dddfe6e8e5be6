package org.autoenroll.server.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * The demo's Kerberos KDC: Apache Kerby's {@link SimpleKdcServer} for one realm on 127.0.0.1 (TCP
 * and UDP on one port), AES enctypes only, users with passwords and the server's
 * {@code HTTP/localhost} principal exported to a keytab.
 *
 * <p>Demo mode only: Kerby's {@code init()} sets the JVM-wide {@code java.security.krb5.conf}
 * property and keeps options in enum constants, so one JVM holds at most one of these, and
 * nothing else in the server relies on that property. Not thread-safe; start and close once.
 */
final class DemoKdc implements AutoCloseable {
    static final String ENCTYPES = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96";

    private final SimpleKdcServer kdc;
    private final String realm;
    private final int port;

    private DemoKdc(SimpleKdcServer kdc, String realm, int port) {
        this.kdc = kdc;
        this.realm = realm;
        this.port = port;
    }

    static DemoKdc start(Path workDir, String realm, int port, Map<String, String> users) throws IOException, KrbException {
        Files.createDirectories(workDir);
        SimpleKdcServer kdc = new SimpleKdcServer();
        kdc.setWorkDir(workDir.toFile());
        kdc.setKdcRealm(realm);
        kdc.setKdcHost("127.0.0.1");
        kdc.setAllowTcp(true);
        kdc.setAllowUdp(true);
        kdc.setKdcTcpPort(port);
        kdc.setKdcUdpPort(port);
        kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, ENCTYPES);
        kdc.init();
        kdc.start();
        try {
            for (Map.Entry<String, String> user : users.entrySet()) {
                kdc.createPrincipal(user.getKey(), user.getValue());
            }
        } catch (KrbException | RuntimeException e) {
            kdc.stop();
            throw e;
        }
        return new DemoKdc(kdc, realm, port);
    }

    /** Creates {@code principal} (e.g. {@code HTTP/localhost}) with a random key and writes its keytab. */
    void exportService(String principal, Path keytab) throws KrbException, IOException {
        kdc.createPrincipal(principal);
        Files.deleteIfExists(keytab);
        kdc.exportPrincipal(principal, keytab.toFile());
    }

    String realm() {
        return realm;
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            kdc.stop();
        } catch (KrbException e) {
            // stopping is best effort at shutdown
        }
    }
}
