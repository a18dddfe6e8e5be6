package org.autoenroll.samples.load;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one phase of the load measured: requests sent and succeeded, wall time, the latency of
 * every completed request, and the CPU time the server process and this client process spent
 * meanwhile (from /proc; 0 when not measured); of the server's, what the demo's in-memory
 * directory (which lives in the server's JVM) and the JVM's compiler and collector threads spent.
 * Immutable.
 */
public record Phase(String name, int sent, int succeeded, double seconds, long[] latencyNanos, String firstFailure,
                    double serverCpuMillis, double clientCpuMillis, double directoryCpuMillis, double jitCpuMillis,
                    double gcCpuMillis) {
    public Phase {
        latencyNanos = latencyNanos.clone();
        Arrays.sort(latencyNanos);
    }

    /** A phase whose CPU times were not measured here (the caller reads them its own way). */
    public Phase(String name, int sent, int succeeded, double seconds, long[] latencyNanos, String firstFailure) {
        this(name, sent, succeeded, seconds, latencyNanos, firstFailure, 0, 0, 0, 0, 0);
    }

    /** Completed requests per second. */
    public double rate() {
        return seconds > 0 ? sent / seconds : 0;
    }

    /** The latency at the given percentile (nearest rank), in milliseconds; 0 without requests. */
    public double percentileMillis(double percentile) {
        if (latencyNanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * latencyNanos.length);
        return latencyNanos[Math.max(0, Math.min(latencyNanos.length - 1, rank - 1))] / 1e6;
    }

    public int failed() {
        return sent - succeeded;
    }

    /** Server CPU milliseconds per completed request. */
    public double serverCpuPerRequest() {
        return sent > 0 ? serverCpuMillis / sent : 0;
    }

    /** Server CPU milliseconds per request without the demo's in-memory directory's. */
    public double serverCpuPerRequestWithoutDirectory() {
        return sent > 0 ? (serverCpuMillis - directoryCpuMillis) / sent : 0;
    }

    String line() {
        if (serverCpuMillis == 0 && clientCpuMillis == 0) {
            // CPU not measured by this phase's caller: no column of zeros that reads like a measurement
            return String.format(Locale.ROOT, "%-24s %6d sent %6d ok %4d failed in %6.2f s: %7.1f req/s  p50 %7.2f ms"
                            + "  p95 %7.2f ms  p99 %7.2f ms", name, sent, succeeded, failed(), seconds, rate(),
                    percentileMillis(50), percentileMillis(95), percentileMillis(99));
        }
        return String.format(Locale.ROOT, "%-24s %6d sent %6d ok %4d failed in %6.2f s: %7.1f req/s  p50 %7.2f ms"
                        + "  p95 %7.2f ms  p99 %7.2f ms  server CPU %6.2f ms/req (without the demo directory %6.2f,"
                        + " of which JIT %5.2f, GC %5.2f)  client CPU %5.2f ms/req",
                name, sent, succeeded, failed(), seconds, rate(), percentileMillis(50), percentileMillis(95),
                percentileMillis(99), serverCpuPerRequest(), serverCpuPerRequestWithoutDirectory(),
                perRequest(jitCpuMillis), perRequest(gcCpuMillis), perRequest(clientCpuMillis));
    }

    private double perRequest(double millis) {
        return sent > 0 ? millis / sent : 0;
    }
}
