package org.autoenroll.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The reference server's configuration, as read from YAML by {@link ConfigLoader}. Every section
 * is a plain record; absent optional values are null here and get their defaults from the
 * accessors of {@link ConfigLoader}'s validated result. Immutable.
 *
 * <p>Secrets are never in the file: they are references ({@code env:NAME}, {@code file:/path}).
 * Relative paths are relative to the directory of the configuration file.
 */
public record ServerConfig(Listen listen, List<Realm> realms, List<AdServerEntry> adServers,
                           List<CustomerEntry> customers, List<OrganizationEntry> organizations,
                           Ca ca, Profile profile, Database database, Limits limits, Admin admin, Ldap ldap,
                           List<TemplateEntry> templates, TemplatesFromAd templatesFromAd, Windows windows,
                           Audit audit) {

    public ServerConfig {
        realms = realms == null ? List.of() : copy(realms);
        adServers = adServers == null ? List.of() : copy(adServers);
        customers = customers == null ? List.of() : copy(customers);
        organizations = organizations == null ? List.of() : copy(organizations);
        limits = limits == null ? new Limits(null, null, null) : limits;
        profile = profile == null ? new Profile(null, null, null) : profile;
        templates = templates == null ? List.of() : copy(templates);
    }

    /** Whether certificate templates drive the policy (else the single {@code profile}). */
    public boolean hasTemplates() {
        return !templates.isEmpty() || templatesFromAd != null;
    }

    /** An unmodifiable copy that keeps null elements, so that the validator can name them. */
    static <T> List<T> copy(List<T> list) {
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    /**
     * Where the server listens: HTTPS on {@code port} for everything, and, when
     * {@code publicationPort} is set, plain HTTP there for the CA certificate, CRLs and OCSP only.
     */
    public record Listen(String host, Integer port, Tls tls, Integer publicationPort) {
        public String hostOrDefault() {
            return host == null ? "0.0.0.0" : host;
        }

        public int portOrDefault() {
            return port == null ? 8443 : port;
        }
    }

    /** The server's own TLS key and certificate chain, a PKCS#12 file. */
    public record Tls(Path keystore, String password) {
    }

    /** One Kerberos realm (Windows domain) and the keytab of the server's HTTP/host principal in it. */
    public record Realm(String realm, Path keytab, Boolean allowRc4) {
        public boolean rc4Allowed() {
            return Boolean.TRUE.equals(allowRc4);
        }
    }

    /** An Active Directory server record; hosts are {@code host:port}. */
    public record AdServerEntry(String id, String windowsDomain, List<String> hosts, Boolean ssl,
                                String usersBaseDn, String bindDn, String bindPassword) {
        public AdServerEntry {
            hosts = hosts == null ? null : copy(hosts);
        }
    }

    /** A customer: a tenant of the certificate manager. */
    public record CustomerEntry(String uri, Boolean enabled, List<String> authorizedDomains, String defaultAdServer,
                                String defaultTemplate) {
        public CustomerEntry {
            authorizedDomains = authorizedDomains == null ? null : copy(authorizedDomains);
        }

        public boolean isEnabled() {
            return !Boolean.FALSE.equals(enabled);
        }
    }

    /** An organization of a customer, with the e-mail domains it covers and its AD server. */
    public record OrganizationEntry(Long id, String customer, List<String> domains, String adServer, Boolean deleted) {
        public OrganizationEntry {
            domains = domains == null ? null : copy(domains);
        }

        public boolean isDeleted() {
            return Boolean.TRUE.equals(deleted);
        }
    }

    /** The built-in CA. */
    public record Ca(String subjectDn, String keyType, Path keystore, String keystorePassword, String baseUrl,
                     Pkcs11 pkcs11, String cryptoProvider) {
        public String keyTypeOrDefault() {
            return keyType == null ? "EC_P256" : keyType;
        }

        /** AUTO (native ACCP when it loads, else Bouncy Castle), ACCP (required) or BOUNCY_CASTLE. */
        public String cryptoProviderOrDefault() {
            return cryptoProvider == null ? "AUTO" : cryptoProvider;
        }
    }

    /**
     * The CA key in a PKCS#11 token (an HSM, SoftHSM2) instead of the PKCS#12 keystore: the
     * module's library, the slot by id or by index in the slot list, the PIN reference, and the
     * alias of the key (generated in the token on first start, never extractable).
     */
    public record Pkcs11(Path library, Long slot, Integer slotListIndex, String pin, String keyAlias) {
    }

    /** The certificate profile the default policy issues with. */
    public record Profile(Integer validityDays, Integer renewalWindowDays, Boolean publishToDirectory) {
        public int validityDaysOrDefault() {
            return validityDays == null ? 365 : validityDays;
        }

        public int renewalWindowDaysOrDefault() {
            return renewalWindowDays == null ? 30 : renewalWindowDays;
        }

        public boolean publish() {
            return Boolean.TRUE.equals(publishToDirectory);
        }
    }

    /**
     * Where certificates are recorded: the embedded H2 database in {@code dataDir} (one server
     * instance), or PostgreSQL at {@code url} with {@code user} and a {@code password} reference
     * (several instances on one database).
     */
    public record Database(Path dataDir, String url, String user, String password, Integer maxConnections) {
        /** True for a database that several server instances share (PostgreSQL). */
        public boolean shared() {
            return url != null;
        }

        public int maxConnectionsOrDefault() {
            return maxConnections == null ? 10 : maxConnections;
        }
    }

    /**
     * Administration endpoints ({@code /admin/v1/*}): enabled only when operators are configured.
     * Each operator has a name (logged with each action and recorded with each decision), a role
     * ({@code auditor} reads; {@code officer} also approves, denies and revokes) and a token, a
     * secret reference, sent as {@code Authorization: Bearer <token>}. {@code token} alone is the
     * older form: an officer named {@code admin}. {@code kerberos} also admits Kerberos principals
     * of configured AD groups, sent as {@code Authorization: Negotiate}.
     */
    public record Admin(String token, List<Operator> operators, KerberosOperators kerberos) {
        public Admin {
            operators = operators == null ? List.of() : copy(operators);
        }
    }

    /**
     * Operators who authenticate with Kerberos: their entry is read from the AD server record
     * {@code adServer}; membership of one of {@code officerGroups} (DNs, or SIDs {@code S-1-...})
     * makes an officer, else of one of {@code auditorGroups} an auditor.
     */
    public record KerberosOperators(String adServer, List<String> auditorGroups, List<String> officerGroups) {
        public KerberosOperators {
            auditorGroups = auditorGroups == null ? List.of() : copy(auditorGroups);
            officerGroups = officerGroups == null ? List.of() : copy(officerGroups);
        }
    }

    /**
     * The audit log: {@code file}, appended to as one hash-chained JSON object per line
     * ({@link org.autoenroll.server.audit.AuditLog}); without this section there is none.
     */
    public record Audit(Path file) {
    }

    /** One operator of the administration endpoints. */
    public record Operator(String name, String token, String role) {
    }

    /**
     * How the server talks to AD servers: timeouts, pool size, the CA certificates (PEM) that
     * LDAPS and StartTLS servers' certificates must chain to (without {@code trustedCertificates},
     * the JVM's trust store; never trust-all), and whether records without {@code ssl} are
     * upgraded with StartTLS.
     */
    public record Ldap(Integer connectTimeoutMillis, Integer responseTimeoutMillis, Integer poolSize,
                       Path trustedCertificates, Boolean startTls) {
    }

    /**
     * Windows-native enrollment (MS-XCEP CEP and MS-WSTEP CES) for one customer, at AD CS's paths:
     * {@code /ADPolicyProvider_CEP_<auth>/service.svc/CEP} and {@code /<caName>_CES_<auth>/service.svc/CES}.
     * CEP offers the caller the {@code templates} (and {@code templatesFromAd}) its groups have rights on.
     *
     * @param customer the customer whose pipeline enrolls (its default AD server gives users' e-mail)
     * @param hostName the host name clients reach the server by (in the CES URLs CEP hands out)
     * @param caName the CA's name in the CES path (no spaces: AD CS needs extra steps for those)
     * @param listen443 also listen on 443 (Samba and cepces build the URL from the host name alone)
     * @param renewalOnly the CES endpoints accept renewals only
     * @param policyId the CEP policy's stable id (default derived from the CA certificate)
     */
    public record Windows(String customer, String hostName, String caName, Boolean listen443, Boolean renewalOnly,
                          String policyId) {
        public boolean port443() {
            return Boolean.TRUE.equals(listen443);
        }

        public boolean isRenewalOnly() {
            return Boolean.TRUE.equals(renewalOnly);
        }
    }

    /**
     * Input bounds: the largest request body, how long a whole body may take to arrive, and how
     * many connections one client address may hold open.
     */
    public record Limits(Integer maxBodyBytes, Integer bodyTimeoutSeconds, Integer maxConnectionsPerAddress) {
        public int maxBodyBytesOrDefault() {
            return maxBodyBytes == null ? 65536 : maxBodyBytes;
        }

        public int bodyTimeoutSecondsOrDefault() {
            return bodyTimeoutSeconds == null ? 30 : bodyTimeoutSeconds;
        }

        public int maxConnectionsPerAddressOrDefault() {
            return maxConnectionsPerAddress == null ? 100 : maxConnectionsPerAddress;
        }
    }

    /**
     * A certificate template, for directories that are not AD (or to serve templates AD does not
     * hold); see {@link TemplateConfig} for the values and their defaults.
     */
    public record TemplateEntry(String name, String oid, Integer majorRevision, Integer minorRevision, String subject,
                                Integer validityDays, Integer renewalWindowDays, List<String> keyAlgorithms,
                                Integer minimalRsaBits, Integer maximalRsaBits, List<String> curves, List<String> keyUsage,
                                List<String> extendedKeyUsages, List<String> subjectNames, List<String> enroll,
                                List<String> autoenroll, List<String> denyEnroll, List<String> denyAutoenroll,
                                List<String> supersedes, Boolean managerApproval, Boolean publishToDirectory,
                                Boolean renewalOnly, Boolean checkDirectoryCertificates) {
    }

    /**
     * Templates read from AD's own {@code pKICertificateTemplate} objects on the AD server with id
     * {@code adServer}, refreshed every {@code refreshMinutes} (default 60).
     */
    public record TemplatesFromAd(String adServer, Integer refreshMinutes) {
        public int refreshMinutesOrDefault() {
            return refreshMinutes == null ? 60 : refreshMinutes;
        }
    }
}
