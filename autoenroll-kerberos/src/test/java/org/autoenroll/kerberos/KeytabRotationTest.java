package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.kerberos.testkit.Keytabs;
import org.autoenroll.kerberos.testkit.TicketForger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the service password (issue 12, item 7): a keytab file replaced on disk is used without
 * a restart, a broken replacement leaves the old keys in force, and a kvno mismatch says whether it
 * is the client's ticket or the keytab that is old.
 */
class KeytabRotationTest {
    private static final String REALM = "ROTATE.TEST";
    private static final String SERVICE = "HTTP/localhost";
    private static final String SPN = SERVICE + "@" + REALM;
    private static final EncryptionKey OLD = TicketForger.keyFromPassword(SPN, "old-pw", EncryptionType.AES256_CTS_HMAC_SHA1_96);
    private static final EncryptionKey NEW = TicketForger.keyFromPassword(SPN, "new-pw", EncryptionType.AES256_CTS_HMAC_SHA1_96);

    @TempDir
    Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private byte[] token(EncryptionKey key, int kvno) {
        return new TicketForger(REALM, SERVICE, key, kvno).times(now.get().minusSeconds(60), now.get().plus(Duration.ofHours(8)))
                .sessionKeyType(EncryptionType.AES256_CTS_HMAC_SHA1_96).forge().apReq().ctime(now.get()).spnegoToken();
    }

    private void replace(Path keytab, byte[] bytes, int secondsLater) throws Exception {
        Path temp = Files.write(dir.resolve("next.keytab"), bytes);
        Files.setLastModifiedTime(temp, FileTime.from(Files.getLastModifiedTime(keytab).toInstant().plusSeconds(secondsLater)));
        Files.move(temp, keytab, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String refusal(KerberosAcceptor acceptor, byte[] token) {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> acceptor.validate(token));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
        return e.detail();
    }

    @Test
    void validate_keytabFileReplaced_newKeysUsedWithoutRestart() throws Exception {
        Path keytab = Files.write(dir.resolve("http.keytab"), Keytabs.fromKeys(SPN, 2, OLD));
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(REALM, keytab).clock(clock).build();
        acceptor.validate(token(OLD, 2));

        replace(keytab, Keytabs.fromKeys(SPN, 3, NEW), 5);
        now.set(now.get().plusSeconds(2));

        assertEquals("alice", acceptor.validate(token(NEW, 3)).name());
    }

    @Test
    void validate_replacementIsNotAKeytab_oldKeysStayInForce() throws Exception {
        Path keytab = Files.write(dir.resolve("http.keytab"), Keytabs.fromKeys(SPN, 2, OLD));
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(REALM, keytab).clock(clock).build();

        replace(keytab, "half written".getBytes(), 5);
        now.set(now.get().plusSeconds(2));

        assertEquals("alice", acceptor.validate(token(OLD, 2)).name());
    }

    @Test
    void validate_clientTicketOlderThanTheKeytab_detailBlamesTheTicketNotTheKeytab() {
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(REALM, Keytabs.fromKeys(SPN, 3, NEW)).clock(clock).build();
        String detail = refusal(acceptor, token(OLD, 2));
        assertTrue(detail.contains("client's service ticket") && detail.contains("keytab is current"), detail);
        assertTrue(!detail.contains("export a new keytab"), detail);
    }

    @Test
    void validate_ticketNewerThanTheKeytab_detailAsksForANewKeytab() {
        KerberosAcceptor acceptor = KerberosAcceptor.builder().addRealm(REALM, Keytabs.fromKeys(SPN, 2, OLD)).clock(clock).build();
        String detail = refusal(acceptor, token(NEW, 3));
        assertTrue(detail.contains("export a new keytab"), detail);
    }
}
