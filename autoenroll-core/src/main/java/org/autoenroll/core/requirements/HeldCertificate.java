package org.autoenroll.core.requirements;

import java.util.Objects;

/**
 * A certificate as the client sees it in its own store (seed 002's processing of the MY store):
 * its serial and whether it is still of use there.
 *
 * @param serial upper- or lower-case hex, as the client read it
 * @param state what the client sees
 */
public record HeldCertificate(String serial, LocalState state) {
    /** What the client sees of a certificate it holds. */
    public enum LocalState {
        /** Present with its private key and valid. */
        VALID,
        /** Present, but the private key is gone: it needs replacing. */
        NO_PRIVATE_KEY,
        /** Present and expired. */
        EXPIRED
    }

    public HeldCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(state, "state");
    }
}
