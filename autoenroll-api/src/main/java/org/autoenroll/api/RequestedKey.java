package org.autoenroll.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The public key of a CSR, as the policy sees it: algorithm and size, read before any signature
 * work so that a template's key rules refuse what they do not accept cheaply.
 *
 * @param algorithm {@code RSA} or {@code EC}
 * @param bits the RSA modulus length or the curve's field size
 * @param curve the named curve of an EC key ({@code P-256}), else null
 * @since 0.2
 */
public record RequestedKey(String algorithm, int bits, String curve) {
    public RequestedKey {
        Objects.requireNonNull(algorithm, "algorithm");
        if (bits <= 0) {
            throw new IllegalArgumentException("key size must be positive");
        }
    }

    public Optional<String> namedCurve() {
        return Optional.ofNullable(curve);
    }

    /** Whether {@code rules} accept this key. */
    public boolean satisfies(KeyRules rules) {
        if (!rules.algorithms().contains(algorithm)) {
            return false;
        }
        if ("RSA".equals(algorithm)) {
            return bits >= rules.minimalRsaBits() && bits <= rules.maximalRsaBits();
        }
        return curve != null && rules.curves().contains(curve);
    }

    @Override
    public String toString() {
        return "RSA".equals(algorithm) ? "RSA " + bits : algorithm + " " + (curve != null ? curve : bits + " bits");
    }
}
