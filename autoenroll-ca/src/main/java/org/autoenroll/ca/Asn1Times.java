package org.autoenroll.ca;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * X.509 validity times as RFC 5280 4.1.2.5 wants them (UTCTime through 2049, GeneralizedTime from
 * 2050, whole seconds, "Z"), the same encoding as Bouncy Castle's {@code new Time(Date)} without its
 * per-call {@code SimpleDateFormat} and {@code Calendar}, which cost more than an EC signature
 * (PipelineBenchmark). Stateless; the formatters are immutable.
 */
final class Asn1Times {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int UTC_TIME_TAG = 0x17;
    private static final int GENERALIZED_TIME_TAG = 0x18;

    private Asn1Times() {
    }

    /** {@code instant}, truncated to the second, as an X.509 Time. */
    static Time of(Instant instant) {
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        if (year >= 1950 && year < 2050) {
            return new Time(ASN1UTCTime.getInstance(der(UTC_TIME_TAG, UTC_TIME.format(instant))));
        }
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must be in the years 0-9999");
        }
        return new Time(ASN1GeneralizedTime.getInstance(der(GENERALIZED_TIME_TAG, GENERALIZED_TIME.format(instant))));
    }

    private static byte[] der(int tag, String text) {
        byte[] contents = text.getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[contents.length + 2];
        der[0] = (byte) tag;
        der[1] = (byte) contents.length; // 13 or 15: short form
        System.arraycopy(contents, 0, der, 2, contents.length);
        return der;
    }
}
