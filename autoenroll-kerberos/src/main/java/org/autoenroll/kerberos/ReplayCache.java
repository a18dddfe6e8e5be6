package org.autoenroll.kerberos;

import java.time.Instant;
import java.util.Objects;

/**
 * Remembers the authenticators already accepted, so that a captured Negotiate token cannot be
 * presented a second time (RFC 4120 section 3.2.3).
 *
 * <p>The acceptor records an authenticator only after every other check passed, and asks for it
 * to be kept until {@code expiresAt} (its ctime plus the clock skew): after that the token fails
 * the skew check anyway. {@link InMemoryReplayCache} serves one process; a cache shared by
 * several servers (a database table with a unique key) implements the same interface.
 *
 * <p>Implementations are thread-safe: {@link #record} is atomic for a given key.
 */
public interface ReplayCache {

    /** What {@link #record} found. */
    enum Outcome {
        /** First time seen: now recorded. */
        RECORDED,
        /** Seen before and not yet expired: a replay. */
        REPLAYED,
        /** The cache is full of live entries and cannot record: the acceptor refuses (fails closed). */
        FULL,
        /**
         * The client principal holds its whole share of the cache in live entries: the acceptor
         * refuses this client (fails closed) while others still authenticate.
         */
        SHARE_EXHAUSTED
    }

    /**
     * One authenticator: client and server principal (with realm), ctime and cusec.
     * The components are names and times only: no key or token bytes.
     */
    record Key(String client, String server, long ctimeSeconds, int cusec) {
        public Key {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(server, "server");
        }
    }

    /** Records {@code key} unless it is present and unexpired; atomically. */
    Outcome record(Key key, Instant expiresAt);
}
