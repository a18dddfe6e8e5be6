package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code audit} section: a file relative to the configuration's directory; the section without it is a problem named by its key. */
class AuditConfigTest {
    private static final Map<String, String> ENV = Map.of(
            "AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y", "AUTOENROLL_CA_PASSWORD", "z");

    @TempDir
    Path dir;
    String example;

    @BeforeEach
    void example() throws IOException {
        try (InputStream in = AuditConfigTest.class.getResourceAsStream("/example-config.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the example's own audit section is replaced by each test's
        example = example.substring(0, example.indexOf("\naudit:\n"));
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/server.p12"), "p12");
        Files.createDirectories(dir.resolve("keytabs"));
        Files.writeString(dir.resolve("keytabs/example.com.keytab"), "keytab");
        Files.writeString(dir.resolve("ad-ca.pem"), "pem");
    }

    private ServerConfig load(String audit) throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), example + "\n" + audit);
        return new ConfigLoader(ENV).load(file);
    }

    @Test
    void auditFile_isResolvedAgainstTheConfigurationsDirectory() throws Exception {
        assertEquals(dir.resolve("logs/audit.log"), load("audit:\n  file: logs/audit.log\n").audit().file());
    }

    @Test
    void noAuditSection_noAuditLog() throws Exception {
        assertNull(load("").audit());
    }

    @Test
    void auditSectionWithoutFile_isAProblemNamingTheKey() {
        List<String> problems = assertThrows(ConfigException.class, () -> load("audit: {}\n")).problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("audit.file:")), problems.toString());
    }

    @Test
    void unknownKeyInAudit_isRefused() {
        List<String> problems = assertThrows(ConfigException.class, () -> load("audit:\n  fsync: false\n")).problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("audit.fsync")), problems.toString());
    }
}
