package org.autoenroll.kerberos;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded in-process {@link ReplayCache}: at most {@link #DEFAULT_MAX_ENTRIES} (1,600,000) live
 * authenticators by default, each kept until its expiry, and at most
 * {@link #DEFAULT_MAX_PER_PRINCIPAL} (1,000) of them for any one client principal. When the bound
 * is reached with live entries only, {@link #record} answers {@link Outcome#FULL}, and when the
 * client's own share is used up it answers {@link Outcome#SHARE_EXHAUSTED}: either way the acceptor
 * refuses the token rather than forget an entry (an evicted entry could be replayed). The share
 * keeps one principal (a script in a loop, a stolen password) from filling the cache and locking
 * everyone else out: it takes at least {@code maxEntries / maxPerPrincipal} (1,600) principals to
 * fill it.
 *
 * <p>Rate: the default bound holds 5,000 fresh authentications per second over the default
 * 5-minute skew (5,000 x 300 s = 1,500,000), plus the {@value #BUCKET_SECONDS} s an entry may
 * outlive its expiry in its slice (5,000 x 304 s = 1,520,000), with room to spare, for clients
 * whose clocks agree with the server's; an authenticator is kept until its ctime plus the skew, so
 * a client clock ahead by the whole skew keeps its entries twice as long.
 *
 * <p>Layout: no names and no objects per entry. An authenticator is two 64-bit tags (the client's
 * and the whole key's, keyed SHA-256: see {@link ReplayDigests}) in the open-addressing table of its
 * ctime slice ({@value #BUCKET_SECONDS} s, {@link ExpiryBucket}); a slice is dropped whole when its
 * latest expiry has passed, so expiry never scans entries on the hot path (giving back the shares
 * of a dropped slice is one pass over it, paid once per slice). The shares are counts per client
 * tag ({@link PrincipalShares}).
 *
 * <p>Memory bound: 16 bytes per entry in a table kept between 3/8 and 3/4 full (21 to 43 bytes), plus
 * 12 bytes per distinct client in the share table (16 to 32 bytes), so at most about 75 bytes per
 * entry when every entry is a distinct client: 75 bytes x 1,600,000 = about 120 MB at the default
 * bound, worst case; measured about 61 bytes per entry with every entry a distinct client (see
 * {@code InMemoryReplayCacheMemoryTest}), about 98 MB at the bound. Memory is taken as entries come
 * and given back as slices expire. Several instances behind a load balancer need a shared cache:
 * {@link JdbcReplayCache}.
 *
 * <p>Thread-safe: the tags are computed outside the lock; the table work is one short critical
 * section.
 */
public final class InMemoryReplayCache implements ReplayCache {
    /** The default bound on live entries: 5,000 authentications per second over a 5-minute skew and a slice. */
    public static final int DEFAULT_MAX_ENTRIES = 1_600_000;
    /** The default share of one client principal. */
    public static final int DEFAULT_MAX_PER_PRINCIPAL = 1_000;
    /** The width of one ctime slice. */
    static final int BUCKET_SECONDS = 4;

    private final int maxEntries;
    private final int maxPerPrincipal;
    private final Clock clock;
    private final ReplayDigests digests;
    /** ctime slice number (ctime / BUCKET_SECONDS) to its bucket. */
    private final Map<Long, ExpiryBucket> buckets = new HashMap<>();
    private final PrincipalShares shares = new PrincipalShares();
    private int size;
    /** The earliest latest-expiry among the buckets: no purge is due before it. */
    private long nextPurgeMillis = Long.MAX_VALUE;

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
        this.digests = new ReplayDigests(new SecureRandom());
    }

    @Override
    public Outcome record(Key key, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        long clientTag = digests.clientTag(key.client());
        long keyTag = digests.keyTag(key);
        long expiryMillis = expiresAt.toEpochMilli();
        // the same key always has the same ctime, hence the same bucket, whatever its expiry
        Long slice = Math.floorDiv(key.ctimeSeconds(), BUCKET_SECONDS);
        synchronized (this) {
            long now = clock.millis();
            purgeExpired(now);
            ExpiryBucket bucket = buckets.get(slice);
            if (bucket != null && bucket.contains(clientTag, keyTag)) {
                return Outcome.REPLAYED;
            }
            if (expiryMillis <= now) {
                // already expired: the skew check refuses a replay of it anyway
                return Outcome.RECORDED;
            }
            if (size >= maxEntries) {
                return Outcome.FULL;
            }
            if (shares.get(clientTag) >= maxPerPrincipal) {
                return Outcome.SHARE_EXHAUSTED;
            }
            if (bucket == null) {
                bucket = new ExpiryBucket();
                buckets.put(slice, bucket);
            }
            bucket.add(clientTag, keyTag, expiryMillis);
            shares.increment(clientTag);
            size++;
            nextPurgeMillis = Math.min(nextPurgeMillis, bucket.latestExpiryMillis());
            return Outcome.RECORDED;
        }
    }

    /** Live entries of {@code client} now held (for tests and metrics). */
    public int sizeOf(String client) {
        long clientTag = digests.clientTag(client);
        synchronized (this) {
            purgeExpired(clock.millis());
            return shares.get(clientTag);
        }
    }

    /** Live entries now held (for tests and metrics). */
    public synchronized int size() {
        purgeExpired(clock.millis());
        return size;
    }

    /** Heap bytes of the tables now (for the memory test and metrics; excludes the few map nodes of the slices). */
    synchronized long tableBytes() {
        long bytes = shares.tableBytes();
        for (ExpiryBucket bucket : buckets.values()) {
            bytes += bucket.tableBytes();
        }
        return bytes;
    }

    private void purgeExpired(long now) {
        if (now < nextPurgeMillis) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (Iterator<ExpiryBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            ExpiryBucket bucket = it.next();
            if (bucket.latestExpiryMillis() <= now) {
                bucket.forEachClient(shares::decrement);
                size -= bucket.size();
                it.remove();
            } else {
                next = Math.min(next, bucket.latestExpiryMillis());
            }
        }
        nextPurgeMillis = next;
        shares.shrinkIfSparse();
    }
}
