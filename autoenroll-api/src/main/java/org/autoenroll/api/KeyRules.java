package org.autoenroll.api;

import java.util.Objects;
import java.util.Set;

/**
 * Which keys a template accepts. Checked on the CSR's public key before any signature work.
 *
 * @param algorithms {@code RSA} and/or {@code EC}
 * @param minimalRsaBits smallest RSA modulus ({@code msPKI-Minimal-Key-Size} for RSA templates)
 * @param maximalRsaBits largest RSA modulus, at most {@link #RSA_CAP}
 * @param curves allowed named curves ({@code P-256}, {@code P-384}, {@code P-521})
 * @since 0.2
 */
public record KeyRules(Set<String> algorithms, int minimalRsaBits, int maximalRsaBits, Set<String> curves) {
    /** No template may accept a larger RSA key: checking one costs seconds of CPU. */
    public static final int RSA_CAP = 8192;

    public KeyRules {
        algorithms = Set.copyOf(algorithms);
        if (algorithms.isEmpty() || !Set.of("RSA", "EC").containsAll(algorithms)) {
            throw new IllegalArgumentException("key algorithms must be RSA and/or EC, not " + algorithms);
        }
        if (minimalRsaBits < 2048 || maximalRsaBits > RSA_CAP || minimalRsaBits > maximalRsaBits) {
            throw new IllegalArgumentException("RSA key sizes must satisfy 2048 <= min <= max <= " + RSA_CAP);
        }
        curves = Set.copyOf(curves);
        if (!Set.of("P-256", "P-384", "P-521").containsAll(curves)) {
            throw new IllegalArgumentException("curves must be among P-256, P-384, P-521, not " + curves);
        }
        Objects.requireNonNull(curves);
    }

    /** RSA 2048-8192 or EC on P-256, P-384, P-521. */
    public static KeyRules standard() {
        return new KeyRules(Set.of("RSA", "EC"), 2048, RSA_CAP, Set.of("P-256", "P-384", "P-521"));
    }

    /** The same rules with a larger RSA minimum ({@code msPKI-Minimal-Key-Size}). */
    public KeyRules withMinimalRsaBits(int bits) {
        return new KeyRules(algorithms, Math.max(2048, bits), maximalRsaBits, curves);
    }
}
