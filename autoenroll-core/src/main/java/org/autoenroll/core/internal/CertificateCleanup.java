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
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateState;
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
 * <p>Immutable and thread-safe (the status lookup given to {@link #toRemove} must be, if shared).
 */
public final class CertificateCleanup {
    /** Larger values are not certificates this CA made; the directory lookup bounds them the same way. */
    static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    private final X500Principal caSubject;
    private final PublicKey caKey;

    /** The cleanup for the certificates {@code signer}'s issuing CA made. */
    public static CertificateCleanup of(CertificateSigner signer) {
        try {
            return new CertificateCleanup((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(signer.caChain().get(0))));
        } catch (CertificateException e) {
            throw new IllegalStateException("the signer's CA certificate does not parse", e);
        }
    }

    /** Revoked (superseded included) as {@code certificates} records it; unknown serials are not. */
    public static SerialStatus revokedIn(CertificateStore certificates) {
        return serial -> certificates.find(serial).map(r -> r.state() == CertificateState.REVOKED).orElse(false);
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
    }

    /** @param caCertificate the certificate of the CA whose certificates this cleanup manages */
    public CertificateCleanup(X509Certificate caCertificate) {
        Objects.requireNonNull(caCertificate, "caCertificate");
        this.caSubject = caCertificate.getSubjectX500Principal();
        this.caKey = caCertificate.getPublicKey();
    }

    /**
     * The values of {@code current} to remove, in their order, each as given.
     *
     * @param current the entry's {@code userCertificate} values (DER), e.g. {@code DirectoryEntry.certificates()}
     * @param status revocation state in this CA's store, asked only for this CA's certificates
     * @param newlyIssued the certificate added in the same step (DER), or null when none is (a revocation)
     * @param now the time expiry is judged at
     * @throws EnrollmentException when {@code status} fails
     */
    public List<byte[]> toRemove(List<byte[]> current, SerialStatus status, byte[] newlyIssued, Instant now)
            throws EnrollmentException {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(now, "now");
        Date at = Date.from(now);
        // Expired ones go only when a certificate valid now replaces them (docs/ARCHITECTURE.md, Sources): never leave the user with none.
        X509Certificate added = newlyIssued == null ? null : parse(newlyIssued);
        boolean validAdded = added != null && issuedHere(added) && isValidAt(added, at);
        List<byte[]> result = new ArrayList<>();
        for (byte[] value : current) {
            if (value == null || (newlyIssued != null && Arrays.equals(value, newlyIssued))) {
                continue;
            }
            X509Certificate certificate = parse(value);
            if (certificate == null || !issuedHere(certificate)) {
                continue;
            }
            boolean expired = at.after(certificate.getNotAfter());
            if ((expired && validAdded) || status.isRevokedOrSuperseded(certificate.getSerialNumber())) {
                result.add(value.clone());
            }
        }
        return result;
    }

    /** True when the DER value is a certificate this CA issued (issuer name and signature). */
    public boolean isIssuedByThisCa(byte[] der) {
        X509Certificate certificate = der == null ? null : parse(der);
        return certificate != null && issuedHere(certificate);
    }

    private boolean issuedHere(X509Certificate certificate) {
        if (!caSubject.equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(caKey);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            // Same name, other key: another CA (or a forgery); not ours to remove.
            return false;
        }
    }

    private static boolean isValidAt(X509Certificate certificate, Date at) {
        return !at.before(certificate.getNotBefore()) && !at.after(certificate.getNotAfter());
    }

    private static X509Certificate parse(byte[] der) {
        if (der.length == 0 || der.length > MAX_CERTIFICATE_BYTES) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }
}
