package org.autoenroll.server.http;

import java.util.List;
import java.util.Map;

/**
 * Reloads the server's configuration file (tenants, AD servers, templates, keytabs) as a whole: the
 * complete new configuration is built first and swapped in at once, or refused whole while the old
 * one keeps running. Implementations are thread-safe and run one reload at a time.
 */
@FunctionalInterface
public interface ConfigReloading {
    /** Reloads now; never throws for a bad file: the refusal is the outcome. */
    Outcome reload();

    /**
     * What a reload did.
     *
     * @param reloaded true when the new configuration now serves requests
     * @param problems when refused, each problem in plain words ({@code templates[0].name: required})
     * @param summary when reloaded, what it holds (counts, names, digest; never a secret)
     * @param warnings when reloaded, what the start-up checks warn about
     */
    record Outcome(boolean reloaded, List<String> problems, Map<String, Object> summary, List<String> warnings) {
        public Outcome {
            problems = List.copyOf(problems);
            summary = summary == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
            warnings = List.copyOf(warnings);
        }

        public static Outcome refused(List<String> problems) {
            return new Outcome(false, problems, null, List.of());
        }

        public static Outcome reloaded(Map<String, Object> summary, List<String> warnings) {
            return new Outcome(true, List.of(), summary, warnings);
        }
    }
}
