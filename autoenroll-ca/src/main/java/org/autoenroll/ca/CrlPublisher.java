package org.autoenroll.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Publishes the CA's certificate revocation lists: a full (base) CRL at {@link CaSettings#crlUrl()}
 * and a delta CRL at {@link CaSettings#deltaCrlUrl()}, both DER X.509 v2 CRLs signed by the
 * {@link BuiltInCa}, with CRL numbers from one sequence in the store (so they grow across
 * restarts and never repeat between base and delta, RFC 5280 5.2.3), the authority key
 * identifier, a critical issuing distribution point naming {@link CaSettings#crlUrl()} (the
 * same in both, as RFC 5280 5.2.4 requires of a delta's scope), and one entry with a reason code
 * per revoked certificate (none for reason unspecified), streamed from
 * {@link JdbcCertificateStore#forEachRevocation}. The base CRL also carries FreshestCRL pointing at the delta.
 *
 * <p>Built by streaming ({@link StreamingCrlWriter}): the entries go from the database's result
 * set to a temporary file in the work directory and from there through the signature into the
 * final DER array, so a CRL of a million entries (about 35 MB) needs that array and little more,
 * never the entries as objects. The HTTP layer should serve {@link #openCurrentCrl()} (no copy)
 * rather than {@link #currentCrl()} (a copy per call).
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
    private final Path workDir;
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
        this(ca, store, clock, validity, refresh, null);
    }

    /**
     * @param validity from thisUpdate to nextUpdate
     * @param refresh rebuild after this long even when nothing was revoked; at most the validity
     * @param workDir where CRL entries are spooled while a CRL is built (e.g. the server's data
     *     directory); null for the system's temporary directory
     */
    public CrlPublisher(BuiltInCa ca, JdbcCertificateStore store, Clock clock, Duration validity, Duration refresh,
                        Path workDir) {
        this.workDir = workDir;
        if (workDir != null && !Files.isDirectory(workDir)) {
            throw new IllegalArgumentException("the CRL work directory " + workDir + " is not a directory");
        }
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
        return current().der().clone();
    }

    private Cached current() throws EnrollmentException {
        long revoked = store.revokedCount();
        Cached current = cached;
        if (isFresh(current, revoked)) {
            return current;
        }
        synchronized (lock) {
            current = cached;
            if (!isFresh(current, revoked)) {
                current = build();
                cached = current;
            }
            return current;
        }
    }

    /**
     * The current CRL in DER as a stream over the cached encoding, without copying it: what the
     * HTTP layer should send for a large CRL. {@link InputStream#available()} is its length.
     *
     * @throws EnrollmentException as {@link #currentCrl()}
     */
    public InputStream openCurrentCrl() throws EnrollmentException {
        return new ByteArrayInputStream(current().der());
    }

    /** As {@link #openCurrentCrl()} for the delta CRL ({@link #currentDeltaCrl()}), without copying it. */
    public InputStream openCurrentDeltaCrl() throws EnrollmentException {
        return new ByteArrayInputStream(currentDelta().der());
    }

    /**
     * The current delta CRL in DER, referring to the base CRL this publisher last built (building
     * one first if there is none, or when the cached base is past its refresh interval).
     *
     * @throws EnrollmentException as {@link #currentCrl()}
     */
    public byte[] currentDeltaCrl() throws EnrollmentException {
        return currentDelta().der().clone();
    }

    private Cached currentDelta() throws EnrollmentException {
        long revoked = store.revokedCount();
        Cached base = cached;
        Cached delta = cachedDelta;
        if (base != null && isFreshBase(base) && isFreshDelta(delta, base, revoked)) {
            return delta;
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
            return delta;
        }
    }

    /**
     * Builds, signs and caches a new full CRL now, whatever the age of the cached one: an
     * operator's "publish a new CRL now" (after a key compromise, say, when relying parties should
     * not wait for the refresh). The delta CRL follows it at its next request.
     *
     * @return the new CRL's number
     * @throws EnrollmentException as {@link #currentCrl()}
     */
    public BigInteger publishNow() throws EnrollmentException {
        synchronized (lock) {
            Cached built = build();
            cached = built;
            return built.number();
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
        byte[] der = write(now, now.plus(refresh), base.builtAt().minus(DELTA_OVERLAP), generator -> {
            generator.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            generator.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(base.number()));
            addCommonExtensions(generator);
        }, "delta CRL");
        return new Cached(der, now, revoked, number, base.number());
    }

    private Cached build() throws EnrollmentException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // counted before reading the entries: a revocation in between only causes one more rebuild
        long revoked = store.revokedCount();
        BigInteger number = store.nextCrlNumber(now);
        byte[] der = write(now, now.plus(validity), null, generator -> {
            generator.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            addCommonExtensions(generator);
            generator.addExtension(Extension.freshestCRL, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                            GeneralName.uniformResourceIdentifier, ca.settings().deltaCrlUrl()))), null, null)}));
        }, "CRL");
        return new Cached(der, now, revoked, number, null);
    }

    /** Adds a CRL's extensions in the order they appear. */
    @FunctionalInterface
    private interface ExtensionsSpec {
        void addTo(ExtensionsGenerator generator) throws IOException, GeneralSecurityException;
    }

    /**
     * Streams the revocations (all, or those since {@code since}) from the store into a
     * {@link StreamingCrlWriter} and signs the CRL.
     */
    private byte[] write(Instant thisUpdate, Instant nextUpdate, Instant since, ExtensionsSpec extensions, String what)
            throws EnrollmentException {
        ContentSigner signer;
        Extensions crlExtensions;
        try {
            signer = ca.newSigner();
            ExtensionsGenerator generator = new ExtensionsGenerator();
            extensions.addTo(generator);
            crlExtensions = generator.generate();
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the built-in CA could not prepare the " + what + ": " + e.getClass().getSimpleName(), e);
        }
        try (StreamingCrlWriter writer = new StreamingCrlWriter(ca.caHolder().getSubject(), thisUpdate, nextUpdate,
                crlExtensions, signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER), workDir)) {
            store.forEachRevocation(since, writer::add);
            return writer.sign(signer);
        } catch (IOException | RuntimeException e) {
            throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED,
                    "the built-in CA could not write and sign the " + what + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private void addCommonExtensions(ExtensionsGenerator generator) throws IOException, GeneralSecurityException {
        generator.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.caCertificate().getPublicKey()));
        // the same scope in base and delta: the distribution point in every certificate's CDP
        generator.addExtension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        ca.settings().crlUrl()))), false, false, null, false, false));
    }
}
