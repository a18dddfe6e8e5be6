package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryReplayCacheTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private static ReplayCache.Key key(int n) {
        return new ReplayCache.Key("alice@EXAMPLE.COM", "HTTP/localhost@EXAMPLE.COM", 1_000 + n, n);
    }

    @Test
    void record_sameKeyTwice_replayed() {
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        Instant expiry = now.get().plusSeconds(300);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(1), expiry));
        assertEquals(ReplayCache.Outcome.REPLAYED, cache.record(key(1), expiry));
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(2), expiry));
    }

    @Test
    void record_afterExpiry_recordedAgainAndPurged() {
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        cache.record(key(1), now.get().plusSeconds(300));
        now.set(now.get().plus(Duration.ofSeconds(301)));
        assertEquals(0, cache.size());
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(1), now.get().plusSeconds(300)));
    }

    @Test
    void record_fullOfLiveEntries_full() {
        InMemoryReplayCache cache = new InMemoryReplayCache(2, 2, clock);
        Instant expiry = now.get().plusSeconds(300);
        cache.record(key(1), expiry);
        cache.record(key(2), expiry);
        assertEquals(ReplayCache.Outcome.FULL, cache.record(key(3), expiry));
        assertEquals(ReplayCache.Outcome.REPLAYED, cache.record(key(1), expiry));
        now.set(expiry);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(3), expiry.plusSeconds(300)));
    }

    private static ReplayCache.Key keyOf(String client, int n) {
        return new ReplayCache.Key(client, "HTTP/localhost@EXAMPLE.COM", 1_000 + n, n);
    }

    @Test
    void record_onePrincipalOverItsShare_refusedWhileOthersStillRecord() {
        InMemoryReplayCache cache = new InMemoryReplayCache(10, 3, clock);
        Instant expiry = now.get().plusSeconds(300);
        for (int i = 0; i < 3; i++) {
            assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("mallory@EXAMPLE.COM", i), expiry));
        }
        for (int i = 3; i < 50; i++) {
            assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, cache.record(keyOf("mallory@EXAMPLE.COM", i), expiry));
        }
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("alice@EXAMPLE.COM", 1), expiry));
        assertEquals(3, cache.sizeOf("mallory@EXAMPLE.COM"));
        assertEquals(4, cache.size());
    }

    @Test
    void record_shareFreedWhenEntriesExpire() {
        InMemoryReplayCache cache = new InMemoryReplayCache(10, 1, clock);
        cache.record(keyOf("mallory@EXAMPLE.COM", 1), now.get().plusSeconds(300));
        assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, cache.record(keyOf("mallory@EXAMPLE.COM", 2), now.get().plusSeconds(300)));
        now.set(now.get().plusSeconds(301));
        assertEquals(0, cache.sizeOf("mallory@EXAMPLE.COM"));
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("mallory@EXAMPLE.COM", 2), now.get().plusSeconds(300)));
    }

    @Test
    void record_defaultShare_isOnePercentOfTheBound() {
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        Instant expiry = now.get().plusSeconds(300);
        for (int i = 0; i < InMemoryReplayCache.DEFAULT_MAX_PER_PRINCIPAL; i++) {
            assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("mallory@EXAMPLE.COM", i), expiry));
        }
        assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, cache.record(keyOf("mallory@EXAMPLE.COM", -1), expiry));
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("bob@EXAMPLE.COM", 1), expiry));
    }

    @Test
    void record_manyClientsOverTheSkewWindow_everyReplayRefusedAndAllGivenBackOnExpiry() {
        InMemoryReplayCache cache = new InMemoryReplayCache(100_000, 20, clock);
        long start = now.get().getEpochSecond();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40_000; i++) {
                ReplayCache.Key key = new ReplayCache.Key("user" + i % 2_000 + "@EXAMPLE.COM", "HTTP/localhost@EXAMPLE.COM",
                        start - i % 300, i);
                Instant expiry = Instant.ofEpochSecond(key.ctimeSeconds() + 300);
                assertEquals(round == 0 ? ReplayCache.Outcome.RECORDED : ReplayCache.Outcome.REPLAYED,
                        cache.record(key, expiry), "round " + round + ", entry " + i);
            }
        }
        assertEquals(40_000, cache.size());
        assertEquals(20, cache.sizeOf("user7@EXAMPLE.COM"));
        assertEquals(ReplayCache.Outcome.SHARE_EXHAUSTED, cache.record(keyOf("user7@EXAMPLE.COM", 5), now.get().plusSeconds(300)));
        // half the window later the older half of the ctimes have expired, slice by slice
        now.set(now.get().plusSeconds(150));
        int half = cache.size();
        assertEquals(true, half > 15_000 && half < 25_000, "live after 150 s: " + half);
        now.set(now.get().plusSeconds(151));
        assertEquals(0, cache.size());
        assertEquals(0, cache.sizeOf("user7@EXAMPLE.COM"));
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(keyOf("user7@EXAMPLE.COM", 5), now.get().plusSeconds(300)));
    }

    @Test
    void record_sameKeyWithALaterExpiry_stillReplayed() {
        // another acceptor of the same process configured with a longer skew: the key decides, not the expiry
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(key(1), now.get().plusSeconds(300)));
        assertEquals(ReplayCache.Outcome.REPLAYED, cache.record(key(1), now.get().plusSeconds(600)));
        ReplayCache.Key otherServer = new ReplayCache.Key("alice@EXAMPLE.COM", "HTTP/other@EXAMPLE.COM", 1_001, 1);
        assertEquals(ReplayCache.Outcome.RECORDED, cache.record(otherServer, now.get().plusSeconds(300)));
    }
}
