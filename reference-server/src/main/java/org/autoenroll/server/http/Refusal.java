package org.autoenroll.server.http;

import java.util.Set;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * A refusal the {@link Router} answers before any endpoint runs, with an HTTP status that may
 * differ from its code's (404 and 405 carry 60 and 44, 415 carries 44). {@code allowed} lists the
 * methods of the path for 405 and OPTIONS.
 */
final class Refusal extends Exception {
    final int status;
    final ErrorCode code;
    final String detail;
    final Set<String> allowed;

    Refusal(int status, ErrorCode code, String detail, Set<String> allowed) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.allowed = Set.copyOf(allowed);
    }

    Refusal(int status, ErrorCode code, String detail) {
        this(status, code, detail, Set.of());
    }

    static Refusal of(EnrollmentException e) {
        return new Refusal(e.code().httpStatus(), e.code(), e.detail());
    }
}
