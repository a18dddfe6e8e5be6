package org.autoenroll.core.csr;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A PKCS#10 request that {@link CsrChecker} accepted: its signature proves possession of the key,
 * the key is strong enough, and every name it asks for belongs to the caller. Only the checker
 * creates these. Immutable.
 */
public final class CheckedCsr {
    private final PublicKey publicKey;
    private final String keyDescription;

    CheckedCsr(PublicKey publicKey, String keyDescription) {
        this.publicKey = Objects.requireNonNull(publicKey);
        this.keyDescription = keyDescription;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** For logs: {@code RSA 2048} or {@code EC P-256}. */
    public String keyDescription() {
        return keyDescription;
    }
}
