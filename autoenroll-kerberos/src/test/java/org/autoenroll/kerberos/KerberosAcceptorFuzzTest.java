package org.autoenroll.kerberos;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.TicketForger;

/**
 * Jazzer fuzz test of {@link KerberosAcceptor#validate}: whatever the bytes, only an
 * EnrollmentException may escape. No KDC: a fixed clock and a keytab from a password, so the
 * seed token in the resources (a valid SPNEGO token, see {@link #seedToken()}) stays valid and
 * lets the fuzzer reach the decryption and the checks behind it. In a normal build it runs the
 * seeds only (regression mode); {@code JAZZER_FUZZ=1 mvn test -Dtest=KerberosAcceptorFuzzTest} fuzzes.
 */
class KerberosAcceptorFuzzTest {
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    static final String REALM = "FUZZ.TEST";
    static final byte[] KEYTAB = Keytabs.fromPassword("HTTP/localhost@" + REALM, "fuzz-service-pw", 2,
            EncryptionType.AES256_CTS_HMAC_SHA1_96, EncryptionType.AES128_CTS_HMAC_SHA1_96);

    private static final KerberosAcceptor ACCEPTOR = KerberosAcceptor.builder()
            .addRealm(REALM, KEYTAB)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            // replays of the seed are expected: a cache that never remembers keeps runs deterministic
            .replayCache((key, expiresAt) -> ReplayCache.Outcome.RECORDED)
            .build();

    @FuzzTest(maxDuration = "30s")
    void validate_anyBytes_onlyEnrollmentException(byte[] token) {
        try {
            ACCEPTOR.validate(token);
        } catch (EnrollmentException expected) {
            // refused: fine
        }
    }

    /** The seed: a valid token for alice@FUZZ.TEST at {@link #NOW}. */
    static byte[] seedToken() {
        KeytabEntry key = Keytabs.entry(KEYTAB, "HTTP/localhost", EncryptionType.AES256_CTS_HMAC_SHA1_96);
        return new TicketForger(REALM, "HTTP/localhost", key.getKey(), 2)
                .times(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(9)))
                .forge().apReq().ctime(NOW).spnegoToken();
    }

    /** Writes the seed file: {@code java ... KerberosAcceptorFuzzTest <file>}. */
    public static void main(String[] args) throws Exception {
        byte[] seed = seedToken();
        ACCEPTOR.validate(seed);
        java.nio.file.Files.write(java.nio.file.Path.of(args[0]), seed);
    }
}
