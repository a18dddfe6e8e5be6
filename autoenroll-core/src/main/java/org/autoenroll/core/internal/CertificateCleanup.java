package org.autoenroll.core.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;

/**
 * Decides which {@code userCertificate} values to remove from a user's entry, as Windows
 * autoenrollment cleans up the user object (docs/ARCHITECTURE.md, Sources): this CA's revoked and superseded
 * certificates always; this CA's expired ones only when a new valid certificate is added in the
 * same step; never a certificate another CA issued. No LDAP here: hand the result to
 * {@link org.autoenroll.api.DirectoryPublisher#updateCertificates}.
 *
 * <p>A value counts as this CA's only when its issuer name equals the CA's subject <em>and</em> its
 * signature verifies with the CA's public key: a foreign CA with the same name is never touched.
 * Values that do not parse as X.509 are foreign too.
 *
 * <p>Cost per call, which runs on every enrollment: an entry keeps its values from one enrollment
 * to the next, so what a value is (issuer, serial, expiry, whether its signature verifies) is
 * remembered by its exact bytes for a bounded number of values; the store is asked about all of
 * this CA's serials in one {@link SerialStatus#revokedAmong} call; so a value's signature is
 * verified once, not on every enrollment, and a certificate our own CA just signed with the key it
 * holds is not verified at all.
 *
 * <p>Thread-safe (the status lookup given to {@link #toRemove} must be, if shared). Keep one per
 * CA certificate ({@link #of} answers the same one while the signer's CA certificate is the same).
 */
public final class CertificateCleanup {
    /** Larger values are not certificates this CA made; the directory lookup bounds them the same way. */
    static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    /** Values remembered: a few hundred users' entries (the directory lookup reads at most 256 values each). */
    static final int REMEMBERED = 4096;
    private static final Facts NOT_A_CERTIFICATE = new Facts(null, false);

    private final byte[] caCertificateDer;
    private final X500Principal caSubject;
    private final PublicKey caKey;
    private final ConcurrentHashMap<Der, Facts> remembered = new ConcurrentHashMap<>();

    /** The cleanup for the certificates {@code signer}'s issuing CA made. */
    public static CertificateCleanup of(CertificateSigner signer) {
        return new CertificateCleanup(parse(signer.caChain().get(0), "the signer's CA certificate"));
    }

    /**
     * This cleanup when {@code signer}'s issuing CA certificate is still the one it was made for,
     * else a new one: what a long-lived caller keeps, so that what it learnt about values is kept.
     */
    public static CertificateCleanup of(CertificateSigner signer, CertificateCleanup previous) {
        byte[] ca = signer.caChain().get(0);
        return previous != null && Arrays.equals(previous.caCertificateDer, ca) ? previous : of(signer);
    }

    /** Revoked (superseded included) as {@code certificates} records it; unknown serials are not. */
    public static SerialStatus revokedIn(CertificateStore certificates) {
        return new SerialStatus() {
            @Override
            public boolean isRevokedOrSuperseded(BigInteger serial) throws EnrollmentException {
                return certificates.revokedAmong(List.of(serial)).contains(serial);
            }

            @Override
            public Set<BigInteger> revokedAmong(Collection<BigInteger> serials) throws EnrollmentException {
                return certificates.revokedAmong(serials);
            }
        };
    }

    /** Whether this CA's certificate with a serial is revoked (superseded is a revocation reason) in our store. */
    @FunctionalInterface
    public interface SerialStatus {
        /**
         * @return true when the certificate is revoked for any reason, superseded included; false
         *     when valid or unknown to the store
         * @throws EnrollmentException when the store fails; the cleanup then fails as a whole
         */
        boolean isRevokedOrSuperseded(BigInteger serial) throws EnrollmentException;

        /** Those of {@code serials} that are revoked; a store answers in one query. */
        default Set<BigInteger> revokedAmong(Collection<BigInteger> serials) throws EnrollmentException {
            Set<BigInteger> revoked = new HashSet<>();
            for (BigInteger serial : serials) {
                if (isRevokedOrSuperseded(serial)) {
                    revoked.add(serial);
                }
            }
            return revoked;
        }
    }

    /** @param caCertificate the certificate of the CA whose certificates this cleanup manages */
    public CertificateCleanup(X509Certificate caCertificate) {
        Objects.requireNonNull(caCertificate, "caCertificate");
        try {
            this.caCertificateDer = caCertificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("the CA certificate cannot be encoded", e);
        }
        this.caSubject = caCertificate.getSubjectX500Principal();
        this.caKey = caCertificate.getPublicKey();
    }

    /**
     * The values of {@code current} to remove, in their order, each as given. Verifies the
     * signature of {@code newlyIssued} like any other value.
     *
     * @param current the entry's {@code userCertificate} values (DER), e.g. {@code DirectoryEntry.certificates()}
     * @param status revocation state in this CA's store, asked only about this CA's certificates
     * @param newlyIssued the certificate added in the same step (DER), or null when none is (a revocation)
     * @param now the time expiry is judged at
     * @throws EnrollmentException when {@code status} fails
     */
    public List<byte[]> toRemove(List<byte[]> current, SerialStatus status, byte[] newlyIssued, Instant now)
            throws EnrollmentException {
        return toRemove(current, status, newlyIssued, false, now);
    }

    /**
     * As {@link #toRemove(List, SerialStatus, byte[], Instant)}; with {@code newlyIssuedSignedHere}
     * the new certificate's signature is not verified again: the caller's signer made it in this
     * process with the CA key it holds ({@link CertificateSigner#signsWithHeldKey()}). A certificate
     * that came from elsewhere (a remote CA) is verified.
     */
    public List<byte[]> toRemove(List<byte[]> current, SerialStatus status, byte[] newlyIssued,
                                 boolean newlyIssuedSignedHere, Instant now) throws EnrollmentException {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(now, "now");
        Date at = Date.from(now);
        // Expired ones go only when a certificate valid now replaces them (docs/ARCHITECTURE.md, Sources): never leave the user with none.
        boolean validAdded = false;
        if (newlyIssued != null) {
            Facts added = facts(newlyIssued);
            if (added.named() && newlyIssuedSignedHere) {
                added.verified = Boolean.TRUE;
            }
            validAdded = added.named() && added.isValidAt(at) && added.verifies(caKey);
        }
        List<byte[]> ours = new ArrayList<>();
        List<Facts> oursFacts = new ArrayList<>();
        for (byte[] value : current) {
            if (value == null || (newlyIssued != null && Arrays.equals(value, newlyIssued))) {
                continue;
            }
            Facts facts = facts(value);
            // verified once per value (remembered): the store is never asked about another CA's
            if (facts.named() && facts.verifies(caKey)) {
                ours.add(value);
                oursFacts.add(facts);
            }
        }
        if (ours.isEmpty()) {
            return List.of();
        }
        Set<BigInteger> serials = new HashSet<>();
        oursFacts.forEach(f -> serials.add(f.certificate.getSerialNumber()));
        Set<BigInteger> revoked = status.revokedAmong(serials);
        List<byte[]> result = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            Facts facts = oursFacts.get(i);
            boolean expired = at.after(facts.certificate.getNotAfter());
            if ((expired && validAdded) || revoked.contains(facts.certificate.getSerialNumber())) {
                result.add(ours.get(i).clone());
            }
        }
        return result;
    }

    /** True when the DER value is a certificate this CA issued (issuer name and signature). */
    public boolean isIssuedByThisCa(byte[] der) {
        if (der == null) {
            return false;
        }
        Facts facts = facts(der);
        return facts.named() && facts.verifies(caKey);
    }

    /** What a value is, remembered by its bytes (bounded: forgotten all at once when full). */
    private Facts facts(byte[] der) {
        if (der.length == 0 || der.length > MAX_CERTIFICATE_BYTES) {
            return NOT_A_CERTIFICATE;
        }
        Der key = new Der(der);
        Facts known = remembered.get(key);
        if (known != null) {
            return known;
        }
        X509Certificate certificate = parseOrNull(der);
        Facts facts = certificate == null ? NOT_A_CERTIFICATE
                : new Facts(certificate, caSubject.equals(certificate.getIssuerX500Principal()));
        if (remembered.size() >= REMEMBERED) {
            remembered.clear();
        }
        remembered.put(new Der(der.clone()), facts);
        return facts;
    }

    /** A value's parsed certificate, whether its issuer is named as this CA, and (once known) whether it verifies. */
    private static final class Facts {
        final X509Certificate certificate;
        final boolean issuerNamedAsThisCa;
        /** null until verified once; the same bytes give the same answer. */
        volatile Boolean verified;

        Facts(X509Certificate certificate, boolean issuerNamedAsThisCa) {
            this.certificate = certificate;
            this.issuerNamedAsThisCa = issuerNamedAsThisCa;
        }

        boolean named() {
            return certificate != null && issuerNamedAsThisCa;
        }

        boolean isValidAt(Date at) {
            return !at.before(certificate.getNotBefore()) && !at.after(certificate.getNotAfter());
        }

        boolean verifies(PublicKey caKey) {
            Boolean known = verified;
            if (known == null) {
                known = verify(caKey);
                verified = known;
            }
            return known;
        }

        private boolean verify(PublicKey caKey) {
            try {
                certificate.verify(caKey);
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                // Same name, other key: another CA (or a forgery); not ours to remove.
                return false;
            }
        }
    }

    /** Bytes compared by content: a map key. */
    private static final class Der {
        private static final int HASHED_TAIL = 32;
        private final byte[] bytes;
        private final int hash;

        Der(byte[] bytes) {
            this.bytes = bytes;
            // the tail of a certificate is its signature value: random enough to hash alone, and
            // hashing a few hundred whole values per request was a visible cost; equals compares all
            int from = Math.max(0, bytes.length - HASHED_TAIL);
            int h = bytes.length;
            for (int i = from; i < bytes.length; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Der d && d.hash == hash && Arrays.equals(d.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static X509Certificate parse(byte[] der, String what) {
        X509Certificate certificate = parseOrNull(der);
        if (certificate == null) {
            throw new IllegalStateException(what + " does not parse");
        }
        return certificate;
    }

    private static X509Certificate parseOrNull(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }
}
