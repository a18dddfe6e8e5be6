package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileTimesTest {
    @ParameterizedTest
    @ValueSource(strings = {"0", "9223372036854775807", " 0 "})
    void accountExpires_neverValues_areNull(String value) {
        assertNull(FileTimes.accountExpires(value));
    }

    @Test
    void accountExpires_absent_isNull() {
        assertNull(FileTimes.accountExpires(null));
    }

    @Test
    void accountExpires_fileTime_isThatInstant() {
        // 133000000000000000 x 100 ns after 1601-01-01
        assertEquals(Instant.parse("2022-06-18T04:26:40Z"), FileTimes.accountExpires("133000000000000000"));
        assertEquals(Instant.parse("2022-06-18T04:26:40.0000001Z"), FileTimes.accountExpires("133000000000000001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "-5", "", "overlong"})
    void accountExpires_unreadable_failsClosedAsLongExpired(String value) {
        assertEquals(FileTimes.FILETIME_EPOCH, FileTimes.accountExpires(value));
    }

    @Test
    void ticks_instant_roundTrip() {
        Instant at = Instant.parse("2031-02-03T04:05:06.7654321Z");
        assertEquals(at, FileTimes.instant(FileTimes.ticks(at)));
    }

    @ParameterizedTest
    @CsvSource({
        // as AD CS writes them for its default templates: one year, six weeks, two years
        "00403987 2EE1FEFF, 365",
        "0080A60AFFDEFFFF, 42",
        "0080 72 0E 5D C2 FD FF, 730",
    })
    void interval_adValues_areTheirDays(String hex, long days) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertEquals(Duration.ofDays(days), FileTimes.interval(bytes));
        assertArrayEquals(bytes, FileTimes.intervalBytes(Duration.ofDays(days)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "00000000000000", "000000000000000000", "0000000000000000", "0100000000000000",
        "0000000000000080", "0000000000000000FF"})
    void interval_malformed_isRefused(String hex) {
        assertThrows(IllegalArgumentException.class, () -> FileTimes.interval(HexFormat.of().parseHex(hex)));
    }

    @Test
    void interval_beyondBound_isRefused() {
        byte[] huge = FileTimes.intervalBytes(FileTimes.MAX_INTERVAL.plusDays(1));
        assertThrows(IllegalArgumentException.class, () -> FileTimes.interval(huge));
    }
}
