package org.autoenroll.core.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.autoenroll.api.DirectoryRef;
import org.junit.jupiter.api.Test;

class InMemoryTenantRegistryTest {
    static final DirectoryRef AD = new DirectoryRef("ad1", "example.com");

    @Test
    void construct_consistentModel_answersLookups() {
        var registry = new InMemoryTenantRegistry(List.of(new Customer("c", true, List.of("Example.COM"), "ad1")),
                List.of(new Organization(2, "c", List.of("sub.example.com"), null, false)), List.of(AD));
        assertEquals("EXAMPLE.COM", registry.directory("ad1").orElseThrow().windowsDomain());
        assertTrue(registry.isKnownDomain("example.com"));
        assertTrue(registry.isKnownDomain("SUB.example.com"));
        assertFalse(registry.isKnownDomain("other.com"));
        assertEquals(1, registry.organizationsOf("c").size());
    }

    @Test
    void construct_danglingReferencesOrDuplicates_areRefusedNamingTheRecord() {
        var unknownServer = assertThrows(IllegalArgumentException.class, () -> new InMemoryTenantRegistry(
                List.of(new Customer("c", true, List.of(), "nope")), List.of(), List.of(AD)));
        assertTrue(unknownServer.getMessage().contains("nope"));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTenantRegistry(
                List.of(new Customer("c", true, List.of(), null)),
                List.of(new Organization(1, "other", List.of(), null, false)), List.of(AD)));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTenantRegistry(
                List.of(new Customer("c", true, List.of(), null)),
                List.of(new Organization(1, "c", List.of(), "nope", false)), List.of(AD)));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTenantRegistry(
                List.of(new Customer("c", true, List.of(), null), new Customer("c", true, List.of(), null)), List.of(), List.of(AD)));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTenantRegistry(List.of(), List.of(), List.of(AD, AD)));
    }
}
