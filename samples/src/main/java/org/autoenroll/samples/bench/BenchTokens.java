package org.autoenroll.samples.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.TicketForger;

/**
 * The benchmark's realm without a KDC: the key of {@code HTTP/localhost@EXAMPLE.COM} (AES256,
 * kvno 1) derived from a fixed password, its keytab, and a pool of distinct SPNEGO tokens (one
 * forged ticket and authenticator each, client {@code userN}) as a GSS-API initiator sends them.
 * Token ctimes are "now": the pool must be used within the acceptors' 5 minutes of clock skew.
 * Not thread-safe.
 */
final class BenchTokens {
    static final String REALM = "EXAMPLE.COM";
    static final String SERVICE = "HTTP/localhost";
    static final String SERVICE_PRINCIPAL = SERVICE + "@" + REALM;
    private static final int KVNO = 1;

    final EncryptionKey serviceKey = TicketForger.keyFromPassword(SERVICE_PRINCIPAL, "bench-service-password",
            EncryptionType.AES256_CTS_HMAC_SHA1_96);
    final byte[] keytab = Keytabs.fromKeys(SERVICE_PRINCIPAL, KVNO, serviceKey);

    /** The keytab in a temporary file, deleted at JVM exit. */
    Path keytabFile() throws java.io.IOException {
        Path file = Files.createTempFile("bench-http", ".keytab");
        file.toFile().deleteOnExit();
        Files.write(file, keytab);
        return file;
    }

    /** {@code count} tokens, each with its own ticket, session key and client {@code user<i % 1000>}. */
    byte[][] pool(int count) {
        byte[][] tokens = new byte[count][];
        for (int i = 0; i < count; i++) {
            tokens[i] = new TicketForger(REALM, SERVICE, serviceKey, KVNO).client("user" + (i % 1000), REALM)
                    .forge().apReq().cusec(i % 1_000_000).spnegoToken();
        }
        return tokens;
    }
}
