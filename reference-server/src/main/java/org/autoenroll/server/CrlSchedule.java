package org.autoenroll.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.autoenroll.server.http.CaPublication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the CRL and delta CRL ahead of clients, on a schedule, so that no relying party waits
 * for (or times out on) a large CRL being built; between runs the publisher still rebuilds at once
 * after a revocation. One daemon thread; stopped with the server.
 */
final class CrlSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrlSchedule.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "autoenroll-crl");
        thread.setDaemon(true);
        return thread;
    });

    CrlSchedule(CaPublication publication, Duration every) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                publication.openCrl().close();
                publication.openDeltaCrl().close();
            } catch (Exception e) {
                // the next run, or the next client, tries again; the last good CRL stays served
                LOG.warn("scheduled CRL build failed: {}", e.toString());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
