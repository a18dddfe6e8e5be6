package org.autoenroll.ca;

import java.util.Objects;

/**
 * The built-in CA could not start: its keystore is unreadable, the password is wrong or
 * unavailable, or the key could not be generated or stored. The message names the keystore path
 * and the reason, never the password.
 */
public final class CaStartupException extends Exception {
    /** Why the CA did not start; tests and operators act on this, not on the message. */
    public enum Reason {
        /** The password reference could not be resolved (environment variable unset, file unreadable). */
        PASSWORD_UNAVAILABLE,
        /** The keystore exists but the password does not open it. */
        WRONG_PASSWORD,
        /** The keystore cannot be read or holds no usable CA key and certificate. */
        KEYSTORE_INVALID,
        /** The key or the CA certificate could not be generated, or the keystore not written. */
        CREATION_FAILED,
        /** The crypto provider the settings require ({@link CryptoProviderChoice#ACCP}) cannot load here. */
        CRYPTO_PROVIDER_UNAVAILABLE
    }

    private final Reason reason;

    public CaStartupException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
