package org.autoenroll.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closeable parts of a running server (LDAP pools, the database), closed in reverse order of
 * registration at shutdown. Thread-safe.
 */
public final class Resources implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    public synchronized <T extends AutoCloseable> T register(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = open.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", next.getClass().getSimpleName(), e);
            }
        }
    }
}
