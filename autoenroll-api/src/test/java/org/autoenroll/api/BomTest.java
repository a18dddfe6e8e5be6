package org.autoenroll.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM (which has no parent, on purpose) stays at the build's version and lists every published module. */
class BomTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern VERSION = Pattern.compile("<version>([^<$]+)</version>");

    @Test
    void bom_sameVersionAsTheBuildAndEveryPublishedModule() throws Exception {
        String parent = Files.readString(Path.of("..", "pom.xml"));
        String bom = Files.readString(Path.of("..", "autoenroll-bom", "pom.xml"));
        assertEquals(first(VERSION, parent), first(VERSION, bom), "autoenroll-bom's version");

        TreeSet<String> published = new TreeSet<>(all(MODULE, parent));
        // not libraries: the examples, the enrollment client (a command), the release tarball, the BOM itself
        published.removeAll(List.of("samples", "samples/client", "distribution", "autoenroll-bom"));
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
        assertEquals(published, new TreeSet<>(all(ARTIFACT, managed)));
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
