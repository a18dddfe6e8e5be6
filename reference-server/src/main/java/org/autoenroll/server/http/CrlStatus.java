package org.autoenroll.server.http;

import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * The state of the CRL the server publishes now: its thisUpdate and nextUpdate (read from its
 * header only) and its size, for metrics and readiness. Stateless.
 */
public final class CrlStatus {
    private CrlStatus() {
    }

    /** What the published CRL says about itself. */
    public record Snapshot(Instant thisUpdate, Optional<Instant> nextUpdate, long bytes) {
        /** Fresh when it has a nextUpdate still ahead of {@code now}. */
        public boolean freshAt(Instant now) {
            return nextUpdate.isPresent() && nextUpdate.get().isAfter(now);
        }
    }

    /**
     * The CRL {@code ca} serves now (built first if it is due).
     *
     * @throws Exception when it cannot be built (the store or the CA fails) or does not parse
     */
    public static Snapshot read(CaPublication ca) throws Exception {
        try (InputStream crl = ca.openCrl()) {
            CrlDates.Dates dates = CrlDates.read(crl);
            return new Snapshot(dates.thisUpdate(), dates.nextUpdate(), crl.available());
        }
    }
}
