package org.autoenroll.api;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate as the {@link CertificateStore} keeps it.
 *
 * @param serial unique serial number
 * @param customerUri the customer it was issued for
 * @param owner the Kerberos principal it was issued to, {@code alice@EXAMPLE.COM}
 * @param email the e-mail address in it
 * @param requestId the enrollment request that produced it
 * @param profile the profile's name
 * @param der the certificate
 * @param state valid or revoked
 * @param revocationReason why it was revoked, or null
 * @param revokedAt when it was revoked, or null
 * @param reportedStatus the last status the client reported, or null
 *
 * @since 0.1
 */
public record CertificateRecord(BigInteger serial, String customerUri, String owner, String email, String requestId,
                                String profile, byte[] der, Instant notBefore, Instant notAfter,
                                CertificateState state, RevocationReason revocationReason, Instant revokedAt,
                                ReportedStatus reportedStatus) {
    public CertificateRecord {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(requestId, "requestId");
        der = der.clone();
        Objects.requireNonNull(state, "state");
        if ((state == CertificateState.REVOKED) != (revocationReason != null && revokedAt != null)) {
            throw new IllegalArgumentException("a revoked certificate has a reason and a time, a valid one neither");
        }
    }

    /** A freshly issued, valid certificate. */
    public static CertificateRecord issued(IssuedCertificate certificate, String customerUri, String owner, String email,
                                           String requestId, String profile) {
        return new CertificateRecord(certificate.serial(), customerUri, owner, email, requestId, profile,
                certificate.certificate(), certificate.notBefore(), certificate.notAfter(),
                CertificateState.VALID, null, null, null);
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** Valid and not expired at {@code now}. */
    public boolean isUsableAt(Instant now) {
        return state == CertificateState.VALID && !now.isBefore(notBefore) && now.isBefore(notAfter);
    }

    public Optional<ReportedStatus> lastReportedStatus() {
        return Optional.ofNullable(reportedStatus);
    }
}
