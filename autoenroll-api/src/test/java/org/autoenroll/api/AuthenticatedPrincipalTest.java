package org.autoenroll.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AuthenticatedPrincipalTest {
    @Test
    void enterprise_upn_isTheNameWithTheRealmAfterIt() {
        AuthenticatedPrincipal carol = AuthenticatedPrincipal.enterprise("carol@corp.example", "EXAMPLE.COM", null);
        assertEquals("carol@corp.example", carol.name());
        assertEquals("EXAMPLE.COM", carol.realm());
        assertEquals("carol@corp.example@EXAMPLE.COM", carol.principal());
        assertEquals("carol@corp.example", carol.enterpriseName().orElseThrow());
        assertEquals("carol", carol.withPac("S-1-5-21-1-2-3-1111", List.of(), "carol").accountName().orElseThrow());
        assertTrue(carol.withPac("S-1-5-21-1-2-3-1111", List.of(), "carol").enterpriseName().isPresent());
    }

    @Test
    void of_ordinaryName_noEnterpriseNameAndNoAccountWithoutPac() {
        AuthenticatedPrincipal alice = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);
        assertTrue(alice.enterpriseName().isEmpty());
        assertTrue(alice.accountName().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@EXAMPLE.COM", "a@b"})
    void of_nameWithAt_refused(String name) {
        assertThrows(IllegalArgumentException.class, () -> AuthenticatedPrincipal.of(name, "EXAMPLE.COM", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"carol", "@corp.example", "carol@", "a@b@c", "host/pc@corp.example", ""})
    void enterprise_notOneUserAtSuffix_refused(String name) {
        assertThrows(IllegalArgumentException.class, () -> AuthenticatedPrincipal.enterprise(name, "EXAMPLE.COM", null));
    }
}
