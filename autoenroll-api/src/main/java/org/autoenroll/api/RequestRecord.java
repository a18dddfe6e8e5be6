package org.autoenroll.api;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An enrollment request as recorded: pending approval, approved or denied by an officer, or issued
 * with the serial of its certificate. A pending request keeps what the client sent, so that once
 * approved it runs through every check again (the account may have been disabled meanwhile) and
 * is signed when its owner collects it.
 *
 * @param id the request id given to the client
 * @param customerUri the customer
 * @param owner the principal who asked
 * @param state where it stands
 * @param serial the certificate's serial once issued, else null
 * @param createdAt when it was received
 * @param submitted what the client sent, for a request that pended; null for one issued at once
 * @param decidedBy the officer who approved or denied it, else null
 * @param decidedAt when, else null
 * @since 0.1
 */
public record RequestRecord(String id, String customerUri, String owner, State state, BigInteger serial, Instant createdAt,
                            Submitted submitted, String decidedBy, Instant decidedAt) {
    /** Pending requests older than this are expired (60 days, as in Windows autoenrollment: docs/ARCHITECTURE.md, Sources). */
    public static final Duration PENDING_LIFETIME = Duration.ofDays(60);

    /** Where a request stands. */
    public enum State { PENDING, APPROVED, DENIED, ISSUED }

    /**
     * What the client sent with a request that pended.
     *
     * @param template the template it waits for
     */
    public record Submitted(String template, String orgId, String email, String commonName, String csrPem,
                            String renewSerial) {
        public Submitted {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(csrPem, "csrPem");
        }
    }

    public RequestRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerUri, "customerUri");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((state == State.ISSUED) != (serial != null)) {
            throw new IllegalArgumentException("an issued request has a serial, the others none");
        }
        if ((state == State.APPROVED || state == State.DENIED) && decidedBy == null) {
            throw new IllegalArgumentException("an approved or denied request names who decided");
        }
        if (state != State.ISSUED && submitted == null) {
            throw new IllegalArgumentException("a request that waits keeps what the client sent");
        }
    }

    /** A request issued at once. */
    public RequestRecord(String id, String customerUri, String owner, State state, BigInteger serial, Instant createdAt) {
        this(id, customerUri, owner, state, serial, createdAt, null, null, null);
    }

    /** A new pending request. */
    public static RequestRecord pending(String id, String customerUri, String owner, Instant createdAt, Submitted submitted) {
        return new RequestRecord(id, customerUri, owner, State.PENDING, null, createdAt,
                Objects.requireNonNull(submitted, "submitted"), null, null);
    }

    public Optional<BigInteger> certificateSerial() {
        return Optional.ofNullable(serial);
    }

    public Optional<Submitted> submission() {
        return Optional.ofNullable(submitted);
    }

    /** Pending (or approved and never collected) for longer than {@link #PENDING_LIFETIME} at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return (state == State.PENDING || state == State.APPROVED) && !now.isBefore(createdAt.plus(PENDING_LIFETIME));
    }
}
