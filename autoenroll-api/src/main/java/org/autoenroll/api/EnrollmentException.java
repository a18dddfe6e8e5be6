package org.autoenroll.api;

import java.util.Objects;

/**
 * A refusal or failure with its code from the {@link ErrorCode} catalogue and a detail that says
 * precisely what was wrong.
 *
 * <p>The detail is shown to the client and written to the log: it must never hold a password, a
 * key, a ticket, a token or a stack trace. The cause, if any, stays on the server.
 */
public class EnrollmentException extends Exception {
    private final ErrorCode code;
    private final String detail;

    public EnrollmentException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public EnrollmentException(ErrorCode code, String detail, Throwable cause) {
        super(Objects.requireNonNull(code, "code").name() + " (" + code.code() + "): " + detail, cause);
        this.code = code;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public ErrorCode code() {
        return code;
    }

    /** What exactly was wrong, safe to show to the client. */
    public String detail() {
        return detail;
    }
}
