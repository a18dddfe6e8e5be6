package org.autoenroll.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The YAML configuration: strict keys, every problem named by its key path, and the shipped example. */
class ConfigLoaderTest {
    private static final Map<String, String> ENV = Map.of(
            "AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y", "AUTOENROLL_CA_PASSWORD", "z");

    @TempDir
    Path dir;
    String example;

    @BeforeEach
    void example() throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/example-config.yaml")) {
            example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        // the files the example refers to
        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/server.p12"), "p12");
        Files.createDirectories(dir.resolve("keytabs"));
        Files.writeString(dir.resolve("keytabs/example.com.keytab"), "keytab");
        Files.writeString(dir.resolve("ad-ca.pem"), "pem");
    }

    private ServerConfig load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
        return new ConfigLoader(ENV).load(file);
    }

    private List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).problems();
    }

    @Test
    void load_shippedExample_validates() throws Exception {
        ServerConfig config = load(example);

        assertEquals(8443, config.listen().portOrDefault());
        assertEquals(dir.resolve("keytabs/example.com.keytab"), config.realms().get(0).keytab());
        assertEquals(dir.resolve("data"), config.database().dataDir());
        assertEquals(65536, config.limits().maxBodyBytesOrDefault());
        assertEquals("corp-ad", config.organizations().get(0).adServer());
        assertEquals(dir.resolve("ad-ca.pem"), config.ldap().trustedCertificates());
        assertEquals(8080, config.listen().publicationPort());
    }

    @Test
    void load_ldapOutOfRangeOrMissingTrust_namesTheKey() {
        List<String> problems = problems(example.replace("poolSize: 8", "poolSize: 0").replace("trustedCertificates: ad-ca.pem",
                "trustedCertificates: missing.pem"));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ldap:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ldap.trustedCertificates: no such file")), problems.toString());
    }

    @Test
    void load_lowerCaseRealm_namesTheKeyAndSaysUpperCase() {
        String realmLine = example.lines().filter(l -> l.strip().startsWith("- realm:")).findFirst().orElseThrow();
        String realm = realmLine.substring(realmLine.indexOf(':') + 1).strip().replace("\"", "");
        List<String> problems = problems(example.replace(realmLine, realmLine.replace(realm, realm.toLowerCase())));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("realms[0].realm: realm names are upper case"), problems.toString());
    }

    @Test
    void load_misspeltKey_namesItsPath() {
        List<String> problems = problems(example.replace("  port: 8443", "  prot: 8443"));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("listen.prot: unknown key"), problems.toString());
    }

    @Test
    void load_misspeltKeyInList_namesIndex() {
        List<String> problems = problems(example.replace("    authorizedDomains: [example.com]", "    authorisedDomains: [example.com]"));

        assertTrue(problems.get(0).startsWith("customers[0].authorisedDomains: unknown key"), problems.toString());
    }

    @Test
    void load_missingRequiredKey_namesIt() {
        List<String> problems = problems(example.replace("  - uri: \"https://certs.example.com/customer/example\"\n", "  -\n"));

        assertTrue(problems.contains("customers[0].uri: required"), problems.toString());
    }

    @Test
    void load_severalProblems_allReported() {
        String yaml = example.replace("windowsDomain: EXAMPLE.COM", "windowsDomain: \"\"")
                .replace("defaultAdServer: corp-ad", "defaultAdServer: nowhere")
                .replace("keyType: EC_P256", "keyType: DSA_1024")
                .replace("maxBodyBytes: 65536", "maxBodyBytes: 10")
                .replace("\"dc2.example.com:636\"", "\"dc2.example.com:70000\"");

        List<String> problems = problems(yaml);

        assertTrue(problems.contains("adServers[0].windowsDomain: required"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("customers[0].defaultAdServer: no AD server")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ca.keyType: must be one of")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("limits.maxBodyBytes")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("adServers[0].hosts: entry 2: the port must be 1-65535")), problems.toString());
    }

    @Test
    void load_cryptoProvider_chosenOrRefusedByName() throws Exception {
        assertEquals(org.autoenroll.ca.CryptoProviderChoice.AUTO,
                org.autoenroll.server.ServerModule.caSettings(load(example)).cryptoProvider());
        ServerConfig pureJava = load(example.replace("cryptoProvider: AUTO", "cryptoProvider: BOUNCY_CASTLE"));
        assertEquals(org.autoenroll.ca.CryptoProviderChoice.BOUNCY_CASTLE,
                org.autoenroll.server.ServerModule.caSettings(pureJava).cryptoProvider());
        List<String> problems = problems(example.replace("cryptoProvider: AUTO", "cryptoProvider: SunEC"));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ca.cryptoProvider: must be one of")), problems.toString());
    }

    @Test
    void load_secretWrittenInline_refusedWithoutEchoingIt() {
        List<String> problems = problems(example.replace("bindPassword: env:AUTOENROLL_AD_PASSWORD", "bindPassword: hunter2"));

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("adServers[0].bindPassword: must be env:NAME or file:/path")),
                problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("hunter2")), problems.toString());
    }

    @Test
    void load_unsetEnvironmentSecret_named() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), example);
        List<String> problems = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of("AUTOENROLL_TLS_PASSWORD", "x", "AUTOENROLL_AD_PASSWORD", "y")).load(file)).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("ca.keystorePassword: the environment variable AUTOENROLL_CA_PASSWORD is not set"), problems.toString());
    }

    @Test
    void load_missingKeytabFile_named() throws Exception {
        Files.delete(dir.resolve("keytabs/example.com.keytab"));

        List<String> problems = problems(example);

        assertTrue(problems.get(0).startsWith("realms[0].keytab: no such file"), problems.toString());
    }

    @Test
    void load_wrongType_namesPath() {
        List<String> problems = problems(example.replace("  port: 8443", "  port: [1, 2]"));

        assertTrue(problems.get(0).startsWith("listen.port: "), problems.toString());
    }

    @Test
    void load_organizationOfUnknownCustomer_named() {
        List<String> problems = problems(example.replace("    customer: \"https://certs.example.com/customer/example\"",
                "    customer: \"https://nobody\""));

        assertTrue(problems.contains("organizations[0].customer: no customer with uri \"https://nobody\" in customers"), problems.toString());
    }

    @Test
    void load_notYaml_namesLine() {
        List<String> problems = problems("listen:\n\tport: 1\n");

        assertTrue(problems.get(0).startsWith("line "), problems.toString());
    }

    @Test
    void load_emptyFile_refused() {
        assertEquals(List.of("(file): empty"), problems(""));
    }
}
