package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WindowsSidTest {
    /** Domain Admins of a domain, as AD stores objectSid (MS-DTYP 2.4.2.2 layout). */
    private static final String DOMAIN_ADMINS_HEX = "010500000000000515000000dc6edd3b832b2b4682d2a62800020000";

    @Test
    void format_domainGroupSid_readsLittleEndianSubAuthorities() {
        byte[] bytes = HexFormat.of().parseHex(DOMAIN_ADMINS_HEX);
        assertEquals("S-1-5-21-1004367580-1177234307-682021506-512", WindowsSid.format(bytes));
    }

    @Test
    void format_wellKnownSids_asWindowsPrintsThem() {
        assertEquals("S-1-5-11", WindowsSid.format(HexFormat.of().parseHex("0101000000000005" + "0b000000")));
        assertEquals("S-1-1-0", WindowsSid.format(HexFormat.of().parseHex("0101000000000001" + "00000000")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"S-1-5-11", "S-1-1-0", "S-1-5-21-1004367580-1177234307-682021506-512",
        "S-1-5-21-4294967295-0-1-2-3-4-5-6-7-8-9-10-11", "S-1-0x0001FFFFFFFF-1"})
    void parse_thenFormat_roundTrips(String sid) {
        assertEquals(sid, WindowsSid.format(WindowsSid.parse(sid)));
    }

    @Test
    void parse_domainSid_givesAdBytes() {
        assertArrayEquals(HexFormat.of().parseHex(DOMAIN_ADMINS_HEX),
                WindowsSid.parse("S-1-5-21-1004367580-1177234307-682021506-512"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "01", "0200000000000005", "0110000000000005" + "00000000", "0102000000000005" + "00000000",
        "0101000000000005" + "0b00000000"})
    void format_malformed_isRefused(String hex) {
        assertThrows(IllegalArgumentException.class, () -> WindowsSid.format(HexFormat.of().parseHex(hex)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "S-1", "s-1-5-11", "S-2-5-11", "S-1-5-4294967296", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
        "S-1-5-11-", "S-1-5--11", "S-1-281474976710656-1"})
    void parse_malformed_isRefused(String sid) {
        assertThrows(IllegalArgumentException.class, () -> WindowsSid.parse(sid));
    }
}
