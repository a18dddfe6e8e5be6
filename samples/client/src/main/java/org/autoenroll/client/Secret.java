package org.autoenroll.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given on the command line as {@code env:NAME} (read from the environment),
 * {@code file:PATH} (its first line), or, for the demo only, the value itself. Nothing here
 * prints the value; {@link #toString()} says where it came from.
 */
final class Secret {
    private static final int MAX_FILE_BYTES = 4096;

    private final String source;
    private final char[] value;

    private Secret(String source, char[] value) {
        this.source = source;
        this.value = value;
    }

    static Secret parse(String option, String given) {
        if (given.startsWith("env:")) {
            String name = given.substring(4);
            String value = System.getenv(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(option + ": environment variable " + name + " is not set");
            }
            return new Secret("env:" + name, value.toCharArray());
        }
        if (given.startsWith("file:")) {
            Path file = Path.of(given.substring(5));
            try {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    throw new IllegalArgumentException(option + ": " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                return new Secret("file:" + file, (end < 0 ? text : text.substring(0, end)).strip().toCharArray());
            } catch (IOException e) {
                throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getClass().getSimpleName());
            }
        }
        return new Secret("the command line", given.toCharArray());
    }

    char[] value() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "secret from " + source;
    }
}
