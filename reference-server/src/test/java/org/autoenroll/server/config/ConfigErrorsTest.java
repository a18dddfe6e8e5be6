package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads when the configuration file is wrong (issue 13, item 6): where (file, line,
 * column, key path) and what, in plain words, without the YAML library's jargon.
 */
class ConfigErrorsTest {
    private static final Map<String, String> ENV = Map.of(
            "AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y", "AUTOENROLL_CA_PASSWORD", "z");

    @TempDir
    Path dir;
    String example;

    @BeforeEach
    void example() throws IOException {
        try (InputStream in = ConfigErrorsTest.class.getResourceAsStream("/example-config.yaml")) {
            example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/server.p12"), "p12");
        Files.createDirectories(dir.resolve("keytabs"));
        Files.writeString(dir.resolve("keytabs/example.com.keytab"), "keytab");
        Files.writeString(dir.resolve("ad-ca.pem"), "pem");
    }

    private ConfigException refused(String yaml, Map<String, String> env) throws IOException {
        Path file = Files.writeString(dir.resolve("server.yaml"), yaml);
        return assertThrows(ConfigException.class, () -> new ConfigLoader(env).load(file));
    }

    private List<String> problems(String yaml) throws IOException {
        return refused(yaml, ENV).problems();
    }

    private static void noJargon(List<String> problems) {
        for (String problem : problems) {
            for (String jargon : List.of("Cannot deserialize", "`", "java.", "MismatchedInput", "coerc", "CoercionConfig",
                    "START_", "VALUE_", "Unrecognized field")) {
                assertFalse(problem.contains(jargon), "jargon " + jargon + " in: " + problem);
            }
        }
    }

    @Test
    void syntaxError_namesFileLineAndColumn() throws IOException {
        ConfigException e = refused("listen:\n  port: 1\n\thost: x\n", ENV);

        assertTrue(e.getMessage().contains("server.yaml"), e.getMessage());
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).matches("line 3, column \\d+: not valid YAML: .+"), e.problems().toString());
    }

    @Test
    void duplicateKey_refusedNamingKeyAndLine() throws IOException {
        List<String> problems = problems(example.replace("  port: 8443", "  port: 8443\n  port: 9443"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("listen.port: the key is written twice (line 9, column 3)"), problems.toString());
    }

    @Test
    void duplicateKeyInListItem_refused() throws IOException {
        List<String> problems = problems(example.replace("    ssl: true", "    ssl: true\n    ssl: false"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("adServers[0].ssl: the key is written twice (line 27"), problems.toString());
    }

    @Test
    void unsetEnvironmentVariable_isNamed() throws IOException {
        List<String> problems = refused(example, Map.of("AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y"))
                .problems();

        assertEquals(List.of("ca.keystorePassword: the environment variable AUTOENROLL_CA_PASSWORD is not set"), problems);
    }

    @Test
    void secretFileMissing_isNamed() throws IOException {
        List<String> problems = problems(example.replace("env:AUTOENROLL_CA_PASSWORD", "file:/nonexistent/ca.pw"));

        assertEquals(List.of("ca.keystorePassword: the file /nonexistent/ca.pw does not exist"), problems);
    }

    @Test
    void wholeNumberExpected_plainWords() throws IOException {
        List<String> problems = problems(example.replace("  port: 8443", "  port: abc"));

        assertEquals(List.of("listen.port: must be a whole number, got \"abc\" (line 8, column 9)"), problems);
    }

    @Test
    void listWhereNumberExpected_plainWords() throws IOException {
        List<String> problems = problems(example.replace("  port: 8443", "  port: [1, 2]"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("listen.port: must be a whole number, got a list (line 8, column 9)"),
                problems.toString());
    }

    @Test
    void booleanExpected_plainWords() throws IOException {
        List<String> problems = problems(example.replace("    ssl: true", "    ssl: maybe"));

        assertEquals(List.of("adServers[0].ssl: must be true or false, got \"maybe\" (line 26, column 10)"), problems);
    }

    @Test
    void textExpected_gotSection_plainWords() throws IOException {
        List<String> problems = problems(example.replace("    windowsDomain: EXAMPLE.COM", "    windowsDomain:\n      a: b"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("adServers[0].windowsDomain: must be text, got a section of keys (line 25"),
                problems.toString());
        noJargon(problems);
    }

    @Test
    void listExpected_gotText_plainWords() throws IOException {
        List<String> problems = problems(example.replace("    authorizedDomains: [example.com]", "    authorizedDomains: example.com"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("customers[0].authorizedDomains: must be a list, got \"example.com\" (line 42"),
                problems.toString());
        noJargon(problems);
    }

    @Test
    void sectionExpected_gotText_plainWords() throws IOException {
        List<String> problems = problems(example.replace("ldap:\n  trustedCertificates: ad-ca.pem\n", "ldap: fast\nx:\n  trustedCertificates: ad-ca.pem\n"));

        assertTrue(problems.get(0).startsWith("ldap: must be a section of keys, got \"fast\" (line 32"), problems.toString());
        noJargon(problems);
    }

    @Test
    void unknownKey_namesPathLineAndNearestKnownKey() throws IOException {
        List<String> problems = problems(example.replace("  port: 8443", "  prot: 8443"));

        assertEquals(List.of("listen.prot: unknown key (line 8, column 3); did you mean port?"), problems);
    }

    @Test
    void unknownKey_farFromAnyKnown_listsTheKnownKeys() throws IOException {
        List<String> problems = problems(example.replace("  port: 8443", "  zzzzzzzzzz: 8443"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("listen.zzzzzzzzzz: unknown key (line 8, column 3); the keys here are "),
                problems.toString());
        assertTrue(problems.get(0).contains("publicationPort"), problems.toString());
        noJargon(problems);
    }

    @Test
    void unknownTopLevelKey_nearest() throws IOException {
        List<String> problems = problems(example.replace("adServers:", "adServer:"));

        assertEquals(List.of("adServer: unknown key (line 22, column 1); did you mean adServers?"), problems);
    }

    @Test
    void wronglyTypedSecret_notEchoed() throws IOException {
        List<String> problems = problems(example.replace("    bindPassword: env:AUTOENROLL_AD_PASSWORD", "    bindPassword: 987654321"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("adServers[0].bindPassword: must be env:NAME or file:/path"), problems.toString());
        assertFalse(problems.get(0).contains("987654321"), problems.toString());
    }

    @Test
    void tabIndentation_saysSoInPlainWords() throws IOException {
        List<String> problems = problems("listen:\n\tport: 1\n");

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("line 2, column 1: not valid YAML: "), problems.toString());
        assertTrue(problems.get(0).contains("TAB"), problems.toString());
        noJargon(problems);
    }
}
