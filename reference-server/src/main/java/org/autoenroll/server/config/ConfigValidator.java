package org.autoenroll.server.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ldap.internal.AdServerRules;

/**
 * Checks a parsed {@link ServerConfig} as a whole and reports every problem at once, each naming
 * its key path ({@code organizations[1].adServer: no AD server with id "ad2"}). Secrets are
 * resolved once to prove they are readable, then wiped; their values never appear in a message.
 * Stateless; thread-safe.
 */
public final class ConfigValidator {
    /** The CA key types the built-in CA offers, by name. */
    public static final List<String> KEY_TYPES = Arrays.stream(CaKeyType.values()).map(Enum::name).toList();
    public static final List<String> CRYPTO_PROVIDERS =
            Arrays.stream(org.autoenroll.ca.CryptoProviderChoice.values()).map(Enum::name).toList();
    static final int MIN_BODY_BYTES = 1024;
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final Map<String, String> environment;

    public ConfigValidator() {
        this(System.getenv());
    }

    public ConfigValidator(Map<String, String> environment) {
        this.environment = environment;
    }

    public void validate(String source, ServerConfig c) throws ConfigException {
        List<String> problems = new ArrayList<>();
        listen(c.listen(), problems);
        realms(c.realms(), problems);
        Set<String> adIds = adServers(c.adServers(), problems);
        Set<String> customers = customers(c.customers(), adIds, problems);
        organizations(c.organizations(), customers, adIds, problems);
        ca(c.ca(), problems);
        profile(c.profile(), problems);
        templates(c, problems);
        if (c.database() == null) {
            problems.add("database: required");
        } else {
            database(c.database(), problems);
        }
        if (c.ldap() != null) {
            ldap(c.ldap(), problems);
        }
        if (c.audit() != null && c.audit().file() == null) {
            problems.add("audit.file: required (the path of the audit log)");
        }
        if (c.admin() != null) {
            new AdminConfigValidator(environment).validate(c.admin(), adIds, problems);
        }
        if (c.windows() != null) {
            WindowsConfig.validate(c.windows(), customers, c.hasTemplates(), problems);
        }
        int max = c.limits().maxBodyBytesOrDefault();
        if (max < MIN_BODY_BYTES || max > MAX_BODY_BYTES) {
            problems.add("limits.maxBodyBytes: must be between " + MIN_BODY_BYTES + " and " + MAX_BODY_BYTES + ", was " + max);
        }
        int bodySeconds = c.limits().bodyTimeoutSecondsOrDefault();
        if (bodySeconds < 1 || bodySeconds > 600) {
            problems.add("limits.bodyTimeoutSeconds: must be between 1 and 600, was " + bodySeconds);
        }
        int perAddress = c.limits().maxConnectionsPerAddressOrDefault();
        if (perAddress < 1 || perAddress > 100_000) {
            problems.add("limits.maxConnectionsPerAddress: must be between 1 and 100000, was " + perAddress);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }

    private void listen(ServerConfig.Listen listen, List<String> problems) {
        if (listen == null) {
            problems.add("listen: required");
            return;
        }
        if (listen.host() != null && listen.host().isBlank()) {
            problems.add("listen.host: must not be blank");
        }
        int port = listen.portOrDefault();
        if (port < 0 || port > 65535) {
            problems.add("listen.port: must be 0-65535, was " + port);
        }
        Integer publication = listen.publicationPort();
        if (publication != null && (publication < 0 || publication > 65535 || (publication != 0 && publication == port))) {
            problems.add("listen.publicationPort: must be 0-65535 and differ from listen.port, was " + publication);
        }
        if (listen.tls() == null) {
            problems.add("listen.tls: required (the server speaks HTTPS only)");
            return;
        }
        existingFile("listen.tls.keystore", listen.tls().keystore(), problems);
        secret("listen.tls.password", listen.tls().password(), problems);
    }

    private void realms(List<ServerConfig.Realm> realms, List<String> problems) {
        if (realms.isEmpty()) {
            problems.add("realms: at least one realm with a keytab is required");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < realms.size(); i++) {
            String at = "realms[" + i + "]";
            ServerConfig.Realm r = realms.get(i);
            if (r == null) {
                problems.add(at + ": must not be empty");
                continue;
            }
            if (blank(r.realm())) {
                problems.add(at + ".realm: required");
            } else if (!r.realm().equals(r.realm().toUpperCase(java.util.Locale.ROOT))) {
                // Kerberos realm names are case-sensitive and AD's are upper case: a lower-case one matches no ticket
                problems.add(at + ".realm: realm names are upper case: write " + r.realm().toUpperCase(java.util.Locale.ROOT)
                        + ", not " + r.realm());
            } else if (!seen.add(r.realm().toUpperCase(java.util.Locale.ROOT))) {
                problems.add(at + ".realm: duplicate realm " + r.realm());
            }
            existingFile(at + ".keytab", r.keytab(), problems);
        }
    }

    private Set<String> adServers(List<ServerConfig.AdServerEntry> servers, List<String> problems) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            String at = "adServers[" + i + "]";
            ServerConfig.AdServerEntry s = servers.get(i);
            if (s == null) {
                problems.add(at + ": must not be empty");
                continue;
            }
            // the same rules, and words, as AD server records read from CSV (import-ad)
            List<AdServerRules.Problem> record = AdServerRules.check(s.id(), s.windowsDomain(), s.hosts(),
                    Boolean.TRUE.equals(s.ssl()), s.usersBaseDn(), s.bindDn(), s.bindPassword());
            record.forEach(problem -> problems.add(at + "." + problem));
            if (!blank(s.id()) && !ids.add(s.id())) {
                problems.add(at + ".id: duplicate id " + s.id());
            }
            if (record.stream().noneMatch(problem -> problem.field().equals("bindPassword"))) {
                secret(at + ".bindPassword", s.bindPassword(), problems);
            }
        }
        return ids;
    }

    private Set<String> customers(List<ServerConfig.CustomerEntry> customers, Set<String> adIds, List<String> problems) {
        if (customers.isEmpty()) {
            problems.add("customers: at least one customer is required");
        }
        Set<String> uris = new HashSet<>();
        for (int i = 0; i < customers.size(); i++) {
            String at = "customers[" + i + "]";
            ServerConfig.CustomerEntry c = customers.get(i);
            if (c == null) {
                problems.add(at + ": must not be empty");
                continue;
            }
            if (blank(c.uri())) {
                problems.add(at + ".uri: required");
            } else if (!uris.add(c.uri())) {
                problems.add(at + ".uri: duplicate customer " + c.uri());
            }
            domains(at + ".authorizedDomains", c.authorizedDomains(), problems);
            if (c.defaultAdServer() != null && !adIds.contains(c.defaultAdServer())) {
                problems.add(at + ".defaultAdServer: no AD server with id \"" + c.defaultAdServer() + "\" in adServers");
            }
        }
        return uris;
    }

    private void organizations(List<ServerConfig.OrganizationEntry> orgs, Set<String> customers, Set<String> adIds,
                               List<String> problems) {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < orgs.size(); i++) {
            String at = "organizations[" + i + "]";
            ServerConfig.OrganizationEntry o = orgs.get(i);
            if (o == null) {
                problems.add(at + ": must not be empty");
                continue;
            }
            if (o.id() == null) {
                problems.add(at + ".id: required");
            } else if (o.id() <= 0) {
                problems.add(at + ".id: must be a positive number, was " + o.id());
            } else if (!ids.add(o.id())) {
                problems.add(at + ".id: duplicate id " + o.id());
            }
            if (blank(o.customer())) {
                problems.add(at + ".customer: required");
            } else if (!customers.contains(o.customer())) {
                problems.add(at + ".customer: no customer with uri \"" + o.customer() + "\" in customers");
            }
            domains(at + ".domains", o.domains(), problems);
            if (o.adServer() != null && !adIds.contains(o.adServer())) {
                problems.add(at + ".adServer: no AD server with id \"" + o.adServer() + "\" in adServers");
            }
        }
    }

    private void ca(ServerConfig.Ca ca, List<String> problems) {
        if (ca == null) {
            problems.add("ca: required");
            return;
        }
        distinguishedName("ca.subjectDn", ca.subjectDn(), problems);
        if (!KEY_TYPES.contains(ca.keyTypeOrDefault())) {
            problems.add("ca.keyType: must be one of " + KEY_TYPES + ", was " + ca.keyType());
        }
        if (!CRYPTO_PROVIDERS.contains(ca.cryptoProviderOrDefault())) {
            problems.add("ca.cryptoProvider: must be one of " + CRYPTO_PROVIDERS + ", was " + ca.cryptoProvider());
        }
        if (ca.pkcs11() != null) {
            ServerConfig.Pkcs11 token = ca.pkcs11();
            existingFile("ca.pkcs11.library", token.library(), problems);
            if ((token.slot() == null) == (token.slotListIndex() == null)) {
                problems.add("ca.pkcs11: give either slot or slotListIndex");
            }
            secret("ca.pkcs11.pin", token.pin(), problems);
        } else {
            if (ca.keystore() == null) {
                problems.add("ca.keystore: required (created on first start), or ca.pkcs11");
            } else if (ca.keystore().getParent() != null && Files.exists(ca.keystore().getParent())
                    && !Files.isDirectory(ca.keystore().getParent())) {
                problems.add("ca.keystore: parent is not a directory: " + ca.keystore().getParent());
            }
            secret("ca.keystorePassword", ca.keystorePassword(), problems);
        }
        if (blank(ca.baseUrl())) {
            problems.add("ca.baseUrl: required (CRL and CA certificate URLs are made from it)");
        } else {
            try {
                URI uri = new URI(ca.baseUrl());
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add("ca.baseUrl: must be an http(s) URL with a host, was " + ca.baseUrl());
                }
            } catch (URISyntaxException e) {
                problems.add("ca.baseUrl: not a URL: " + e.getReason());
            }
        }
    }

    private static void templates(ServerConfig c, List<String> problems) {
        Set<String> names = new HashSet<>();
        TemplateConfig.templates(c.templates(), problems).forEach(t -> names.add(t.name().toLowerCase(java.util.Locale.ROOT)));
        ServerConfig.TemplatesFromAd fromAd = c.templatesFromAd();
        if (fromAd != null) {
            boolean known = c.adServers().stream().anyMatch(s -> s != null && fromAd.adServer() != null
                    && fromAd.adServer().equals(s.id()));
            if (!known) {
                problems.add("templatesFromAd.adServer: no AD server with id \"" + fromAd.adServer() + "\"");
            }
            if (fromAd.refreshMinutesOrDefault() < 1 || fromAd.refreshMinutesOrDefault() > 1440) {
                problems.add("templatesFromAd.refreshMinutes: must be 1-1440, was " + fromAd.refreshMinutesOrDefault());
            }
        }
        for (int i = 0; i < c.customers().size(); i++) {
            ServerConfig.CustomerEntry customer = c.customers().get(i);
            if (customer == null || customer.defaultTemplate() == null || fromAd != null) {
                continue;
            }
            if (!c.hasTemplates()) {
                problems.add("customers[" + i + "].defaultTemplate: no templates are configured");
            } else if (!names.contains(customer.defaultTemplate().toLowerCase(java.util.Locale.ROOT))) {
                problems.add("customers[" + i + "].defaultTemplate: no template is called " + customer.defaultTemplate());
            }
        }
    }

    private void profile(ServerConfig.Profile p, List<String> problems) {
        int validity = p.validityDaysOrDefault();
        int window = p.renewalWindowDaysOrDefault();
        if (validity < 1 || validity > 3650) {
            problems.add("profile.validityDays: must be 1-3650, was " + validity);
        }
        if (window < 0 || window > validity) {
            problems.add("profile.renewalWindowDays: must be between 0 and validityDays (" + validity + "), was " + window);
        }
    }

    private static void domains(String at, List<String> domains, List<String> problems) {
        if (domains == null || domains.isEmpty()) {
            problems.add(at + ": at least one domain is required");
            return;
        }
        for (int d = 0; d < domains.size(); d++) {
            String domain = domains.get(d);
            if (blank(domain) || domain.contains("@") || domain.contains(" ")) {
                problems.add(at + "[" + d + "]: not a domain name: " + domain);
            }
        }
    }

    private static void distinguishedName(String at, String dn, List<String> problems) {
        if (blank(dn)) {
            problems.add(at + ": required");
            return;
        }
        try {
            new X500Principal(dn);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": not a distinguished name: " + dn);
        }
    }

    private void secret(String at, String reference, List<String> problems) {
        if (blank(reference)) {
            problems.add(at + ": required (env:NAME or file:/path)");
            return;
        }
        SecretRef ref;
        try {
            ref = SecretRef.parse(reference);
        } catch (IllegalArgumentException e) {
            // never echo the value: it may be a password written in the wrong place
            problems.add(at + ": must be env:NAME or file:/path (a secret is never written in the file)");
            return;
        }
        try {
            char[] value = ref.resolve(environment);
            Arrays.fill(value, '\0');
        } catch (IOException e) {
            problems.add(at + ": " + unreadable(ref, e));
        }
    }

    /** Why a secret cannot be read, naming the variable or file (never a value). */
    static String unreadable(SecretRef ref, IOException e) {
        String reference = ref.toString();
        String target = reference.substring(reference.indexOf(':') + 1);
        if (reference.startsWith("env:")) {
            return "the environment variable " + target + " is not set";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "the file " + target + " does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "the file " + target + " is not readable by this user";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "the file " + target + " is not UTF-8 text";
        }
        return "cannot read the file " + target + " (" + e.getClass().getSimpleName() + ")";
    }

    private void database(ServerConfig.Database db, List<String> problems) {
        if ((db.dataDir() == null) == (db.url() == null)) {
            problems.add("database: give either dataDir (embedded H2) or url (PostgreSQL), not both");
            return;
        }
        if (db.url() != null) {
            if (!db.url().startsWith("jdbc:postgresql://")) {
                problems.add("database.url: must be a jdbc:postgresql:// URL");
            }
            required("database.user", db.user(), problems);
            secret("database.password", db.password(), problems);
            int max = db.maxConnectionsOrDefault();
            if (max < 1 || max > 200) {
                problems.add("database.maxConnections: must be 1-200, was " + max);
            }
        }
    }

    private static void ldap(ServerConfig.Ldap ldap, List<String> problems) {
        try {
            LdapClients.settings(ldap);
        } catch (IllegalArgumentException e) {
            problems.add("ldap: " + e.getMessage());
        }
        if (ldap.trustedCertificates() != null) {
            existingFile("ldap.trustedCertificates", ldap.trustedCertificates(), problems);
        }
    }

    private static void existingFile(String at, Path file, List<String> problems) {
        if (file == null) {
            problems.add(at + ": required");
        } else if (!Files.isRegularFile(file)) {
            problems.add(at + ": no such file: " + file);
        } else if (!Files.isReadable(file)) {
            problems.add(at + ": not readable: " + file);
        }
    }

    private static void required(String at, String value, List<String> problems) {
        if (blank(value)) {
            problems.add(at + ": required");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
