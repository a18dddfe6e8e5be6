package org.autoenroll.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An error code of an integrator's own, from the range reserved for them ({@value #FIRST} to
 * {@value #LAST}), for refusals the {@link ErrorCode} catalogue has no precise code for: an HR
 * directory's "employee on leave", a CA's "quota exhausted". The catalogue stays closed and
 * stable; an integrator declares such codes as constants of their own and raises them with
 * {@link EnrollmentException#EnrollmentException(ExtensionCode, String)}.
 *
 * <p>Each extension code <em>refines</em> a catalogue code: {@link EnrollmentException#code()}
 * answers that one, so that everything that knows only the catalogue (logs, metrics,
 * {@link ErrorCode#isRetryable()}, clients) keeps working, while the error body shows the
 * extension's number, name, message and hints. Its HTTP status is the refined code's unless set.
 *
 * <pre>{@code
 * static final ExtensionCode ON_LEAVE = ExtensionCode.of(1001, "EMPLOYEE_ON_LEAVE", "Employee on leave..",
 *         ErrorCode.ACCOUNT_DISABLED, "HR marks the employee as on leave; enrollment resumes on return.");
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal when number, name, message, status, refined code and hints are.
 *
 * @since 0.1
 */
public final class ExtensionCode {
    /** The first number integrators may use; the catalogue's numbers stay below it. */
    public static final int FIRST = 1000;
    /** The last number integrators may use. */
    public static final int LAST = 1999;

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{1,62}");
    private static final int MAX_TEXT = 300;

    private final int number;
    private final String name;
    private final String message;
    private final int httpStatus;
    private final ErrorCode refines;
    private final List<String> hints;

    private ExtensionCode(int number, String name, String message, int httpStatus, ErrorCode refines, List<String> hints) {
        this.number = number;
        this.name = name;
        this.message = message;
        this.httpStatus = httpStatus;
        this.refines = refines;
        this.hints = hints;
    }

    /**
     * @param number from {@value #FIRST} to {@value #LAST}
     * @param name a stable upper-case name ({@code [A-Z][A-Z0-9_]+}), not one of the catalogue's
     * @param message the short message clients show, like the catalogue's
     * @param refines the catalogue code it is a case of; a server-side one
     * @param hints what an operator can check, most likely first
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ExtensionCode of(int number, String name, String message, ErrorCode refines, String... hints) {
        if (number < FIRST || number > LAST) {
            throw new IllegalArgumentException("extension code " + number + " is outside the integrators' range "
                    + FIRST + "-" + LAST + "; the catalogue's codes are below " + FIRST);
        }
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("extension code " + number + ": name '" + name
                    + "' must be upper case letters, digits and _ (2-63 characters)");
        }
        if (Arrays.stream(ErrorCode.values()).anyMatch(c -> c.name().equals(name))) {
            throw new IllegalArgumentException("extension code " + number + ": name " + name + " is the catalogue's");
        }
        Objects.requireNonNull(refines, "refines");
        if (!refines.isServerSide()) {
            throw new IllegalArgumentException("extension code " + number + " refines " + refines
                    + ", which only clients raise");
        }
        List<String> hintList = List.of(hints);
        text(number, "message", message);
        hintList.forEach(hint -> text(number, "hint", hint));
        return new ExtensionCode(number, name, message, refines.httpStatus(), refines, hintList);
    }

    /** The same code answered with another HTTP status (400-599). */
    public ExtensionCode withHttpStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("extension code " + number + ": HTTP status " + status
                    + " is not an error status (400-599)");
        }
        return new ExtensionCode(number, name, message, status, refines, hints);
    }

    private static void text(int number, String what, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("extension code " + number + ": " + what
                    + " must be non-blank text of at most " + MAX_TEXT + " characters without control characters");
        }
    }

    /** The stable number, from {@value #FIRST} to {@value #LAST}. */
    public int number() {
        return number;
    }

    public String name() {
        return name;
    }

    public String message() {
        return message;
    }

    /** The HTTP status the reference server answers with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The catalogue code this one is a case of. */
    public ErrorCode refines() {
        return refines;
    }

    public List<String> hints() {
        return hints;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExtensionCode that && number == that.number && httpStatus == that.httpStatus
                && name.equals(that.name) && message.equals(that.message) && refines == that.refines
                && hints.equals(that.hints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, name, message, httpStatus, refines, hints);
    }

    @Override
    public String toString() {
        return name + " (" + number + ", refines " + refines.name() + " (" + refines.code() + "))";
    }
}
