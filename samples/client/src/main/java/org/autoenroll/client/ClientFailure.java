package org.autoenroll.client;

import java.util.List;
import org.autoenroll.api.ErrorCode;

/**
 * A failure the client reports: one of the client-side codes 31-41 (with the seed's message and
 * hints), or a server's refusal carried over as it answered (its code, name, message, hints).
 * {@code detail} says what happened here; it never holds a key, password or ticket.
 */
final class ClientFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String name;
    private final String codeMessage;
    private final List<String> hints;

    ClientFailure(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    ClientFailure(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code.code();
        this.name = code.name();
        this.codeMessage = code.message();
        this.hints = code.hints();
    }

    /** A refusal as the server answered it (its error body). */
    ClientFailure(int code, String name, String message, List<String> hints, String detail) {
        super(detail);
        this.code = code;
        this.name = name;
        this.codeMessage = message;
        this.hints = List.copyOf(hints);
    }

    int code() {
        return code;
    }

    String codeName() {
        return name;
    }

    /** What a user sees: code, name, message, detail, then one hint a line. */
    String report() {
        StringBuilder out = new StringBuilder("error ").append(code).append(' ').append(name).append(": ").append(codeMessage);
        if (getMessage() != null && !getMessage().isBlank()) {
            out.append(" (").append(getMessage()).append(')');
        }
        for (String hint : hints) {
            out.append("\n  hint: ").append(hint);
        }
        return out.toString();
    }
}
