package org.autoenroll.api;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * What an operator looks for among issued certificates ({@link CertificateSearch}): every filter
 * given must match; null filters match anything. One page of at most {@code limit} certificates,
 * after the keyset cursor {@code after} (the last certificate of the previous page).
 *
 * <p>The order is fixed by the filters, so that a store can read each page along an index: with
 * {@code serial}, the one certificate; with {@code owner}, by serial; otherwise by state
 * ({@link CertificateState} order), then, when an expiry bound is given, by notAfter, then by
 * serial.
 *
 * @param customerUri the customer, or null for all
 * @param owner the exact principal ({@code alice@EXAMPLE.COM}), or null
 * @param profile the template's profile name, or null
 * @param state the state, or null for both
 * @param serial the exact serial, or null
 * @param expiringAfter only certificates whose notAfter is at or after this, or null
 * @param expiringBefore only certificates whose notAfter is before this, or null
 * @param after the cursor: where the previous page ended, or null for the first page
 * @param limit the page size, 1 to {@link #MAX_LIMIT}
 * @since 0.1
 */
public record CertificateQuery(String customerUri, String owner, String profile, CertificateState state,
                               BigInteger serial, Instant expiringAfter, Instant expiringBefore, Cursor after,
                               int limit) {
    /** The largest page. */
    public static final int MAX_LIMIT = 500;
    /** The longest owner, profile or customer a query may name (the store's column widths). */
    public static final int MAX_TEXT = 1024;

    /** Where a page ended: the last certificate's state, notAfter and serial. */
    public record Cursor(CertificateState state, Instant notAfter, BigInteger serial) {
        public Cursor {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(serial, "serial");
        }

        /** The cursor after {@code last}. */
        public static Cursor after(CertificateRecord last) {
            return new Cursor(last.state(), last.notAfter(), last.serial());
        }
    }

    /**
     * @throws IllegalArgumentException for a limit out of range, an over-long text, a non-positive
     *     serial or an empty expiry window
     */
    public CertificateQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        checkText("customerUri", customerUri);
        checkText("owner", owner);
        checkText("profile", profile);
        if (serial != null && serial.signum() <= 0) {
            throw new IllegalArgumentException("serial must be positive");
        }
        if (expiringAfter != null && expiringBefore != null && !expiringAfter.isBefore(expiringBefore)) {
            throw new IllegalArgumentException("expiringAfter must be before expiringBefore");
        }
    }

    /** A first page of every certificate, {@code limit} at a time; narrow it with the withers. */
    public static CertificateQuery all(int limit) {
        return new CertificateQuery(null, null, null, null, null, null, null, null, limit);
    }

    public CertificateQuery withCustomer(String customerUri) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, expiringAfter, expiringBefore, after, limit);
    }

    public CertificateQuery withOwner(String owner) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, expiringAfter, expiringBefore, after, limit);
    }

    public CertificateQuery withProfile(String profile) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, expiringAfter, expiringBefore, after, limit);
    }

    public CertificateQuery withState(CertificateState state) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, expiringAfter, expiringBefore, after, limit);
    }

    public CertificateQuery withSerial(BigInteger serial) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, expiringAfter, expiringBefore, after, limit);
    }

    /** notAfter within [{@code from}, {@code before}); either may be null. */
    public CertificateQuery expiring(Instant from, Instant before) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, from, before, after, limit);
    }

    public CertificateQuery withAfter(Cursor after) {
        return new CertificateQuery(customerUri, owner, profile, state, serial, expiringAfter, expiringBefore, after, limit);
    }

    /** True when the order (and so the cursor) goes by notAfter within a state. */
    public boolean ordersByExpiry() {
        return serial == null && owner == null && (expiringAfter != null || expiringBefore != null);
    }

    private static void checkText(String name, String value) {
        if (value != null && (value.isEmpty() || value.length() > MAX_TEXT)) {
            throw new IllegalArgumentException(name + " must be 1 to " + MAX_TEXT + " characters");
        }
    }
}
