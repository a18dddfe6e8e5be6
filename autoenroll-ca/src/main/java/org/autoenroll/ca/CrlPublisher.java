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
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Publishes the CA's certificate revocation lists: a full (base) CRL at {@link CaSettings#crlUrl()}
 * and a delta CRL at {@link CaSettings#deltaCrlUrl()}, both DER X.509 v2 CRLs signed by the
 * {@link BuiltInCa}, with CRL numbers from one sequence in the store (so they grow across
 * restarts and never repeat between base and delta, RFC 5280 5.2.3), the authority key
 * identifier, a critical issuing distribution point naming {@link CaSettings#crlUrl()} (the
 * same in both, as RFC 5280 5.2.4 requires of a delta's scope), and one entry with a reason code
 * per revoked certificate, streamed from {@link JdbcCertificateStore#forEachRevoked}. The base
 * CRL also carries FreshestCRL pointing at the delta.
 *
 * <p>The base CRL is cached and rebuilt by {@link #currentCrl()} when the number of revoked
 * certificates changes (checked on every call, so revocations by other processes sharing the
 * database are seen too), when the refresh interval has passed, or when the cached one is past
 * half its validity. The delta CRL ({@link #currentDeltaCrl()}) refers to the base CRL this
 * publisher built last (its deltaCRLIndicator is that base's number) and lists the certificates
 * revoked since that base was built (with {@link #DELTA_OVERLAP} of overlap for revocations
 * still committing then; an entry repeated from the base is harmless). Its nextUpdate is the
 * refresh interval after its thisUpdate; it is rebuilt when a revocation is recorded, when the
 * refresh interval has passed, or when the base changes.
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
    /** A delta CRL lists revocations recorded up to this long before its base was built. */
    public static final Duration DELTA_OVERLAP = Duration.ofMinutes(5);

    private volatile Cached cached;
    private volatile Cached cachedDelta;

    /** A built CRL; for a delta, {@code base} is the number of the base it refers to. */
    private record Cached(byte[] der, Instant builtAt, long revokedCount, BigInteger number, BigInteger base) {
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

    /**
     * The current delta CRL in DER, referring to the base CRL this publisher last built (building
     * one first if there is none, or when the cached base is past its refresh interval).
     *
     * @throws EnrollmentException as {@link #currentCrl()}
     */
    public byte[] currentDeltaCrl() throws EnrollmentException {
        long revoked = store.revokedCount();
        Cached base = cached;
        Cached delta = cachedDelta;
        if (base != null && isFreshBase(base) && isFreshDelta(delta, base, revoked)) {
            return delta.der().clone();
        }
        synchronized (lock) {
            base = cached;
            if (base == null || !isFreshBase(base)) {
                // a base past its refresh time is rebuilt; a new revocation alone does not
                // rebuild it here, so the delta lists that revocation against the base clients hold
                base = build();
                cached = base;
            }
            delta = cachedDelta;
            if (!isFreshDelta(delta, base, revoked)) {
                delta = buildDelta(base);
                cachedDelta = delta;
            }
            return delta.der().clone();
        }
    }

    /** The base CRL number the current delta refers to, or empty before the first delta. */
    public Optional<BigInteger> lastDeltaBaseNumber() {
        Cached current = cachedDelta;
        return current == null ? Optional.empty() : Optional.of(current.base());
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

    private boolean isFreshBase(Cached c) {
        Duration age = Duration.between(c.builtAt(), clock.instant());
        return !age.isNegative() && age.compareTo(refresh) < 0 && age.compareTo(validity.dividedBy(2)) < 0;
    }

    private boolean isFreshDelta(Cached delta, Cached base, long revoked) {
        if (delta == null || delta.revokedCount() != revoked || !delta.base().equals(base.number())) {
            return false;
        }
        Duration age = Duration.between(delta.builtAt(), clock.instant());
        return !age.isNegative() && age.compareTo(refresh.dividedBy(2)) < 0;
    }

    private Cached buildDelta(Cached base) throws EnrollmentException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long revoked = store.revokedCount();
        BigInteger number = store.nextCrlNumber(now);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.caHolder().getSubject(), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(refresh)));
        store.forEachRevokedSince(base.builtAt().minus(DELTA_OVERLAP), record -> builder.addCRLEntry(record.serial(),
                Date.from(record.revokedAt()), record.revocationReason().code()));
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(base.number()));
            addCommonExtensions(builder);
            byte[] der = builder.build(ca.newSigner()).getEncoded();
            return new Cached(der, now, revoked, number, base.number());
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the built-in CA could not sign the delta CRL: " + e.getClass().getSimpleName(), e);
        }
    }

    private void addCommonExtensions(X509v2CRLBuilder builder) throws IOException, GeneralSecurityException {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.caCertificate().getPublicKey()));
        // the same scope in base and delta: the distribution point in every certificate's CDP
        builder.addExtension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        ca.settings().crlUrl()))), false, false, null, false, false));
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
            addCommonExtensions(builder);
            builder.addExtension(Extension.freshestCRL, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                            GeneralName.uniformResourceIdentifier, ca.settings().deltaCrlUrl()))), null, null)}));
            byte[] der = builder.build(ca.newSigner()).getEncoded();
            return new Cached(der, now, revoked, number, null);
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the built-in CA could not sign the CRL: " + e.getClass().getSimpleName(), e);
        }
    }
}
