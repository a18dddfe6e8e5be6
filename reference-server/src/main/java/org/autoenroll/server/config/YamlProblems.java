package org.autoenroll.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns what the YAML reader throws into one problem in an operator's words: the key path, what was
 * expected and what was found, and where ({@code listen.port: must be a whole number, got "abc"
 * (line 8, column 9)}), never the library's class names or token names. A value is echoed only when
 * its key cannot hold a secret, and then shortened. Stateless.
 */
final class YamlProblems {
    private static final int MAX_ECHO = 60;
    private static final Pattern MARK = Pattern.compile("in '[^']*', line (\\d+), column (\\d+)");
    /** Keys whose values are never echoed, even when they are wrongly typed. */
    private static final List<String> SECRET_WORDS = List.of("password", "pin", "token", "secret");

    private YamlProblems() {
    }

    /** The problem when the text is not YAML, or writes a key twice (the first reading, into a tree). */
    static String syntax(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Duplicate field")) {
            // the reader's context is at the repeated key
            JsonLocation key = e.getProcessor() instanceof JsonParser parser ? parser.currentTokenLocation() : null;
            return contextPath(e) + ": the key is written twice" + at(key != null && key.getLineNr() > 0 ? key : e.getLocation())
                    + "; keep one (a later value would silently win)";
        }
        // the YAML reader's message ends with the mark of the problem: "in 'reader', line 3, column 1:"
        Matcher mark = MARK.matcher(message);
        String where = null;
        while (mark.find()) {
            where = "line " + mark.group(1) + ", column " + mark.group(2);
        }
        JsonLocation location = e.getLocation();
        if (where == null) {
            where = location == null || location.getLineNr() < 1 ? "(file)"
                    : "line " + location.getLineNr() + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "");
        }
        return where + ": not valid YAML: " + syntaxProblem(message);
    }

    /**
     * The problem when well-formed YAML does not fit {@link ServerConfig}: an unknown key or a value of
     * the wrong kind. Jackson reads records through a buffer, so where it stopped is not where the
     * problem is: {@code yaml} is read again to the key path the exception names.
     */
    static String mapping(JsonMappingException e, YAMLFactory factory, byte[] yaml) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownKey(unknown, YamlLocator.find(factory, yaml, e.getPath(), true));
        }
        if (e.getPath().isEmpty()) {
            return "(root): must be a section of keys";
        }
        YamlLocator.Found found = YamlLocator.find(factory, yaml, e.getPath(), false);
        return path(e) + ": " + typeProblem(e, found) + at(found == null ? null : found.location());
    }

    private static String unknownKey(UnrecognizedPropertyException e, YamlLocator.Found key) {
        String name = e.getPropertyName();
        List<String> known = e.getKnownPropertyIds() == null ? List.of()
                : e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
        String nearest = known.stream().filter(k -> distance(k.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))
                        <= Math.max(2, name.length() / 3))
                .min(Comparator.comparingInt(k -> distance(k.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))))
                .orElse(null);
        String advice = nearest != null ? "; did you mean " + nearest + "?"
                : known.isEmpty() ? "" : "; the keys here are " + String.join(", ", known);
        return path(e) + ": unknown key" + at(key == null ? null : key.location()) + advice;
    }

    private static String typeProblem(JsonMappingException e, YamlLocator.Found found) {
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        String expected = expected(target);
        if (expected == null) {
            return "invalid value";
        }
        boolean secret = isSecretKey(lastKey(e));
        String got;
        if (found != null) {
            got = found(found.token(), found.text(), secret);
        } else if (e instanceof InvalidFormatException invalid && !secret) {
            got = quote(String.valueOf(invalid.getValue()));
        } else {
            got = "something else";
        }
        return "must be " + expected + ", got " + got;
    }

    /** What a value of {@code type} is, in words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Path.class) {
            return "a file path";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a section of keys";
        }
        return "a value of another kind";
    }

    /** What the reader is at, in words; a scalar is quoted unless it may be a secret. */
    private static String found(JsonToken token, String text, boolean secret) {
        if (token == null) {
            return "something else";
        }
        return switch (token) {
            case START_ARRAY, END_ARRAY -> "a list";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "a section of keys";
            case VALUE_NULL -> "nothing";
            default -> {
                if (secret) {
                    yield token.isNumeric() ? "a number" : "a value of another kind";
                }
                yield quote(text);
            }
        };
    }

    private static String quote(String value) {
        String shown = value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "..." : value;
        StringBuilder out = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.append('"').toString();
    }

    /** The YAML reader's own sentence: the one just before its last mark, without the quoted source lines. */
    private static String syntaxProblem(String message) {
        List<String> lines = message.lines().map(String::strip).toList();
        int lastMark = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("in '")) {
                lastMark = i;
            }
        }
        for (int i = (lastMark < 0 ? lines.size() : lastMark) - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (!line.isEmpty() && !line.startsWith("in '") && !line.startsWith("^") && !line.startsWith("at [Source")) {
                return line.replace("\t", "\\t");
            }
        }
        return "cannot be read";
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "") + ")";
    }

    private static boolean isSecretKey(String key) {
        String lower = key == null ? "" : key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    private static String lastKey(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i).getFieldName() != null) {
                return path.get(i).getFieldName();
            }
        }
        return null;
    }

    /** {@code customers[0].uri} from Jackson's reference path. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    /** The key path of the reader's current context ({@code adServers[0].ssl}), for errors raised while reading. */
    private static String contextPath(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return "(file)";
        }
        JsonStreamContext context = parser.getParsingContext();
        StringBuilder sb = new StringBuilder();
        for (JsonPointer pointer = context.pathAsPointer(); pointer != null && !pointer.matches(); pointer = pointer.tail()) {
            if (pointer.mayMatchElement()) {
                sb.append('[').append(pointer.getMatchingIndex()).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(pointer.getMatchingProperty());
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    /** Edit distance, for "did you mean". Keys are short. */
    static int distance(String a, String b) {
        Objects.requireNonNull(a);
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
