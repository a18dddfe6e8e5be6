package org.autoenroll.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@link ServerConfig} from YAML strictly (an unknown or misspelt key, a key written twice
 * or a value of the wrong kind is an error naming its path, line and column, see {@link YamlProblems}), resolves relative paths against the file's directory, and validates it with
 * {@link ConfigValidator}. Thread-safe.
 */
public final class ConfigLoader {
    private static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;

    private final YAMLFactory yaml = new YAMLFactory();
    private final ObjectMapper mapper = JsonMapper.builder(yaml)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // a key written twice is refused: otherwise the later value silently wins
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final java.util.Map<String, String> environment;

    /** Resolves {@code env:} secrets from the process environment. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** Resolves {@code env:} secrets from {@code environment} (tests, tools). */
    public ConfigLoader(java.util.Map<String, String> environment) {
        this.environment = java.util.Map.copyOf(environment);
    }

    /** Reads, resolves and validates {@code file}. */
    public ServerConfig load(Path file) throws ConfigException, IOException {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new ConfigException(source, List.of("(file): larger than " + MAX_CONFIG_BYTES + " bytes"));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, List.of("(file): not found"));
        }
        Path base = file.toAbsolutePath().getParent();
        ServerConfig parsed = parse(source, bytes);
        ServerConfig resolved = resolvePaths(parsed, base);
        new ConfigValidator(environment).validate(source, resolved);
        return resolved;
    }

    /** Parses without resolving or validating; for tests and tools. */
    public ServerConfig parse(String source, byte[] yaml) throws ConfigException {
        if (new String(yaml, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new ConfigException(source, List.of("(file): empty"));
        }
        try {
            // first as a tree: syntax errors and keys written twice, before any mapping
            mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(YamlProblems.syntax(e)));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("(file): " + e.getMessage()));
        }
        try {
            ServerConfig config = mapper.readValue(yaml, ServerConfig.class);
            if (config == null) {
                throw new ConfigException(source, List.of("(file): empty"));
            }
            return config;
        } catch (JsonMappingException e) {
            throw new ConfigException(source, List.of(YamlProblems.mapping(e, this.yaml, yaml)));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(YamlProblems.syntax(e)));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("(file): " + e.getMessage()));
        }
    }

    private static Path resolve(Path base, Path p) {
        return p == null ? null : base.resolve(p).normalize();
    }

    static ServerConfig resolvePaths(ServerConfig c, Path base) {
        ServerConfig.Listen listen = c.listen() == null ? null : new ServerConfig.Listen(c.listen().host(), c.listen().port(),
                c.listen().tls() == null ? null
                        : new ServerConfig.Tls(resolve(base, c.listen().tls().keystore()), c.listen().tls().password()),
                c.listen().publicationPort());
        List<ServerConfig.Realm> realms = c.realms().stream()
                .map(r -> r == null ? null : new ServerConfig.Realm(r.realm(), resolve(base, r.keytab()), r.allowRc4()))
                .toList();
        ServerConfig.Ca ca = c.ca() == null ? null : new ServerConfig.Ca(c.ca().subjectDn(), c.ca().keyType(),
                resolve(base, c.ca().keystore()), c.ca().keystorePassword(), c.ca().baseUrl(),
                c.ca().pkcs11() == null ? null : new ServerConfig.Pkcs11(resolve(base, c.ca().pkcs11().library()),
                        c.ca().pkcs11().slot(), c.ca().pkcs11().slotListIndex(), c.ca().pkcs11().pin(), c.ca().pkcs11().keyAlias()),
                c.ca().cryptoProvider());
        ServerConfig.Database db = c.database() == null ? null : new ServerConfig.Database(resolve(base, c.database().dataDir()),
                c.database().url(), c.database().user(), c.database().password(), c.database().maxConnections());
        return new ServerConfig(listen, realms, c.adServers(), c.customers(), c.organizations(), ca, c.profile(), db, c.limits(), c.admin(),
                c.ldap() == null ? null : new ServerConfig.Ldap(c.ldap().connectTimeoutMillis(), c.ldap().responseTimeoutMillis(),
                        c.ldap().poolSize(), resolve(base, c.ldap().trustedCertificates()), c.ldap().startTls()),
                c.templates(), c.templatesFromAd(), c.windows(),
                c.audit() == null ? null : new ServerConfig.Audit(resolve(base, c.audit().file())));
    }

}
