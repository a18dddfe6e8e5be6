package org.autoenroll.samples.bench;

import java.time.Instant;
import org.autoenroll.kerberos.ReplayCache;

/**
 * Benchmark only, never in a server: a replay cache that takes every authenticator for new, so
 * that a benchmark can present a pool of tokens again and again. It measures the acceptor without
 * replay detection, as the JDK acceptor runs with {@code sun.security.krb5.rcache=none}. Stateless
 * and thread-safe.
 */
final class AlwaysFreshReplayCache implements ReplayCache {
    @Override
    public Outcome record(Key key, Instant expiresAt) {
        return Outcome.RECORDED;
    }
}
