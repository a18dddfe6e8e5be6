package org.autoenroll.kerberos;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A bounded in-process {@link ReplayCache}: at most {@link #DEFAULT_MAX_ENTRIES} (100,000) live
 * authenticators by default, each kept until its expiry, and at most
 * {@link #DEFAULT_MAX_PER_PRINCIPAL} (1,000) of them for any one client principal. Expired entries
 * are dropped on each call. When the bound is reached with live entries only, {@link #record}
 * answers {@link Outcome#FULL}, and when the client's own share is used up it answers
 * {@link Outcome#SHARE_EXHAUSTED}: either way the acceptor refuses the token rather than forget an
 * entry (an evicted entry could be replayed). The share keeps one principal (a script in a loop, a
 * stolen password) from filling the cache and locking everyone else out: it takes at least
 * {@code maxEntries / maxPerPrincipal} (100) principals to fill it. At 100,000 entries and the
 * default 5-minute skew this allows about 330 fresh authentications per second per process, and
 * one principal about 3 per second.
 *
 * <p>Memory bound: about 250 bytes per entry, worst case (measured ~194 bytes on JDK 17 with
 * compressed oops for the key, its client string, the map node, the expiry {@link Instant} and
 * the queue entry, plus up to ~60 bytes for the per-principal counter when every entry has a
 * distinct client; see {@code InMemoryReplayCacheMemoryTest}), so 250 bytes x 100,000 entries =
 * about 25 MB at the default bound. Several instances behind a load balancer need a shared cache:
 * {@link JdbcReplayCache}.
 *
 * <p>Thread-safe: every call is synchronized on the instance (one short critical section).
 */
public final class InMemoryReplayCache implements ReplayCache {
    /** The default bound on live entries. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** The default share of one client principal: 1 % of the default bound. */
    public static final int DEFAULT_MAX_PER_PRINCIPAL = 1_000;

    private record Entry(Key key, Instant expiresAt) {
    }

    private final int maxEntries;
    private final int maxPerPrincipal;
    private final Clock clock;
    private final Map<Key, Instant> entries = new HashMap<>();
    /** Live entries per client principal; a client with none has no counter. */
    private final Map<String, Integer> perPrincipal = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.expiresAt().compareTo(b.expiresAt()));

    /** A cache of {@link #DEFAULT_MAX_ENTRIES} entries, {@link #DEFAULT_MAX_PER_PRINCIPAL} per client, on the given clock. */
    public InMemoryReplayCache(Clock clock) {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_PER_PRINCIPAL, clock);
    }

    /**
     * @param maxEntries live entries at most
     * @param maxPerPrincipal live entries of one client principal at most, between 1 and {@code maxEntries}
     */
    public InMemoryReplayCache(int maxEntries, int maxPerPrincipal, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        if (maxPerPrincipal < 1 || maxPerPrincipal > maxEntries) {
            throw new IllegalArgumentException("maxPerPrincipal must be between 1 and maxEntries");
        }
        this.maxEntries = maxEntries;
        this.maxPerPrincipal = maxPerPrincipal;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Outcome record(Key key, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant now = clock.instant();
        purgeExpired(now);
        Instant existing = entries.get(key);
        if (existing != null) {
            return Outcome.REPLAYED;
        }
        if (!expiresAt.isAfter(now)) {
            // already expired: the skew check refuses a replay of it anyway
            return Outcome.RECORDED;
        }
        if (entries.size() >= maxEntries) {
            return Outcome.FULL;
        }
        int held = perPrincipal.getOrDefault(key.client(), 0);
        if (held >= maxPerPrincipal) {
            return Outcome.SHARE_EXHAUSTED;
        }
        entries.put(key, expiresAt);
        perPrincipal.put(key.client(), held + 1);
        byExpiry.add(new Entry(key, expiresAt));
        return Outcome.RECORDED;
    }

    /** Live entries of {@code client} now held (for tests and metrics). */
    public synchronized int sizeOf(String client) {
        purgeExpired(clock.instant());
        return perPrincipal.getOrDefault(client, 0);
    }

    /** Live entries now held (for tests and metrics). */
    public synchronized int size() {
        purgeExpired(clock.instant());
        return entries.size();
    }

    private void purgeExpired(Instant now) {
        while (!byExpiry.isEmpty() && !byExpiry.peek().expiresAt().isAfter(now)) {
            Entry head = byExpiry.poll();
            if (entries.remove(head.key(), head.expiresAt())) {
                perPrincipal.computeIfPresent(head.key().client(), (client, n) -> n == 1 ? null : n - 1);
            }
        }
    }
}
