package org.autoenroll.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {
    @Test
    void env_resolvesFromGivenEnvironment() throws IOException {
        assertArrayEquals("s3cret".toCharArray(), SecretRef.parse("env:BIND_PW").resolve(Map.of("BIND_PW", "s3cret")));
    }

    @Test
    void env_missingVariable_isAnError() {
        assertThrows(IOException.class, () -> SecretRef.parse("env:NOPE").resolve(Map.of()));
    }

    @Test
    void file_resolvesWithoutTrailingNewline(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret\n");
        assertArrayEquals("s3cret".toCharArray(), SecretRef.parse("file:" + file).resolve(Map.of()));
    }

    @Test
    void parse_refusesLiteralValues() {
        assertThrows(IllegalArgumentException.class, () -> SecretRef.parse("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> SecretRef.parse("env:"));
    }

    @Test
    void toString_neverShowsTheSecret() {
        assertFalse(SecretRef.literal("s3cret".toCharArray()).toString().contains("s3cret"));
        assertEquals("env:BIND_PW", SecretRef.parse("env:BIND_PW").toString());
    }
}
