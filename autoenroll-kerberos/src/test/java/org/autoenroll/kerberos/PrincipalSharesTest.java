package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing share table against a HashMap, through growth, deletions and shrinking. */
class PrincipalSharesTest {

    @Test
    void randomIncrementsAndDecrements_matchAHashMap() {
        PrincipalShares shares = new PrincipalShares();
        Map<Long, Integer> model = new HashMap<>();
        Random random = new Random(42);
        // few distinct bits in the tags: many collide on their home slot, exercising the backward shift
        for (int step = 0; step < 200_000; step++) {
            long tag = (random.nextInt(5_000) * 0x1_0000_0001L) << (random.nextInt(2) * 3);
            if (random.nextInt(3) > 0 || step > 150_000 && random.nextBoolean()) {
                if (step < 150_000) {
                    shares.increment(tag);
                    model.merge(tag, 1, Integer::sum);
                } else {
                    shares.decrement(tag);
                    model.computeIfPresent(tag, (t, n) -> n == 1 ? null : n - 1);
                }
            } else {
                shares.decrement(tag);
                model.computeIfPresent(tag, (t, n) -> n == 1 ? null : n - 1);
            }
            if (step % 10_000 == 0) {
                shares.shrinkIfSparse();
            }
        }
        assertEquals(model.size(), shares.size());
        for (Map.Entry<Long, Integer> entry : model.entrySet()) {
            assertEquals(entry.getValue(), shares.get(entry.getKey()), "tag " + entry.getKey());
        }
        for (long tag : model.keySet().toArray(Long[]::new)) {
            for (int n = model.get(tag); n > 0; n--) {
                shares.decrement(tag);
            }
        }
        shares.shrinkIfSparse();
        assertEquals(0, shares.size());
        assertEquals(32 + 12 * 1024, shares.tableBytes());
    }
}
