package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Measures the memory of a full {@link InMemoryReplayCache} (1,600,000 entries, the default bound:
 * 5,000 authentications per second over 5 minutes and a slice) from heap deltas around forced collections:
 * approximate, but enough to state the bound; the tables' own size is checked against the worst
 * case the javadoc states (75 bytes per entry). Keys are realistic: a distinct client name per
 * entry (the worst case for the share table), one shared service name, ctimes spread over the
 * 5 minutes. Also runnable as a main: it prints bytes per entry.
 */
class InMemoryReplayCacheMemoryTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** Bytes per entry, measured. */
    static double measure() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        String server = "HTTP/enroll.example.com@EXAMPLE.COM";
        long before = usedAfterGc();
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        for (int i = 0; i < InMemoryReplayCache.DEFAULT_MAX_ENTRIES; i++) {
            // the acceptor builds a new Key and a new expiry Instant per token
            long ctime = NOW.getEpochSecond() - i % 300;
            ReplayCache.Key key = new ReplayCache.Key("user" + i + "@EXAMPLE.COM", server, ctime, i % 1_000_000);
            assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key, Instant.ofEpochSecond(ctime + 300).plusMillis(1)));
        }
        long after = usedAfterGc();
        double tablesPerEntry = cache.tableBytes() / (double) InMemoryReplayCache.DEFAULT_MAX_ENTRIES;
        assertTrue(tablesPerEntry <= 75, "table bytes per entry: " + tablesPerEntry);
        assertEquals(InMemoryReplayCache.DEFAULT_MAX_ENTRIES, cache.size());
        double perEntry = (after - before) / (double) InMemoryReplayCache.DEFAULT_MAX_ENTRIES;
        // keep the cache reachable until measured
        if (cache.size() < 0) {
            throw new AssertionError();
        }
        return perEntry;
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    @Test
    void fill_defaultBound_bytesPerEntryWithinDocumentedBound() {
        double perEntry = measure();
        System.out.printf("InMemoryReplayCache: %.0f bytes per entry, %.1f MB at %d entries%n", perEntry,
                perEntry * InMemoryReplayCache.DEFAULT_MAX_ENTRIES / 1e6, InMemoryReplayCache.DEFAULT_MAX_ENTRIES);
        // the javadoc states at most 75 bytes per entry, 120 MB at the bound; a GC-noise margin on top
        assertTrue(perEntry > 16 && perEntry < 90, "bytes per entry: " + perEntry);
    }

    public static void main(String[] args) {
        System.out.printf("%.0f bytes per entry%n", measure());
    }
}
