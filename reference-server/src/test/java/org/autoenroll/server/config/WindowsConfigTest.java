package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.SubjectType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code windows} section on top of the shipped example: what it becomes, and what is refused, by path. */
class WindowsConfigTest {
    private static final Map<String, String> ENV = Map.of(
            "AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y", "AUTOENROLL_CA_PASSWORD", "z");
    private static final String WINDOWS = """
            windows:
              customer: "https://certs.example.com/customer/example"
              hostName: ca.example.com
              caName: Example-Issuing-CA
              listen443: true
            templates:
              - {name: CorpUser, oid: 1.3.6.1.4.1.311.21.8.7.1, majorRevision: 100, enroll: [S-1-5-11], autoenroll: [S-1-5-11]}
              - {name: CorpMachine, oid: 1.3.6.1.4.1.311.21.8.7.2, subject: computer, managerApproval: true, enroll: [S-1-5-11]}
            """;

    @TempDir
    Path dir;
    String example;

    @BeforeEach
    void example() throws IOException {
        try (InputStream in = WindowsConfigTest.class.getResourceAsStream("/example-config.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/server.p12"), "p12");
        Files.createDirectories(dir.resolve("keytabs"));
        Files.writeString(dir.resolve("keytabs/example.com.keytab"), "keytab");
        Files.writeString(dir.resolve("ad-ca.pem"), "pem");
    }

    private ServerConfig load(String yaml) throws Exception {
        return new ConfigLoader(ENV).load(Files.writeString(dir.resolve("config.yaml"), yaml));
    }

    @Test
    void load_windowsSection_templatesAsTheModel() throws Exception {
        ServerConfig config = load(example + WINDOWS);
        assertTrue(config.windows().port443());
        List<CertificateTemplate> templates = TemplateConfig.templates(config.templates(), new java.util.ArrayList<>());
        assertEquals("CorpUser", templates.get(0).name());
        assertEquals(100, templates.get(0).id().majorRevision());
        assertTrue(templates.get(0).grants(AccessRule.Right.AUTOENROLL, java.util.Set.of("s-1-5-11")));
        assertEquals(SubjectType.COMPUTER, templates.get(1).subjectType());
        assertTrue(templates.get(1).requiresApproval());
    }

    @Test
    void load_windowsWithoutTemplates_refused() {
        String noTemplates = WINDOWS.substring(0, WINDOWS.indexOf("templates:"));
        List<String> problems = assertThrows(ConfigException.class, () -> load(example + noTemplates)).problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("windows:") && p.contains("templates")), problems.toString());
    }

    @Test
    void load_windowsSectionWrong_eachProblemNamed() {
        String bad = WINDOWS.replace("https://certs.example.com/customer/example", "https://nobody")
                .replace("caName: Example-Issuing-CA", "caName: Example Issuing CA")
                .replace("oid: 1.3.6.1.4.1.311.21.8.7.2", "oid: not-an-oid");
        List<String> problems = assertThrows(ConfigException.class, () -> load(example + bad)).problems();
        assertTrue(problems.contains("windows.customer: must name one of the customers"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("windows.caName:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("templates[1].oid:") && p.contains("not-an-oid")),
                problems.toString());
    }
}
