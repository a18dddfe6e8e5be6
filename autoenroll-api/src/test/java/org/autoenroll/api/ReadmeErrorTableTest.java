package org.autoenroll.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's error table is what operators read: it must say what the catalogue says. */
class ReadmeErrorTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| `([A-Z_0-9]+)` \\| (.+?) \\| (\\d+|client) \\|");

    @Test
    void readmeTable_listsEveryCodeWithNameMessageAndStatus() throws IOException {
        Map<Integer, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.put(Integer.parseInt(row.group(1)), row.group(2) + " | " + row.group(3) + " | " + row.group(4));
            }
        }
        Map<Integer, String> catalogue = new LinkedHashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            catalogue.put(code.code(), code.name() + " | " + code.message() + " | "
                    + (code.isServerSide() ? String.valueOf(code.httpStatus()) : "client"));
        }
        assertEquals(catalogue, documented);
    }
}
