package org.autoenroll.ca;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * X.509 validity times as RFC 5280 4.1.2.5 wants them (UTCTime through 2049, GeneralizedTime from
 * 2050, whole seconds, "Z"), the same encoding as Bouncy Castle's {@code new Time(Date)} without its
 * per-call {@code SimpleDateFormat} and {@code Calendar}, which cost more than an EC signature
 * (PipelineBenchmark). Stateless.
 */
final class Asn1Times {
    private static final int UTC_TIME_TAG = 0x17;
    private static final int GENERALIZED_TIME_TAG = 0x18;

    private Asn1Times() {
    }

    /** {@code instant}, truncated to the second, as an X.509 Time. */
    static Time of(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year >= 1950 && year < 2050) {
            return new Time(ASN1UTCTime.getInstance(der(UTC_TIME_TAG, t, 2)));
        }
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must be in the years 0-9999");
        }
        return new Time(ASN1GeneralizedTime.getInstance(der(GENERALIZED_TIME_TAG, t, 4)));
    }

    /** Tag, length, then YY or YYYY, MMDDHHMMSS and Z in ASCII digits. */
    private static byte[] der(int tag, LocalDateTime t, int yearDigits) {
        int length = yearDigits + 11;
        byte[] der = new byte[length + 2];
        der[0] = (byte) tag;
        der[1] = (byte) length; // 13 or 15: short form
        int at = digits(der, 2, t.getYear() % (yearDigits == 2 ? 100 : 10000), yearDigits);
        at = digits(der, at, t.getMonthValue(), 2);
        at = digits(der, at, t.getDayOfMonth(), 2);
        at = digits(der, at, t.getHour(), 2);
        at = digits(der, at, t.getMinute(), 2);
        at = digits(der, at, t.getSecond(), 2);
        der[at] = 'Z';
        return der;
    }

    private static int digits(byte[] into, int at, int value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            into[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + count;
    }
}
