package org.autoenroll.wstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryRequestIdsTest {
    @Test
    void toWire_manyIds_positive31BitDistinctAndReversible() {
        InMemoryRequestIds ids = new InMemoryRequestIds();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = UUID.randomUUID().toString();
            long wire = ids.toWire(id);
            assertTrue(wire >= 1 && wire <= Integer.MAX_VALUE, "RequestID " + wire);
            assertTrue(seen.add(wire), "RequestID handed out twice");
            assertEquals(Optional.of(id), ids.fromWire(wire));
            assertEquals(wire, ids.toWire(id));
        }
    }

    @Test
    void toWire_sameIdInAnotherInstance_sameNumber() {
        String id = UUID.randomUUID().toString();
        assertEquals(new InMemoryRequestIds().toWire(id), new InMemoryRequestIds().toWire(id));
    }

    @Test
    void fromWire_unknown_empty() {
        assertEquals(Optional.empty(), new InMemoryRequestIds().fromWire(42));
    }

    @Test
    void toWire_collision_probesToTheNextFreeNumber_wrappingAtTheTop() {
        InMemoryRequestIds ids = new InMemoryRequestIds(id -> Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, ids.toWire("a"));
        assertEquals(1, ids.toWire("b"));
        assertEquals(2, ids.toWire("c"));
        assertEquals(Optional.of("b"), ids.fromWire(1));
        assertEquals(1, ids.toWire("b"));
    }
}
