package org.autoenroll.wstep;

import java.util.Optional;

/**
 * Maps our request ids (UUID strings) to MS-WSTEP RequestIDs and back. Windows keeps a
 * RequestID as a 32-bit {@code LONG} and reads 0 as "no request", so a RequestID is a number
 * from 1 to 2^31-1, which cannot carry a UUID: the pair must be remembered somewhere.
 * {@link InMemoryRequestIds} remembers it in memory; a server that keeps pending requests across
 * restarts implements this over its database. Implementations are thread-safe.
 */
public interface RequestIds {
    /** The RequestID for {@code requestId}: always the same one, from 1 to 2^31-1, never 0. */
    long toWire(String requestId);

    /** Our request id for a RequestID handed out before, if it is known. */
    Optional<String> fromWire(long wireId);
}
