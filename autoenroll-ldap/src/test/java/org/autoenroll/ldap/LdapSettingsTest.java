package org.autoenroll.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LdapSettingsTest {
    @Test
    void defaults_haveBoundedValues() {
        LdapSettings s = LdapSettings.defaults();
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(10), s.responseTimeout());
        assertEquals(8, s.poolSize());
        assertEquals(4 * 1024 * 1024, s.maxEntryBytes());
    }

    @Test
    void withers_changeOneValue() {
        LdapSettings s = LdapSettings.defaults().withPoolSize(3).withResponseTimeout(Duration.ofMillis(500));
        assertEquals(3, s.poolSize());
        assertEquals(Duration.ofMillis(500), s.responseTimeout());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
    }

    @Test
    void build_zeroTimeout_throws() {
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().connectTimeout(Duration.ZERO).build());
    }

    @Test
    void build_negativeOrHugeTimeout_throws() {
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().responseTimeout(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().responseTimeout(Duration.ofHours(1)).build());
    }

    @Test
    void build_poolSizeOutOfRange_throws() {
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().poolSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().poolSize(100_000).build());
    }

    @Test
    void build_maxEntryBytesOutOfRange_throws() {
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().maxEntryBytes(10).build());
        assertThrows(IllegalArgumentException.class, () -> LdapSettings.builder().maxEntryBytes(Integer.MAX_VALUE).build());
    }
}
