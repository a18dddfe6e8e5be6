package org.autoenroll.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Publishes the CA's certificate revocation list: a DER X.509 v2 CRL signed by the
 * {@link BuiltInCa}, with a CRL number taken from the store (so it grows across restarts), the
 * authority key identifier, and one entry with a reason code per revoked certificate, streamed
 * from {@link JdbcCertificateStore#forEachRevoked}.
 *
 * <p>The CRL is cached and rebuilt when the number of revoked certificates changes (checked on
 * every call, so revocations by other processes sharing the database are seen too), when the
 * refresh interval has passed, or when the cached one is past half its validity.
 *
 * <p>Thread-safe: callers share the cached CRL; one of them rebuilds it at a time.
 */
public final class CrlPublisher {
    /** Default time from thisUpdate to nextUpdate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);
    /** Default age after which the CRL is rebuilt even without a new revocation. */
    public static final Duration DEFAULT_REFRESH = Duration.ofHours(1);

    private final BuiltInCa ca;
    private final JdbcCertificateStore store;
    private final Clock clock;
    private final Duration validity;
    private final Duration refresh;
    private final Object lock = new Object();
    private volatile Cached cached;

    private record Cached(byte[] der, Instant builtAt, long revokedCount, BigInteger number) {
    }

    /** With {@link #DEFAULT_VALIDITY} and {@link #DEFAULT_REFRESH}. */
    public CrlPublisher(BuiltInCa ca, JdbcCertificateStore store, Clock clock) {
        this(ca, store, clock, DEFAULT_VALIDITY, DEFAULT_REFRESH);
    }

    /**
     * @param validity from thisUpdate to nextUpdate
     * @param refresh rebuild after this long even when nothing was revoked; at most the validity
     */
    public CrlPublisher(BuiltInCa ca, JdbcCertificateStore store, Clock clock, Duration validity, Duration refresh) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        if (validity.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("CRL validity must be at least one minute");
        }
        if (refresh.isNegative() || refresh.isZero() || refresh.compareTo(validity) > 0) {
            throw new IllegalArgumentException("CRL refresh interval must be positive and at most the validity");
        }
    }

    /**
     * The current CRL in DER.
     *
     * @throws EnrollmentException {@link ErrorCode#ENROLLMENT_FAILED} when the store fails,
     *     {@link ErrorCode#CERTIFICATE_ISSUANCE_FAILED} when signing fails
     */
    public byte[] currentCrl() throws EnrollmentException {
        long revoked = store.revokedCount();
        Cached current = cached;
        if (isFresh(current, revoked)) {
            return current.der().clone();
        }
        synchronized (lock) {
            current = cached;
            if (!isFresh(current, revoked)) {
                current = build();
                cached = current;
            }
            return current.der().clone();
        }
    }

    /** The number of the CRL last built, or empty before the first. */
    public Optional<BigInteger> lastCrlNumber() {
        Cached current = cached;
        return current == null ? Optional.empty() : Optional.of(current.number());
    }

    private boolean isFresh(Cached c, long revoked) {
        if (c == null || c.revokedCount() != revoked) {
            return false;
        }
        Instant now = clock.instant();
        Duration age = Duration.between(c.builtAt(), now);
        return !age.isNegative() && age.compareTo(refresh) < 0 && age.compareTo(validity.dividedBy(2)) < 0;
    }

    private Cached build() throws EnrollmentException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // counted before reading the entries: a revocation in between only causes one more rebuild
        long revoked = store.revokedCount();
        BigInteger number = store.nextCrlNumber(now);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.caHolder().getSubject(), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(validity)));
        store.forEachRevoked(record -> builder.addCRLEntry(record.serial(), Date.from(record.revokedAt()),
                record.revocationReason().code()));
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.caCertificate().getPublicKey()));
            byte[] der = builder.build(ca.newSigner()).getEncoded();
            return new Cached(der, now, revoked, number);
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the built-in CA could not sign the CRL: " + e.getClass().getSimpleName(), e);
        }
    }
}
