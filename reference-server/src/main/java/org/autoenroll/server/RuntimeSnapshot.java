package org.autoenroll.server;

import com.google.inject.Injector;
import java.util.concurrent.atomic.AtomicInteger;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.http.Router;

/**
 * One loaded configuration and everything built from it that a reload replaces: the routers (with
 * their enrollment service, tenants, AD server records, templates, Kerberos acceptor) and the
 * resources to close once no request uses them (LDAP pools). A request takes the current snapshot
 * once, when it arrives, and finishes on it even if a reload swaps another in meanwhile.
 * Immutable apart from its count of requests in flight; thread-safe.
 */
final class RuntimeSnapshot {
    final ServerConfig config;
    final Router router;
    final Router publicationRouter;
    final Resources resources;
    volatile Injector injector;
    private final AtomicInteger inFlight = new AtomicInteger();

    RuntimeSnapshot(ServerConfig config, Router router, Router publicationRouter, Resources resources, Injector injector) {
        this.config = config;
        this.router = router;
        this.publicationRouter = publicationRouter;
        this.resources = resources;
        this.injector = injector;
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }
}
