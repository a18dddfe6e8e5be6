package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line, parsed by hand. */
class MainTest {
    @Test
    void parse_demoDefaults() {
        Main.Arguments arguments = Main.parse(new String[] {"--demo"});

        assertTrue(arguments.demo());
        assertEquals(Path.of("demo-data"), arguments.dataDir());
        assertEquals(8443, arguments.port());
    }

    @Test
    void parse_demoWithDirAndPort() {
        Main.Arguments arguments = Main.parse(new String[] {"--demo", "--data-dir", "/tmp/x", "--port", "0"});

        assertEquals(Path.of("/tmp/x"), arguments.dataDir());
        assertEquals(0, arguments.port());
    }

    @Test
    void parse_config() {
        assertEquals(Path.of("a.yaml"), Main.parse(new String[] {"--config", "a.yaml"}).config());
    }

    @Test
    void parse_help_null() {
        assertNull(Main.parse(new String[] {"--help"}));
    }

    @Test
    void parse_unknownFlag_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--demo", "--verbose"}));
        assertTrue(e.getMessage().contains("--verbose"));
    }

    @Test
    void parse_neitherOrBoth_refused() {
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--demo", "--config", "a.yaml"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--config", "a.yaml", "--port", "1"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--demo", "--port", "http"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--demo", "--port"}));
    }
}
