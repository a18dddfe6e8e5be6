package org.autoenroll.core;

import java.math.BigInteger;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.core.internal.Serials;
import org.autoenroll.core.publication.RevokedCertificateUnpublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation by an operator: a valid certificate, by serial, with an RFC 5280 reason. Callers
 * must have authenticated the operator; this class trusts its caller. Thread-safe.
 */
public final class RevocationService {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationService.class);

    private final CertificateStore certificates;
    private final Clock clock;
    private final Optional<RevokedCertificateUnpublisher> unpublisher;

    public RevocationService(CertificateStore certificates, Clock clock) {
        this(certificates, clock, Optional.empty());
    }

    /** Also takes revoked certificates out of the owners' {@code userCertificate} through {@code unpublisher}. */
    public RevocationService(CertificateStore certificates, Clock clock, Optional<RevokedCertificateUnpublisher> unpublisher) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.unpublisher = Objects.requireNonNull(unpublisher, "unpublisher");
    }

    /**
     * @param serialHex the serial in hex
     * @param reasonName an RFC 5280 CRLReason name ({@code keyCompromise}) or its enum name
     *     ({@code KEY_COMPROMISE}); {@code removeFromCRL} is refused, it only appears in delta CRLs
     * @return the revoked certificate as it was before revocation
     * @throws EnrollmentException {@link ErrorCode#INVALID_REVOCATION_REASON} (47),
     *     {@link ErrorCode#INVALID_SERIAL} (24) when no valid certificate has the serial
     */
    public CertificateRecord revoke(String serialHex, String reasonName) throws EnrollmentException {
        RevocationReason reason = parseReason(reasonName);
        BigInteger serial = Serials.parse(serialHex);
        CertificateRecord record = certificates.find(serial).orElseThrow(() -> new EnrollmentException(
                ErrorCode.INVALID_SERIAL, "no certificate has this serial"));
        if (!certificates.revoke(serial, reason, clock.instant())) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "the certificate with this serial is already revoked");
        }
        LOG.info("certificate {} of {} revoked: {}", Serials.format(serial), record.owner(), reason);
        unpublisher.ifPresent(directory -> directory.afterRevocation(record));
        return record;
    }

    /** Accepts {@code keyCompromise}, {@code KEY_COMPROMISE} or {@code key-compromise}, ignoring case. */
    public static RevocationReason parseReason(String name) throws EnrollmentException {
        if (name != null && name.length() <= 40) {
            String wanted = name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
            for (RevocationReason reason : RevocationReason.values()) {
                if (reason != RevocationReason.REMOVE_FROM_CRL
                        && reason.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                    return reason;
                }
            }
        }
        throw new EnrollmentException(ErrorCode.INVALID_REVOCATION_REASON, "the reason is not an RFC 5280 CRLReason name");
    }
}
