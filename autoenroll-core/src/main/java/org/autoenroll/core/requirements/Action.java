package org.autoenroll.core.requirements;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing the caller should do now, as the requirements list says it (seed 002's
 * autoenrollment processing, done on the server).
 *
 * @param kind what to do
 * @param template the template concerned (for COLLECT, the template the request waits for)
 * @param serial for RENEW and REPLACE, the certificate (upper-case hex) to renew or replace
 * @param requestId for COLLECT, the request to collect
 * @param reason why, in an operator's words
 */
public record Action(Kind kind, String template, String serial, String requestId, String reason) {
    /** The kinds of action, in the order a client should take them. */
    public enum Kind {
        /** Collect a request that was pending ({@code GET /api/v1/requests/{id}}). */
        COLLECT,
        /** Renew the certificate (enroll with {@code renewSerial}): it is inside its renewal window. */
        RENEW,
        /** Enroll anew in place of the certificate: it is revoked, or of an older major revision. */
        REPLACE,
        /** Enroll: no valid certificate of the template is held. */
        ENROLL
    }

    public Action {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if ((kind == Kind.RENEW || kind == Kind.REPLACE) && serial == null) {
            throw new IllegalArgumentException(kind + " names the certificate's serial");
        }
        if (kind == Kind.COLLECT && requestId == null) {
            throw new IllegalArgumentException("COLLECT names the request");
        }
        if (kind != Kind.COLLECT && template == null) {
            throw new IllegalArgumentException(kind + " names the template");
        }
    }

    public Optional<String> certificateSerial() {
        return Optional.ofNullable(serial);
    }

    public Optional<String> request() {
        return Optional.ofNullable(requestId);
    }
}
