package org.autoenroll.ldap;

import java.time.Duration;
import java.time.Instant;

/**
 * Windows FILETIME values as AD stores them (MS-DTYP 2.3.3: 100-nanosecond intervals since
 * 1601-01-01 UTC): absolute times such as {@code accountExpires}, and the negative 8-byte
 * little-endian intervals of {@code pKIExpirationPeriod} and {@code pKIOverlapPeriod} (MS-CRTD 2.17, 2.18).
 *
 * <p>Stateless and thread-safe.
 */
final class FileTimes {
    /** 1601-01-01T00:00:00Z, FILETIME 0. */
    static final Instant FILETIME_EPOCH = Instant.parse("1601-01-01T00:00:00Z");
    /** accountExpires "never": 0 or 0x7FFFFFFFFFFFFFFF (MS-ADA1 2.10). */
    static final long NEVER = Long.MAX_VALUE;
    /** Longer than any template validity AD CS accepts; a bound, not a policy. */
    static final Duration MAX_INTERVAL = Duration.ofDays(100 * 366);
    private static final long TICKS_PER_SECOND = 10_000_000L;

    private FileTimes() {
    }

    /**
     * When an account expires, from {@code accountExpires}: null when it never does (absent, 0 or
     * 0x7FFFFFFFFFFFFFFF). A value that is not a number reads as the FILETIME epoch (expired long
     * ago): unreadable fails closed, and the pipeline, which checks expiry, refuses it.
     */
    static Instant accountExpires(String value) {
        if (value == null) {
            return null;
        }
        long ticks;
        try {
            ticks = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return FILETIME_EPOCH;
        }
        if (ticks == 0 || ticks == NEVER) {
            return null;
        }
        if (ticks < 0) {
            return FILETIME_EPOCH;
        }
        return instant(ticks);
    }

    /** The instant of a non-negative FILETIME. */
    static Instant instant(long ticks) {
        return FILETIME_EPOCH.plusSeconds(ticks / TICKS_PER_SECOND).plusNanos((ticks % TICKS_PER_SECOND) * 100);
    }

    /** The FILETIME of an instant at or after 1601 (for test kits and writers). */
    static long ticks(Instant instant) {
        Duration since = Duration.between(FILETIME_EPOCH, instant);
        return since.getSeconds() * TICKS_PER_SECOND + since.getNano() / 100;
    }

    /**
     * The length of a template period: 8 bytes, little-endian, negative (a relative FILETIME).
     *
     * @throws IllegalArgumentException when not 8 bytes, not negative, or longer than {@link #MAX_INTERVAL}
     */
    static Duration interval(byte[] value) {
        if (value == null || value.length != 8) {
            throw new IllegalArgumentException("not 8 bytes");
        }
        long ticks = 0;
        for (int i = 7; i >= 0; i--) {
            ticks = (ticks << 8) | (value[i] & 0xff);
        }
        if (ticks >= 0) {
            throw new IllegalArgumentException("not a negative (relative) FILETIME interval");
        }
        if (ticks == Long.MIN_VALUE || -ticks / TICKS_PER_SECOND > MAX_INTERVAL.getSeconds()) {
            throw new IllegalArgumentException("longer than " + MAX_INTERVAL.toDays() + " days");
        }
        long positive = -ticks;
        return Duration.ofSeconds(positive / TICKS_PER_SECOND, (positive % TICKS_PER_SECOND) * 100);
    }

    /** The 8-byte form of a period, as AD stores it (for test kits and writers). */
    static byte[] intervalBytes(Duration period) {
        long ticks = -(period.getSeconds() * TICKS_PER_SECOND + period.getNano() / 100);
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (ticks >>> (8 * i));
        }
        return out;
    }
}
