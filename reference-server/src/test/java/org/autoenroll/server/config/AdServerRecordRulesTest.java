package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.autoenroll.ldap.internal.AdServerCsv;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AD server records follow one set of rules whether they come from the YAML configuration or from a
 * CSV export (issue 13, item 6): the same bad record, fed through both, is refused with the same
 * words for the same field.
 */
class AdServerRecordRulesTest {
    private static final Map<String, String> ENV = Map.of(
            "AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y", "AUTOENROLL_CA_PASSWORD", "z");
    private static final Map<String, String> GOOD = goodRecord();
    private static final List<String> COLUMNS = List.of("id", "windowsDomain", "hosts", "ssl", "usersBaseDn", "bindDn",
            "bindPassword");

    @TempDir
    Path dir;
    String example;

    private static Map<String, String> goodRecord() {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("id", "corp-ad");
        record.put("windowsDomain", "EXAMPLE.COM");
        record.put("hosts", "dc1.example.com:636;dc2.example.com");
        record.put("ssl", "true");
        record.put("usersBaseDn", "CN=Users,DC=example,DC=com");
        record.put("bindDn", "CN=svc-autoenroll,CN=Users,DC=example,DC=com");
        record.put("bindPassword", "env:AUTOENROLL_AD_PASSWORD");
        return Map.copyOf(record);
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("id", "bad id!", "id: must be 1-64 letters"),
                Arguments.of("id", "", "id: required"),
                Arguments.of("id", "-starts-with-dash", "id: must be 1-64 letters"),
                Arguments.of("windowsDomain", "not a domain!", "windowsDomain: must be a DNS domain"),
                Arguments.of("windowsDomain", "", "windowsDomain: required"),
                Arguments.of("hosts", "", "hosts: at least one host"),
                Arguments.of("hosts", "dc1.example.com:99999", "hosts: entry 1: the port must be 1-65535"),
                Arguments.of("hosts", "dc1.example.com:636;dc2.example.com:abc", "hosts: entry 2: the port must be 1-65535"),
                Arguments.of("hosts", "bad_host:389", "hosts: entry 1: a host must be a DNS name"),
                Arguments.of("hosts", "[::1:636", "hosts: entry 1: an IPv6 address lacks"),
                Arguments.of("hosts", "dc1.example.com:636;;dc2", "hosts: entry 2: an empty entry"),
                Arguments.of("usersBaseDn", "not a dn", "usersBaseDn: is not a distinguished name"),
                Arguments.of("usersBaseDn", "", "usersBaseDn: required"),
                Arguments.of("bindDn", "CN=x,,", "bindDn: is not a distinguished name"),
                Arguments.of("bindPassword", "hunter2", "bindPassword: must be env:NAME or file:/path"),
                Arguments.of("bindPassword", "", "bindPassword: required"));
    }

    @BeforeEach
    void example() throws IOException {
        try (InputStream in = AdServerRecordRulesTest.class.getResourceAsStream("/example-config.yaml")) {
            example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/server.p12"), "p12");
        Files.createDirectories(dir.resolve("keytabs"));
        Files.writeString(dir.resolve("keytabs/example.com.keytab"), "keytab");
        Files.writeString(dir.resolve("ad-ca.pem"), "pem");
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("badRecords")
    void sameBadRecord_sameProblem_fromYamlAndFromCsv(String field, String value, String expected) throws Exception {
        Map<String, String> record = new LinkedHashMap<>(GOOD);
        record.put(field, value);

        String fromYaml = yamlProblem(record);
        String fromCsv = csvProblem(record);

        assertEquals(fromYaml, fromCsv, "YAML and CSV say different things");
        assertEquals(expected, fromYaml.substring(0, Math.min(expected.length(), fromYaml.length())), fromYaml);
        assertFalse(fromYaml.contains("hunter2"), fromYaml);
    }

    @ParameterizedTest(name = "good record, ssl {0}")
    @MethodSource("sslValues")
    void goodRecord_acceptedByBoth(String ssl) throws Exception {
        Map<String, String> record = new LinkedHashMap<>(GOOD);
        record.put("ssl", ssl);
        ServerConfig config = new ConfigLoader(ENV).load(Files.writeString(dir.resolve("server.yaml"), yaml(record)));
        List<AdServerCsv.Row> rows = AdServerCsv.parse(new StringReader(csv(record)));

        assertEquals(rows.get(0).server().hosts(), org.autoenroll.server.ServerModule.adServers(config).get(0).hosts(),
                "a host without a port gets the same default (389, 636 with ssl) from both");
    }

    static Stream<String> sslValues() {
        return Stream.of("true", "false");
    }

    /** The one problem the configuration reports about adServers[0], without its key path prefix. */
    private String yamlProblem(Map<String, String> record) throws IOException {
        Path file = Files.writeString(dir.resolve("server.yaml"), yaml(record));
        List<String> problems = assertThrows(ConfigException.class, () -> new ConfigLoader(ENV).load(file)).problems()
                .stream().filter(p -> p.startsWith("adServers[0].")).toList();
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0).substring("adServers[0].".length());
    }

    /** The CSV reader's problem, without its "line 2, column N: " prefix (the column must be the field's). */
    private static String csvProblem(Map<String, String> record) {
        AdServerCsv.CsvException e = assertThrows(AdServerCsv.CsvException.class,
                () -> AdServerCsv.parse(new StringReader(csv(record))));
        String field = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        assertEquals(2, e.line(), e.getMessage());
        assertEquals(COLUMNS.indexOf(field.substring(0, field.indexOf(':'))) + 1, e.column(), e.getMessage());
        return field;
    }

    private String yaml(Map<String, String> record) {
        String hosts = record.get("hosts").isEmpty() ? "[]" : Stream.of(record.get("hosts").split(";", -1))
                .map(AdServerRecordRulesTest::quoted).collect(Collectors.joining(", ", "[", "]"));
        String entry = """
                adServers:
                  - id: %s
                    windowsDomain: %s
                    hosts: %s
                    ssl: %s
                    usersBaseDn: %s
                    bindDn: %s
                    bindPassword: %s
                """.formatted(quoted(record.get("id")), quoted(record.get("windowsDomain")), hosts, record.get("ssl"),
                quoted(record.get("usersBaseDn")), quoted(record.get("bindDn")), quoted(record.get("bindPassword")));
        int start = example.indexOf("adServers:\n");
        int end = example.indexOf("\n\n", start) + 1;
        return example.substring(0, start) + entry + example.substring(end);
    }

    private static String csv(Map<String, String> record) {
        return String.join(",", COLUMNS) + "\n"
                + COLUMNS.stream().map(c -> "\"" + record.get(c) + "\"").collect(Collectors.joining(",")) + "\n";
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
