package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast X.509 times encode exactly as Bouncy Castle's {@code new Time(Date)}, on both sides of 2050. */
class Asn1TimesTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T10:00:00Z", "1950-01-01T00:00:00Z", "2049-12-31T23:59:59Z",
            "2050-01-01T00:00:00Z", "2036-02-29T05:06:07Z", "9999-12-31T23:59:59Z", "1949-12-31T23:59:59Z",
            "2026-03-01T10:00:00.999Z"})
    void of_encodesAsBouncyCastleTimeOfDate(String text) throws Exception {
        Instant instant = Instant.parse(text);
        Time fast = Asn1Times.of(instant);
        Time reference = new Time(Date.from(instant));
        assertArrayEquals(reference.getEncoded(), fast.getEncoded(), text);
        assertEquals(instant.getEpochSecond(), fast.getDate().toInstant().getEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"})
    void of_yearOutsideGeneralizedTime_refused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Asn1Times.of(Instant.parse(text)));
    }
}
