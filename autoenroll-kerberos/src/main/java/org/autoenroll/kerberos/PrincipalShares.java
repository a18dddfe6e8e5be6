package org.autoenroll.kerberos;

/**
 * Live entries per client tag, as an open-addressing map from long to int (12 bytes a slot, grown
 * at 3/4 full and shrunk below 1/8): the count behind each principal's share of the replay cache.
 * A client whose count falls to 0 is removed (backward-shift deletion, no tombstones). Not
 * thread-safe: {@link InMemoryReplayCache} locks.
 */
final class PrincipalShares {
    private static final int MIN_SLOTS = 1024;

    private long[] tags = new long[MIN_SLOTS];
    private int[] counts = new int[MIN_SLOTS];
    private int size;

    /** The live count of {@code tag}, 0 when absent. */
    int get(long tag) {
        int at = find(tag);
        return at < 0 ? 0 : counts[at];
    }

    void increment(long tag) {
        int at = find(tag);
        if (at >= 0) {
            counts[at]++;
            return;
        }
        if ((size + 1) * 4L > tags.length * 3L) {
            resize(tags.length * 2);
        }
        int slot = emptySlotFor(tag);
        tags[slot] = tag;
        counts[slot] = 1;
        size++;
    }

    void decrement(long tag) {
        int at = find(tag);
        if (at < 0) {
            return;
        }
        if (--counts[at] > 0) {
            return;
        }
        removeAt(at);
        size--;
    }

    /** Gives memory back after a wave of expiries. */
    void shrinkIfSparse() {
        if (tags.length > MIN_SLOTS && size * 8L < tags.length) {
            int slots = MIN_SLOTS;
            while (slots * 3L < size * 8L) {
                slots *= 2;
            }
            resize(slots);
        }
    }

    int size() {
        return size;
    }

    long tableBytes() {
        return 32L + 12L * tags.length;
    }

    // a count of 0 marks an empty slot: every present tag has a count of at least 1
    private int find(long tag) {
        int mask = tags.length - 1;
        for (int i = ExpiryBucket.mix(tag) & mask; ; i = (i + 1) & mask) {
            if (counts[i] == 0) {
                return -1;
            }
            if (tags[i] == tag) {
                return i;
            }
        }
    }

    private int emptySlotFor(long tag) {
        int mask = tags.length - 1;
        int i = ExpiryBucket.mix(tag) & mask;
        while (counts[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void removeAt(int hole) {
        int mask = tags.length - 1;
        counts[hole] = 0;
        // shift back the entries of the probe run after the hole that may not stay behind it
        for (int i = (hole + 1) & mask; counts[i] != 0; i = (i + 1) & mask) {
            int home = ExpiryBucket.mix(tags[i]) & mask;
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                tags[hole] = tags[i];
                counts[hole] = counts[i];
                counts[i] = 0;
                hole = i;
            }
        }
    }

    private void resize(int slots) {
        long[] oldTags = tags;
        int[] oldCounts = counts;
        tags = new long[slots];
        counts = new int[slots];
        for (int i = 0; i < oldTags.length; i++) {
            if (oldCounts[i] != 0) {
                int slot = emptySlotFor(oldTags[i]);
                tags[slot] = oldTags[i];
                counts[slot] = oldCounts[i];
            }
        }
    }
}
