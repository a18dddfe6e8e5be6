package org.autoenroll.server.config;

import java.util.List;

/**
 * The configuration file cannot be used: each problem names the key path it concerns, e.g.
 * {@code customers[0].uri: required}. Immutable.
 */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(source + ": " + problems.size() + " configuration problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code path: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
