package org.autoenroll.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs of a subcommand, each allowed name at most once. */
final class Options {
    private Options() {
    }

    /**
     * @throws IllegalArgumentException for an unknown or repeated flag, or a flag without value
     */
    static Map<String, String> parse(String[] args, String... allowed) {
        List<String> known = List.of(allowed);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown argument " + flag);
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            if (options.put(flag, args[++i]) != null) {
                throw new IllegalArgumentException(flag + " is given twice");
            }
        }
        return options;
    }
}
