package org.autoenroll.core.publication;

import org.autoenroll.core.internal.CertificateCleanup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateCleanupTest {
    private static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    private static final String CA_NAME = "CN=Autoenroll Test CA,O=Example";
    private static TestCertificates ca;
    private static TestCertificates sameNameOtherKey;
    private static TestCertificates foreign;
    private static X509Certificate valid;
    private static X509Certificate expired;
    private static X509Certificate revoked;
    private static byte[] renewed;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.ca(CA_NAME);
        sameNameOtherKey = TestCertificates.ca(CA_NAME);
        foreign = TestCertificates.ca("CN=Other Enterprise CA,DC=example,DC=com");
        valid = ca.issue("alice", NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(300)));
        expired = ca.issue("alice", NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)));
        revoked = ca.issue("alice", NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(300)));
        renewed = ca.issueDer("alice", NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(365)));
    }

    private static CertificateCleanup cleanup() {
        return new CertificateCleanup(ca.caCertificate);
    }

    private static CertificateCleanup.SerialStatus revokedAre(X509Certificate... certificates) {
        Set<BigInteger> serials = new HashSet<>();
        for (X509Certificate c : certificates) {
            serials.add(c.getSerialNumber());
        }
        return serials::contains;
    }

    private static List<byte[]> der(X509Certificate... certificates) throws Exception {
        List<byte[]> result = new ArrayList<>();
        for (X509Certificate c : certificates) {
            result.add(c.getEncoded());
        }
        return result;
    }

    private static void assertSameValues(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "number of values");
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(java.util.Arrays.equals(expected.get(i), actual.get(i)), "value " + i);
        }
    }

    @Test
    void toRemove_revokedWithoutNewCertificate_removesRevokedOnly() throws Exception {
        List<byte[]> remove = cleanup().toRemove(der(valid, expired, revoked), revokedAre(revoked), null, NOW);
        assertSameValues(der(revoked), remove);
    }

    @Test
    void toRemove_expiredWithoutNewCertificate_keepsExpired() throws Exception {
        assertTrue(cleanup().toRemove(der(expired), revokedAre(), null, NOW).isEmpty());
    }

    @Test
    void toRemove_newValidCertificate_removesExpiredRevokedAndSuperseded() throws Exception {
        // valid is the one the renewal supersedes: the store has it revoked (superseded).
        List<byte[]> remove = cleanup().toRemove(der(valid, expired, revoked), revokedAre(valid, revoked), renewed, NOW);
        assertSameValues(der(valid, expired, revoked), remove);
    }

    @Test
    void toRemove_newCertificateNotYetValid_keepsExpired() throws Exception {
        byte[] future = ca.issueDer("alice", NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
        assertTrue(cleanup().toRemove(der(expired), revokedAre(), future, NOW).isEmpty());
    }

    @Test
    void toRemove_newCertificateFromAnotherCa_keepsExpired() throws Exception {
        byte[] other = foreign.issueDer("alice", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
        assertTrue(cleanup().toRemove(der(expired), revokedAre(), other, NOW).isEmpty());
    }

    @Test
    void toRemove_foreignCertificates_neverRemovedNorAskedAbout() throws Exception {
        X509Certificate foreignExpired = foreign.issue("alice", NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)));
        X509Certificate impostorExpired = sameNameOtherKey.issue("alice", NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)));
        X509Certificate impostorValid = sameNameOtherKey.issue("alice", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9)));
        assertEquals(impostorValid.getIssuerX500Principal(), ca.caCertificate.getSubjectX500Principal());
        List<BigInteger> asked = new ArrayList<>();
        List<byte[]> remove = cleanup().toRemove(der(foreignExpired, impostorExpired, impostorValid),
                serial -> {
                    asked.add(serial);
                    return true;
                }, renewed, NOW);
        assertTrue(remove.isEmpty());
        assertTrue(asked.isEmpty(), "asked about " + asked);
    }

    /** One store question per clean-up, about this CA's serials only: what keeps an enrollment's cost flat. */
    @Test
    void toRemove_severalOfThisCa_asksTheStoreOnceAboutAllOfThem() throws Exception {
        List<java.util.Collection<BigInteger>> asked = new ArrayList<>();
        CertificateCleanup.SerialStatus status = new CertificateCleanup.SerialStatus() {
            @Override
            public boolean isRevokedOrSuperseded(BigInteger serial) {
                throw new AssertionError("asked one serial at a time");
            }

            @Override
            public Set<BigInteger> revokedAmong(java.util.Collection<BigInteger> serials) {
                asked.add(Set.copyOf(serials));
                return Set.of(revoked.getSerialNumber());
            }
        };
        X509Certificate foreignValid = foreign.issue("alice", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9)));

        List<byte[]> remove = cleanup().toRemove(der(valid, revoked, foreignValid, expired), status, renewed, true, NOW);

        assertSameValues(der(revoked, expired), remove);
        assertEquals(List.of(Set.of(valid.getSerialNumber(), revoked.getSerialNumber(), expired.getSerialNumber())), asked);
    }

    /** What a kept cleanup remembers of a value never hides a later revocation: the store is asked each time. */
    @Test
    void toRemove_sameCleanupAfterARevocation_removesTheNowRevokedValue() throws Exception {
        CertificateCleanup kept = cleanup();
        assertTrue(kept.toRemove(der(valid, revoked), revokedAre(), renewed, true, NOW).isEmpty());

        List<byte[]> remove = kept.toRemove(der(valid, revoked), revokedAre(revoked), renewed, true, NOW);

        assertSameValues(der(revoked), remove);
    }

    @Test
    void toRemove_unparsableValue_isKept() throws Exception {
        List<byte[]> current = List.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "not a certificate".getBytes());
        assertTrue(cleanup().toRemove(current, serial -> true, renewed, NOW).isEmpty());
    }

    @Test
    void toRemove_newCertificateAlreadyPresent_isNeverRemoved() throws Exception {
        List<byte[]> current = List.of(renewed.clone());
        assertTrue(cleanup().toRemove(current, serial -> true, renewed, NOW).isEmpty());
    }

    @Test
    void toRemove_storeFails_throwsItsError() {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> cleanup().toRemove(der(valid),
                serial -> {
                    throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "store down");
                }, null, NOW));
        assertEquals(ErrorCode.ENROLLMENT_FAILED, e.code());
    }

    @Test
    void isIssuedByThisCa_sameNameOtherKey_false() throws Exception {
        assertTrue(cleanup().isIssuedByThisCa(valid.getEncoded()));
        assertFalse(cleanup().isIssuedByThisCa(
                sameNameOtherKey.issueDer("x", NOW.minusSeconds(60), NOW.plusSeconds(60))));
        assertFalse(cleanup().isIssuedByThisCa(new byte[0]));
    }
}
