package org.autoenroll.kerberos;

/**
 * The authenticators of one slice of ctime, as pairs of 64-bit tags (client, authenticator) in an
 * open-addressing table of longs: 16 bytes a slot, the table grown at 3/4 full, so 21 to 43
 * bytes per entry. The bucket expires as a whole once its latest expiry has passed: expiry costs
 * one dropped array, not a scan of entries. Not thread-safe: {@link InMemoryReplayCache} locks.
 */
final class ExpiryBucket {
    private static final int INITIAL_SLOTS = 64;

    /** slot i holds the client tag at 2i and the key tag at 2i+1; a key tag of 0 is an empty slot. */
    private long[] slots = new long[2 * INITIAL_SLOTS];
    private int size;
    private long latestExpiryMillis = Long.MIN_VALUE;

    int size() {
        return size;
    }

    long latestExpiryMillis() {
        return latestExpiryMillis;
    }

    boolean contains(long clientTag, long keyTag) {
        int mask = slots.length / 2 - 1;
        for (int i = mix(keyTag) & mask; ; i = (i + 1) & mask) {
            long found = slots[2 * i + 1];
            if (found == 0) {
                return false;
            }
            if (found == keyTag && slots[2 * i] == clientTag) {
                return true;
            }
        }
    }

    /** Adds an entry known to be absent; the bucket then lives at least until {@code expiryMillis}. */
    void add(long clientTag, long keyTag, long expiryMillis) {
        if ((size + 1) * 4L > slots.length / 2 * 3L) {
            grow();
        }
        insert(slots, clientTag, keyTag);
        size++;
        latestExpiryMillis = Math.max(latestExpiryMillis, expiryMillis);
    }

    /** Calls {@code each} with the client tag of every entry (to give the shares back on expiry). */
    void forEachClient(java.util.function.LongConsumer each) {
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i + 1] != 0) {
                each.accept(slots[i]);
            }
        }
    }

    /** Heap bytes held by the table (for the stated memory bound). */
    long tableBytes() {
        return 16L + 8L * slots.length;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i + 1] != 0) {
                insert(bigger, slots[i], slots[i + 1]);
            }
        }
        slots = bigger;
    }

    private static void insert(long[] table, long clientTag, long keyTag) {
        int mask = table.length / 2 - 1;
        int i = mix(keyTag) & mask;
        while (table[2 * i + 1] != 0) {
            i = (i + 1) & mask;
        }
        table[2 * i] = clientTag;
        table[2 * i + 1] = keyTag;
    }

    static int mix(long tag) {
        // the tags are already uniform (SHA-256): fold the halves
        return (int) (tag ^ (tag >>> 32));
    }
}
