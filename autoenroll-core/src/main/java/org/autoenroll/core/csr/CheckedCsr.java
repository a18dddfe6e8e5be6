package org.autoenroll.core.csr;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.RequestedKey;

/**
 * A PKCS#10 request that {@link CsrChecker} accepted: its signature proves possession of the key,
 * the key is strong enough, and every name it asks for belongs to the caller. Only the checker
 * creates these. Immutable.
 */
public final class CheckedCsr {
    private final PublicKey publicKey;
    private final RequestedKey key;
    private final byte[] der;
    private final String templateHint;

    CheckedCsr(PublicKey publicKey, RequestedKey key, byte[] der, String templateHint) {
        this.publicKey = Objects.requireNonNull(publicKey);
        this.key = Objects.requireNonNull(key);
        this.der = der.clone();
        this.templateHint = templateHint;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Algorithm and size of the key, as template key rules see it. */
    public RequestedKey key() {
        return key;
    }

    /** For logs: {@code RSA 2048} or {@code EC P-256}. */
    public String keyDescription() {
        return key.toString();
    }

    /** The request's DER, as received. */
    public byte[] der() {
        return der.clone();
    }

    /**
     * The template the CSR names in Microsoft's extensions, as Windows and certmonger put it there:
     * the name of 1.3.6.1.4.1.311.20.2 (BMPString), else the OID of 1.3.6.1.4.1.311.21.7.
     */
    public Optional<String> templateHint() {
        return Optional.ofNullable(templateHint);
    }
}
