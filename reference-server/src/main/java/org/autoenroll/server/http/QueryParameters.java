package org.autoenroll.server.http;

import java.util.Deque;
import java.util.Map;
import java.util.Set;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * The query parameters of an administration GET, checked: only the known ones, each at most once,
 * none longer than {@link #MAX_CHARS}; anything else is {@link ErrorCode#MALFORMED_REQUEST} (44),
 * naming the parameter (never echoing its value). Immutable.
 */
final class QueryParameters {
    /** Longer than any owner, template, customer URI or cursor the server keeps. */
    static final int MAX_CHARS = 1024;

    private final Map<String, Deque<String>> query;

    private QueryParameters(Map<String, Deque<String>> query) {
        this.query = query;
    }

    static QueryParameters check(Map<String, Deque<String>> query, Set<String> known) throws EnrollmentException {
        for (Map.Entry<String, Deque<String>> parameter : query.entrySet()) {
            if (!known.contains(parameter.getKey())) {
                throw malformed("unknown parameter; known: " + String.join(", ", known.stream().sorted().toList()));
            }
            if (parameter.getValue().size() != 1) {
                throw malformed("parameter " + parameter.getKey() + " is given more than once");
            }
            if (parameter.getValue().getFirst().length() > MAX_CHARS) {
                throw malformed("parameter " + parameter.getKey() + " is longer than " + MAX_CHARS + " characters");
            }
        }
        return new QueryParameters(query);
    }

    /** The value, or null when absent; an empty value counts as absent. */
    String get(String name) {
        Deque<String> values = query.get(name);
        return values == null || values.getFirst().isEmpty() ? null : values.getFirst();
    }

    /** A whole number within bounds, or {@code otherwise} when absent. */
    int number(String name, int min, int max, int otherwise) throws EnrollmentException {
        String value = get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw malformed(name + " must be a whole number between " + min + " and " + max);
    }

    static EnrollmentException malformed(String detail) {
        return new EnrollmentException(ErrorCode.MALFORMED_REQUEST, detail);
    }
}
