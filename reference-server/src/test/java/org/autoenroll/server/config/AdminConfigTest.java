package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The {@code admin} section: named operators with roles and tokens of their own, and the older single token. */
class AdminConfigTest {
    private static final String LONG_A = "auditor-token-0123456789-abcdef";
    private static final String LONG_B = "officer-token-0123456789-abcdef";
    private static final Map<String, String> ENV = Map.of(
            "AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y", "AUTOENROLL_CA_PASSWORD", "z",
            "AUDITOR_TOKEN", LONG_A, "OFFICER_TOKEN", LONG_B, "SHORT_TOKEN", "short", "SAME_AS_AUDITOR", LONG_A);

    @TempDir
    Path dir;
    String example;

    @BeforeEach
    void example() throws IOException {
        try (InputStream in = AdminConfigTest.class.getResourceAsStream("/example-config.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/server.p12"), "p12");
        Files.createDirectories(dir.resolve("keytabs"));
        Files.writeString(dir.resolve("keytabs/example.com.keytab"), "keytab");
        Files.writeString(dir.resolve("ad-ca.pem"), "pem");
    }

    private ServerConfig load(String admin) throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), example + "\nadmin:\n" + admin);
        return new ConfigLoader(ENV).load(file);
    }

    private List<String> problems(String admin) {
        return assertThrows(ConfigException.class, () -> load(admin)).problems();
    }

    @Test
    void operators_withRolesAndTokens_loaded() throws Exception {
        ServerConfig config = load("""
                  token: env:OFFICER_TOKEN
                  operators:
                    - {name: audrey, token: "env:AUDITOR_TOKEN", role: auditor}
                """);
        assertEquals(List.of(new ServerConfig.Operator("audrey", "env:AUDITOR_TOKEN", "auditor")),
                config.admin().operators());
        assertEquals("env:OFFICER_TOKEN", config.admin().token());
    }

    @Test
    void tokenAlone_stillAccepted() throws Exception {
        assertTrue(load("  token: env:OFFICER_TOKEN\n").admin().operators().isEmpty());
    }

    @Test
    void operators_badNameRoleOrToken_eachNamedWithoutTheSecret() {
        List<String> problems = problems("""
                  token: env:OFFICER_TOKEN
                  operators:
                    - {name: "bad name", token: "env:AUDITOR_TOKEN", role: auditor}
                    - {name: admin, token: "env:UNSET", role: officer}
                    - {name: carol, token: "%s", role: boss}
                    - {name: dave, token: "env:SHORT_TOKEN"}
                    - {name: erin, token: "env:SAME_AS_AUDITOR", role: auditor}
                """.formatted(LONG_B));
        assertTrue(problems.contains("admin.operators[0].name: required, 1-64 letters, digits, '.', '_', '@' or '-'"),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.operators[1].name: admin is taken")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.operators[1].token: cannot read")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.operators[2].role:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.operators[2].token: must be env:NAME or file:")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.operators[3].role:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.operators[3].token: must be at least 24")),
                problems.toString());
        assertTrue(problems.contains("admin.operators[4].token: the same token as admin.operators[0].token;"
                + " each operator needs a token of their own"), problems.toString());
        assertFalse(problems.toString().contains(LONG_A) || problems.toString().contains(LONG_B), problems.toString());
    }

    @Test
    void operators_duplicateNameOrNothingConfigured_refused() {
        List<String> twice = problems("""
                  operators:
                    - {name: audrey, token: "env:AUDITOR_TOKEN", role: auditor}
                    - {name: audrey, token: "env:OFFICER_TOKEN", role: officer}
                """);
        assertEquals(List.of("admin.operators[1].name: audrey is taken"), twice);
        assertEquals(List.of("admin: give operators (name, token, role), token, or kerberos (adServer, officerGroups, auditorGroups)"),
                problems("  operators: []\n"));
    }

    @Test
    void kerberos_groupsOfAKnownAdServer_loaded_otherwiseNamedProblems() throws Exception {
        ServerConfig config = load("""
                  kerberos:
                    adServer: corp-ad
                    officerGroups: ["CN=PKI Officers,CN=Users,DC=example,DC=com"]
                    auditorGroups: ["S-1-5-21-1-2-3-1111"]
                """);
        assertEquals("corp-ad", config.admin().kerberos().adServer());
        assertEquals(List.of("S-1-5-21-1-2-3-1111"), config.admin().kerberos().auditorGroups());
        List<String> problems = problems("""
                  kerberos:
                    adServer: nowhere
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("admin.kerberos.adServer")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("officerGroups or auditorGroups")), problems.toString());
        List<String> blank = problems("""
                  kerberos:
                    adServer: corp-ad
                    officerGroups: [" "]
                """);
        assertTrue(blank.stream().anyMatch(p -> p.startsWith("admin.kerberos.officerGroups[0]")), blank.toString());
    }
}
