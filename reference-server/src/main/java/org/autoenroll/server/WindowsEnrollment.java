package org.autoenroll.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.TenantRegistry;
import org.autoenroll.ldap.LdapPasswordCheck;
import org.autoenroll.core.policy.TemplateCatalog;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.wstep.CallerTemplates;
import org.autoenroll.wstep.CepService;
import org.autoenroll.wstep.CepSettings;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.wstep.CesBackend;
import org.autoenroll.wstep.CesService;
import org.autoenroll.wstep.CesSettings;
import org.autoenroll.wstep.InMemoryRequestIds;
import org.autoenroll.wstep.RequestIds;
import org.autoenroll.wstep.soap.SoapReader;

/**
 * The CEP and CES services of the {@code windows} configuration section, one per authentication
 * type, at AD CS's paths: {@code /ADPolicyProvider_CEP_<auth>/service.svc/CEP} and
 * {@code /<caName>_CES_<auth>/service.svc/CES}. CEP offers, over every CES URI, the catalogue's
 * templates on which the caller has a right ({@link CatalogCallerTemplates}). CES enrolls through the {@link EnrollmentService}, with a user's e-mail read
 * from the customer's default AD server. Immutable and thread-safe.
 */
public final class WindowsEnrollment {
    private final Map<Authentication, String> cepPaths = new EnumMap<>(Authentication.class);
    private final Map<Authentication, String> cesPaths = new EnumMap<>(Authentication.class);
    private final CepService cep;
    private final Map<Authentication, CesService> ces = new EnumMap<>(Authentication.class);
    private final String baseUrl;
    private final PasswordVerifier passwords;
    private final CertificateStore certificates;
    private final Clock clock;

    private WindowsEnrollment(ServerConfig.Windows windows, CepService cep, Map<Authentication, CesService> ces, String baseUrl,
                              PasswordVerifier passwords, CertificateStore certificates, Clock clock) {
        this.cep = cep;
        this.ces.putAll(ces);
        this.baseUrl = baseUrl;
        this.passwords = passwords;
        this.certificates = certificates;
        this.clock = clock;
        for (Authentication authentication : Authentication.values()) {
            cepPaths.put(authentication, cepPath(authentication));
            cesPaths.put(authentication, cesPath(windows.caName(), authentication));
        }
    }

    /** {@code /ADPolicyProvider_CEP_Kerberos/service.svc/CEP} and its siblings. */
    public static String cepPath(Authentication authentication) {
        return "/ADPolicyProvider_CEP_" + authentication.pathSuffix() + "/service.svc/CEP";
    }

    /** {@code /<caName>_CES_Kerberos/service.svc/CES} and its siblings. */
    public static String cesPath(String caName, Authentication authentication) {
        return "/" + caName + "_CES_" + authentication.pathSuffix() + "/service.svc/CES";
    }

    /**
     * The CES endpoints, one per authentication type, as CEP lists them and {@code publish-ad} writes
     * them into {@code msPKI-Enrollment-Servers}: priority 1 Kerberos, 2 user name and password,
     * 3 certificate (always renewal-only: a client certificate only ever renews itself).
     */
    public static List<CepSettings.CesUri> cesUris(ServerConfig.Windows windows) {
        List<CepSettings.CesUri> uris = new ArrayList<>();
        int priority = 1;
        for (Authentication authentication : Authentication.values()) {
            boolean renewalOnly = windows.isRenewalOnly() || authentication == Authentication.CERTIFICATE;
            String url = "https://" + windows.hostName() + cesPath(windows.caName(), authentication);
            uris.add(new CepSettings.CesUri(authentication, url, priority++, renewalOnly));
        }
        return uris;
    }

    /**
     * @param passwordCheck checks UsernameToken passwords by a bind as the user
     * @param certificates where client certificates are looked up (ours, valid, not revoked)
     * @param caCertificate the issuing CA's certificate (DER), listed by CEP
     */
    public static WindowsEnrollment create(ServerConfig config, EnrollmentService service, TenantRegistry tenants,
                                           DirectoryLookup directory, AdServerRecords records, LdapPasswordCheck passwordCheck,
                                           CertificateStore certificates, byte[] caCertificate, TemplateCatalog catalog,
                                           Clock clock) {
        ServerConfig.Windows windows = config.windows();
        String base = "https://" + windows.hostName();
        CallerTemplates offered = new CatalogCallerTemplates(catalog, tenants, directory);
        SoapReader reader = new SoapReader();
        RequestIds ids = new InMemoryRequestIds();
        CesBackend backend = CesBackend.of(service, (caller, customerUri) -> mail(tenants, directory, caller, customerUri));
        Map<Authentication, CesService> ces = new EnumMap<>(Authentication.class);
        List<CepSettings.CesUri> uris = cesUris(windows);
        for (CepSettings.CesUri uri : uris) {
            ces.put(uri.authentication(), new CesService(new CesSettings(windows.customer(), uri.uri(), uri.authentication(),
                    uri.renewalOnly()), backend, ids, reader));
        }
        String policyId = windows.policyId() != null ? windows.policyId()
                : "{" + UUID.nameUUIDFromBytes(caCertificate).toString().toUpperCase(java.util.Locale.ROOT) + "}";
        CepSettings settings = new CepSettings(windows.customer(), policyId, "autoenroll " + windows.caName(), 8,
                List.of(new CepSettings.Ca(caCertificate, uris)));
        PasswordVerifier passwords = (user, password) -> {
            DirectoryRef ref = defaultDirectory(tenants, windows.customer());
            AdServer ad = records.of(ref).orElseThrow(() -> new EnrollmentException(ErrorCode.AD_SERVER_NOT_FOUND,
                    "the customer's default AD server has no LDAP record"));
            DirectoryEntry entry = passwordCheck.authenticate(ad, user, password);
            AuthenticatedPrincipal caller = AuthenticatedPrincipal.of(entry.samAccountName(),
                    ad.windowsDomain().toUpperCase(java.util.Locale.ROOT), null);
            return entry.objectSid().map(sid -> caller.withPac(sid, entry.groupSids())).orElse(caller);
        };
        return new WindowsEnrollment(windows, new CepService(settings, offered, reader, clock), ces, base, passwords,
                certificates, clock);
    }

    private static DirectoryRef defaultDirectory(TenantRegistry tenants, String customerUri) throws EnrollmentException {
        Customer customer = tenants.customer(customerUri).orElseThrow(() -> new EnrollmentException(ErrorCode.CUSTOMER_INVALID,
                "the windows section names a customer that does not exist"));
        if (customer.defaultAdServerId() == null) {
            throw new EnrollmentException(ErrorCode.AD_SERVER_NOT_FOUND, "the customer has no default AD server");
        }
        return tenants.directory(customer.defaultAdServerId()).orElseThrow(() -> new EnrollmentException(
                ErrorCode.AD_SERVER_NOT_FOUND, "the customer's default AD server is not configured"));
    }

    private static Optional<String> mail(TenantRegistry tenants, DirectoryLookup directory, AuthenticatedPrincipal caller,
                                         String customerUri) throws EnrollmentException {
        return directory.findUser(defaultDirectory(tenants, customerUri), caller).mailAddress();
    }

    /** Checks UsernameToken passwords (the {@code _UsernamePassword} endpoints). */
    public PasswordVerifier passwords() {
        return passwords;
    }

    /** The store client certificates are checked against (the {@code _Certificate} endpoints). */
    public CertificateStore certificates() {
        return certificates;
    }

    public Clock clock() {
        return clock;
    }

    public CepService cep() {
        return cep;
    }

    public CesService ces(Authentication authentication) {
        return ces.get(authentication);
    }

    public String cepPathOf(Authentication authentication) {
        return cepPaths.get(authentication);
    }

    public String cesPathOf(Authentication authentication) {
        return cesPaths.get(authentication);
    }

    /** The CEP URL a client is configured with, e.g. {@code https://ca.example.com/ADPolicyProvider_CEP_Kerberos/service.svc/CEP}. */
    public String cepUrl(Authentication authentication) {
        return baseUrl + cepPaths.get(authentication);
    }
}
