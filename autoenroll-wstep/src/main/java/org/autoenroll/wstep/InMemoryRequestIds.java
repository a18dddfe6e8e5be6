package org.autoenroll.wstep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RequestIds} in memory. Windows keeps a RequestID as a
 * 32-bit {@code LONG} (certenroll's {@code IX509Enrollment::RequestId}) and treats 0 as "none", so
 * the wire id is a number from 1 to 2^31-1: a UUID cannot be carried, and a number derived from it
 * cannot be turned back into it without remembering the pair. The number is derived
 * deterministically (the first 31 bits of SHA-256 of the id, probing on a collision), so the same
 * request always gets the same RequestID, and the pair is remembered here, bounded to
 * {@link #MAX_ENTRIES} (least recently used forgotten). This map lives in memory: after a restart,
 * a QueryTokenStatus for an earlier pending request is answered "no such request" (46), and the
 * client enrolls again; a server that must keep pending requests across restarts gives
 * {@link CesService} an implementation backed by its database. Thread-safe.
 */
public final class InMemoryRequestIds implements RequestIds {
    public static final int MAX_ENTRIES = 100_000;

    private final Map<Long, String> byWire = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            boolean drop = size() > MAX_ENTRIES;
            if (drop) {
                byId.remove(eldest.getValue());
            }
            return drop;
        }
    };
    private final Map<String, Long> byId = new java.util.HashMap<>();
    private final java.util.function.ToLongFunction<String> derivation;

    public InMemoryRequestIds() {
        this(InMemoryRequestIds::derive);
    }

    /** With another derivation, for tests of collisions; it must return 1 to 2^31-1. */
    InMemoryRequestIds(java.util.function.ToLongFunction<String> derivation) {
        this.derivation = derivation;
    }

    @Override
    public synchronized long toWire(String requestId) {
        Long known = byId.get(requestId);
        if (known != null) {
            byWire.get(known);
            return known;
        }
        long candidate = derivation.applyAsLong(requestId);
        while (byWire.containsKey(candidate)) {
            candidate = candidate == Integer.MAX_VALUE ? 1 : candidate + 1;
        }
        byWire.put(candidate, requestId);
        byId.put(requestId, candidate);
        return candidate;
    }

    @Override
    public synchronized Optional<String> fromWire(long wireId) {
        return Optional.ofNullable(byWire.get(wireId));
    }

    static long derive(String requestId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            long value = ((digest[0] & 0x7fL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8) | (digest[3] & 0xffL);
            return value == 0 ? 1 : value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
