package org.autoenroll.server;

import org.autoenroll.server.internal.TlsContexts;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryPublisher;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.SecretRef;
import org.autoenroll.api.TicketValidator;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.CaStartupException;
import org.autoenroll.ca.CrlPublisher;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.ca.OcspResponder;
import org.autoenroll.ca.Pkcs11Settings;
import org.autoenroll.core.ApprovalService;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.pipeline.StandardStep;
import org.autoenroll.server.audit.EnrollmentOutcomes;
import org.autoenroll.core.requirements.RequirementsService;
import org.autoenroll.core.policy.TemplateCatalog;
import org.autoenroll.core.RevocationService;
import org.autoenroll.core.publication.RevokedCertificateUnpublisher;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.InMemoryTenantRegistry;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.core.tenant.TenantRegistry;
import org.autoenroll.kerberos.InMemoryReplayCache;
import org.autoenroll.kerberos.JdbcReplayCache;
import org.autoenroll.kerberos.ReplayCache;
import org.autoenroll.server.metrics.ServerMetrics;
import org.autoenroll.server.metrics.TimedSigner;
import org.autoenroll.server.http.Operations;
import org.autoenroll.kerberos.KerberosAcceptor;
import org.autoenroll.ldap.LdapDirectoryLookup;
import org.autoenroll.ldap.LdapPasswordCheck;
import org.autoenroll.ldap.LdapDirectoryPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.autoenroll.ldap.internal.AdServerRules;
import org.autoenroll.server.config.LdapClients;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.http.AdminAuthentication;
import org.autoenroll.server.http.KerberosOperators;
import org.autoenroll.server.http.CaPublication;
import org.autoenroll.server.http.HealthCheck;
import org.autoenroll.server.http.Router;
import org.autoenroll.server.http.Routes;

/**
 * Wires the reference server from a validated {@link ServerConfig}: the Kerberos acceptor (one
 * keytab per realm), the LDAP lookup, the built-in CA and its CRL, the JDBC store (H2), the
 * tenant registry, the default policy and the enrollment service, and the HTTPS server. Tests and
 * integrators replace a part with {@code Modules.override(new ServerModule(config)).with(...)}:
 * every part is bound by its interface.
 *
 * <p>Everything is a singleton per injector; several injectors (servers) may live in one JVM.
 */
public final class ServerModule extends AbstractModule {
    private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);
    /** The qualifier of the {@link Resources} that belong to one configuration (see {@link ConfigReload}). */
    static final String RELOADABLE = "reloadable";
    private final ServerConfig config;

    public ServerModule(ServerConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(ServerConfig.class).toInstance(config);
        bind(Resources.class).in(Singleton.class);
        bind(AutoenrollServer.class).in(Singleton.class);
        install(new PolicyModule(config));
        install(new OperationsModule(config));
    }

    /**
     * What a reload replaces and closes after its grace period (LDAP pools, the AD template refresh),
     * apart from the server's lasting resources (database, audit log).
     */
    @Provides
    @Singleton
    @Named(RELOADABLE)
    Resources reloadableResources() {
        return new Resources();
    }

    /** The reload that {@code POST /admin/v1/reload} runs (SIGHUP runs the same). */
    @Provides
    @Singleton
    org.autoenroll.server.http.ConfigReloading configReloading(com.google.inject.Provider<AutoenrollServer> server) {
        return () -> server.get().reload();
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    ReplayCache replayCache(Clock clock, JdbcCertificateStore store) {
        // instances that share one database must refuse a token replayed to another instance too
        return config.database().shared() ? new JdbcReplayCache(store.dataSource(), clock) : new InMemoryReplayCache(clock);
    }

    @Provides
    @Singleton
    TicketValidator ticketValidator(Clock clock, ReplayCache replayCache) {
        KerberosAcceptor.Builder builder = KerberosAcceptor.builder().clock(clock).maxSkew(KerberosAcceptor.DEFAULT_MAX_SKEW)
                .replayCache(replayCache);
        for (ServerConfig.Realm realm : config.realms()) {
            builder.addRealm(realm.realm(), realm.keytab());
            if (realm.rc4Allowed()) {
                LOG.warn("realm {}: RC4 (arcfour-hmac) tickets are accepted; RC4 is weak: give the service account "
                        + "msDS-SupportedEncryptionTypes AES and export an AES keytab, then remove allowRc4", realm.realm());
                builder.allowRc4(realm.realm());
            }
        }
        return builder.build();
    }

    @Provides
    @Singleton
    LdapDirectoryLookup ldapDirectoryLookup(@Named(RELOADABLE) Resources resources, AdServerRecords records)
            throws IOException, GeneralSecurityException {
        return resources.register(new LdapDirectoryLookup(LdapClients.settings(config.ldap()), LdapClients.trust(config.ldap()),
                records::of));
    }

    @Provides
    @Singleton
    DirectoryLookup directoryLookup(LdapDirectoryLookup ldap) {
        return ldap;
    }

    @Provides
    @Singleton
    DirectoryPublisher directoryPublisher(LdapDirectoryLookup ldap) {
        // the lookup's pools and binds; the service account needs write access to userCertificate (Cert Publishers)
        return new LdapDirectoryPublisher(ldap);
    }

    @Provides
    @Singleton
    BuiltInCa builtInCa(Clock clock) throws CaStartupException {
        return BuiltInCa.open(caSettings(config), clock);
    }

    /** The built-in CA's settings from the {@code ca} section (for the server and {@code publish-ad}). */
    public static CaSettings caSettings(ServerConfig config) {
        ServerConfig.Ca ca = config.ca();
        CaSettings.Builder settings = CaSettings.builder()
                .subjectDn(ca.subjectDn())
                .keyType(CaKeyType.valueOf(ca.keyTypeOrDefault()))
                .cryptoProvider(org.autoenroll.ca.CryptoProviderChoice.valueOf(ca.cryptoProviderOrDefault()))
                .baseUrl(ca.baseUrl());
        if (ca.keystore() != null) {
            settings.keystorePath(ca.keystore());
        }
        if (ca.keystorePassword() != null) {
            settings.keystorePassword(SecretRef.parse(ca.keystorePassword()));
        }
        ServerConfig.Pkcs11 token = ca.pkcs11();
        if (token != null) {
            String alias = token.keyAlias() != null ? token.keyAlias() : Pkcs11Settings.DEFAULT_KEY_ALIAS;
            settings.pkcs11(token.slot() != null
                    ? Pkcs11Settings.slot(token.library(), token.slot(), SecretRef.parse(token.pin()), alias)
                    : Pkcs11Settings.slotListIndex(token.library(), token.slotListIndex(), SecretRef.parse(token.pin()), alias));
        }
        return settings.build();
    }

    @Provides
    @Singleton
    CertificateSigner signer(BuiltInCa ca, ServerMetrics metrics) {
        return new TimedSigner(ca, metrics);
    }

    @Provides
    @Singleton
    JdbcCertificateStore jdbcStore(Resources resources, Clock clock) throws SQLException, IOException {
        ServerConfig.Database db = config.database();
        if (!db.shared()) {
            return resources.register(JdbcCertificateStore.h2(db.dataDir(), clock));
        }
        char[] password = SecretRef.parse(db.password()).resolve();
        try {
            return resources.register(JdbcCertificateStore.postgresql(db.url(), db.user(), password,
                    db.maxConnectionsOrDefault(), clock));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Provides
    @Singleton
    CertificateStore certificateStore(JdbcCertificateStore store) {
        return store;
    }

    @Provides
    @Singleton
    PersonStore personStore(JdbcCertificateStore store) {
        return store;
    }

    @Provides
    @Singleton
    CrlPublisher crlPublisher(BuiltInCa ca, JdbcCertificateStore store, Clock clock) throws IOException {
        // the entries of a large CRL are spooled through a file while it is built: beside the database when there is one
        java.nio.file.Path spool = java.nio.file.Files.createDirectories(config.database().dataDir() != null
                ? config.database().dataDir() : java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        return new CrlPublisher(ca, store, clock, CrlPublisher.DEFAULT_VALIDITY, CrlPublisher.DEFAULT_REFRESH, spool);
    }

    @Provides
    @Singleton
    OcspResponder ocspResponder(BuiltInCa ca, CertificateStore store, Clock clock) throws CaStartupException {
        return OcspResponder.open(ca, store, clock);
    }

    @Provides
    @Singleton
    CaPublication caPublication(BuiltInCa ca, CrlPublisher crl, OcspResponder ocsp) {
        return new CaPublication() {
            @Override
            public byte[] caCertificate() {
                return ca.caCertificateDer();
            }

            @Override
            public java.io.InputStream openCrl() throws Exception {
                return crl.openCurrentCrl();
            }

            @Override
            public java.io.InputStream openDeltaCrl() throws Exception {
                return crl.openCurrentDeltaCrl();
            }

            @Override
            public byte[] ocsp(byte[] request) {
                return ocsp.respond(request);
            }

            @Override
            public byte[] ocspGet(String encodedRequest) {
                return ocsp.respondToGetPath(encodedRequest);
            }
        };
    }

    @Provides
    @Singleton
    HealthCheck healthCheck(JdbcCertificateStore store, Clock clock) {
        // a write, not a query: a database that answers but cannot write issues nothing
        return new StoreHealthCheck(store.dataSource(), clock);
    }

    @Provides
    @Singleton
    TenantRegistry tenants() {
        return tenantRegistry(config);
    }

    /** The tenant model of a validated configuration. */
    static TenantRegistry tenantRegistry(ServerConfig config) {
        List<org.autoenroll.api.DirectoryRef> directories = adServers(config).stream().map(AdServer::ref).toList();
        List<Customer> customers = config.customers().stream().map(c -> new Customer(c.uri(), c.isEnabled(),
                c.authorizedDomains(), c.defaultAdServer())).toList();
        List<Organization> organizations = config.organizations().stream().map(o -> new Organization(o.id(), o.customer(),
                o.domains(), o.adServer(), o.isDeleted())).toList();
        return new InMemoryTenantRegistry(customers, organizations, directories);
    }

    @Provides
    @Singleton
    AdServerRecords adServerRecords() {
        return new AdServerRecords(adServers(config));
    }

    /** The AD server records of a validated configuration. */
    public static List<AdServer> adServers(ServerConfig config) {
        return config.adServers().stream().map(s -> new AdServer(s.id(), s.windowsDomain(),
                AdServerRules.endpoints(s.hosts(), Boolean.TRUE.equals(s.ssl())), Boolean.TRUE.equals(s.ssl()), s.usersBaseDn(), s.bindDn(),
                SecretRef.parse(s.bindPassword()))).toList();
    }

    @Provides
    @Singleton
    EnrollmentService enrollmentService(TenantRegistry tenants, DirectoryLookup directory, DirectoryPublisher publisher,
                                        EnrollmentPolicy policy, CertificateSigner signer, CertificateStore certificates,
                                        PersonStore persons, Clock clock, EnrollmentOutcomes outcomes,
                                        ServerMetrics metrics, BuiltInCa ca) {
        // CSRs are verified by the CA's crypto provider (native when it loads): an instance, never registered
        return EnrollmentService.builder().tenants(tenants).directory(directory).publisher(publisher).policy(policy)
                .signer(signer).certificates(certificates).persons(persons).clock(clock)
                .pipeline(p -> p.addBefore(StandardStep.CALLER, outcomes).observer(metrics.stepObserver())
                        .csrVerificationProvider(ca.cryptoProvider())).build();
    }

    @Provides
    @Singleton
    SSLContext sslContext(com.google.inject.Provider<BuiltInCa> ca) throws IOException, GeneralSecurityException {
        // engines that refuse a client-initiated TLS 1.2 renegotiation (without the JVM-wide system property);
        // with Windows enrollment, clients may authenticate with a certificate of this CA (key-based renewal)
        return NoRenegotiation.wrap(TlsContexts.fromPkcs12(config.listen().tls().keystore(),
                SecretRef.parse(config.listen().tls().password()), config.windows() == null ? null : ca.get().caCertificate()));
    }

    @Provides
    @Singleton
    RevocationService revocationService(CertificateStore certificates, Clock clock, TenantRegistry tenants,
                                        DirectoryLookup directory, DirectoryPublisher publisher, CertificateSigner signer) {
        return new RevocationService(certificates, clock, Optional.of(
                new RevokedCertificateUnpublisher(tenants, directory, publisher, signer, certificates, clock)));
    }

    @Provides
    @Singleton
    Optional<AdminAuthentication> adminAuthentication(TicketValidator validator, DirectoryLookup directory,
                                                      AdServerRecords records) throws IOException {
        if (config.admin() == null) {
            return Optional.empty();
        }
        AdminAuthentication.Builder operators = AdminAuthentication.builder();
        ServerConfig.KerberosOperators kerberos = config.admin().kerberos();
        if (kerberos != null) {
            // the record is read at each login, so a reloaded record (hosts, bind account) is used at once
            operators.kerberos(new KerberosOperators(validator, principal -> directory.findUser(
                    records.byId(kerberos.adServer()).orElseThrow(() -> new EnrollmentException(ErrorCode.AD_SERVER_NOT_FOUND,
                            "admin.kerberos.adServer " + kerberos.adServer() + " is no AD server record")).ref(), principal),
                    kerberos.auditorGroups(), kerberos.officerGroups()));
        }
        if (config.admin().token() != null) {
            // the older single token: an officer named admin
            operator(operators, "admin", AdminAuthentication.Role.OFFICER, config.admin().token());
        }
        for (ServerConfig.Operator operator : config.admin().operators()) {
            operator(operators, operator.name(), AdminAuthentication.Role.parse(operator.role()), operator.token());
        }
        AdminAuthentication admin = operators.build();
        LOG.info("administration routes for operators {}{}", admin.operators().stream()
                .map(o -> o.name() + " (" + o.role() + ")").toList(),
                kerberos == null ? "" : " and the Kerberos principals of AD server " + kerberos.adServer() + "'s operators' groups");
        return Optional.of(admin);
    }

    private static void operator(AdminAuthentication.Builder operators, String name, AdminAuthentication.Role role,
                                 String tokenReference) throws IOException {
        char[] token = SecretRef.parse(tokenReference).resolve();
        try {
            operators.operator(name, role, token);
        } finally {
            Arrays.fill(token, '\0');
        }
    }

    @Provides
    @Singleton
    ApprovalService approvalService(CertificateStore certificates, Clock clock) {
        return new ApprovalService(certificates, clock);
    }

    @Provides
    @Singleton
    @Named("publication")
    Router publicationRouter(TicketValidator validator, CaPublication ca, Clock clock) {
        return Routes.publicationOnly(validator, ca, Duration.ofSeconds(config.limits().bodyTimeoutSecondsOrDefault()), clock);
    }

    @Provides
    @Singleton
    Router router(EnrollmentService service, TicketValidator validator, CaPublication ca, HealthCheck health,
                  RevocationService revocations, ApprovalService approvals, Optional<AdminAuthentication> admin,
                  Clock clock, RequirementsService requirements, Optional<WindowsEnrollment> windows, Operations operations,
                  org.autoenroll.server.http.ConfigReloading reloading) {
        return Routes.create(service, validator, ca, health, config.limits().maxBodyBytesOrDefault(),
                Duration.ofSeconds(config.limits().bodyTimeoutSecondsOrDefault()), revocations, approvals, admin, clock,
                requirements, windows, operations, reloading);
    }

    @Provides
    @Singleton
    Optional<WindowsEnrollment> windowsEnrollment(EnrollmentService service, TenantRegistry tenants, DirectoryLookup directory,
                                                  LdapDirectoryLookup ldap, AdServerRecords records,
                                                  CertificateStore certificates, BuiltInCa ca, TemplateCatalog templates,
                                                  Clock clock) {
        if (config.windows() == null) {
            return Optional.empty();
        }
        return Optional.of(WindowsEnrollment.create(config, service, tenants, directory, records, new LdapPasswordCheck(ldap),
                certificates, ca.caCertificateDer(), templates, clock));
    }
}
