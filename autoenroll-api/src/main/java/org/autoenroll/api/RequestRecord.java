package org.autoenroll.api;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An enrollment request as recorded: pending approval, or issued with the serial of its certificate.
 *
 * @param id the request id given to the client
 * @param customerUri the customer
 * @param owner the principal who asked
 * @param state pending or issued
 * @param serial the certificate's serial once issued, else null
 * @param createdAt when it was received
 */
public record RequestRecord(String id, String customerUri, String owner, State state, BigInteger serial, Instant createdAt) {
    /** Where a request stands. */
    public enum State { PENDING, ISSUED }

    public RequestRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((state == State.ISSUED) != (serial != null)) {
            throw new IllegalArgumentException("an issued request has a serial, a pending one none");
        }
    }

    public Optional<BigInteger> certificateSerial() {
        return Optional.ofNullable(serial);
    }
}
