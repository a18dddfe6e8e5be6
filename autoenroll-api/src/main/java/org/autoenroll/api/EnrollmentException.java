package org.autoenroll.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A refusal or failure with its code from the {@link ErrorCode} catalogue, or an integrator's
 * {@link ExtensionCode} that refines one, and a detail that says precisely what was wrong.
 *
 * <p>The detail is shown to the client and written to the log: it must never hold a password, a
 * key, a ticket, a token or a stack trace. The cause, if any, stays on the server.
 *
 * @since 0.1
 */
public class EnrollmentException extends Exception {
    private final ErrorCode code;
    private final ExtensionCode extension;
    private final String detail;

    public EnrollmentException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public EnrollmentException(ErrorCode code, String detail, Throwable cause) {
        super(Objects.requireNonNull(code, "code").name() + " (" + code.code() + "): " + detail, cause);
        this.code = code;
        this.extension = null;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** A refusal with an integrator's code; {@link #code()} answers the catalogue code it refines. */
    public EnrollmentException(ExtensionCode extension, String detail) {
        this(extension, detail, null);
    }

    public EnrollmentException(ExtensionCode extension, String detail, Throwable cause) {
        super(Objects.requireNonNull(extension, "extension").name() + " (" + extension.number() + "): " + detail, cause);
        this.code = extension.refines();
        this.extension = extension;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** The catalogue code: the one raised, or the one an {@link #extension()} refines. */
    public ErrorCode code() {
        return code;
    }

    /** The integrator's code, when one was raised. */
    public Optional<ExtensionCode> extension() {
        return Optional.ofNullable(extension);
    }

    /** The number clients see: the extension's when there is one, else the catalogue's. */
    public int number() {
        return extension != null ? extension.number() : code.code();
    }

    /** The stable name clients see, like {@link #number()}. */
    public String codeName() {
        return extension != null ? extension.name() : code.name();
    }

    /** The message text clients see, like {@link #number()}. */
    public String codeMessage() {
        return extension != null ? extension.message() : code.message();
    }

    /** The operator hints, like {@link #number()}. */
    public List<String> hints() {
        return extension != null ? extension.hints() : code.hints();
    }

    /** The HTTP status to answer with, like {@link #number()}. */
    public int httpStatus() {
        return extension != null ? extension.httpStatus() : code.httpStatus();
    }

    /** What exactly was wrong, safe to show to the client. */
    public String detail() {
        return detail;
    }
}
