package org.autoenroll.core.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.Person;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.csr.CheckedCsr;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.Organization;

/**
 * What the pipeline knows about one request so far. Each step fills in what it checked; a later
 * step reads it through the getters, which fail loudly if an earlier step is missing from the
 * chain. Custom steps add their own values as typed {@link Attribute}s. Confined to the thread
 * running the request.
 */
public final class EnrollmentContext {
    private final String requestId;
    private final AuthenticatedPrincipal caller;
    private final EnrollmentRequest request;
    private final boolean approved;
    private final Map<Attribute<?>, Object> attributes = new HashMap<>();
    private Customer customer;
    private String email;
    private String emailDomain;
    private Organization organization;
    private DirectoryRef adServer;
    private DirectoryEntry entry;
    private Person person;
    private CheckedCsr csr;
    private CertificateRecord renewing;
    private CertificateProfile profile;

    public EnrollmentContext(String requestId, AuthenticatedPrincipal caller, EnrollmentRequest request) {
        this(requestId, caller, request, false);
    }

    /**
     * @param approved an operator approved this (earlier pending) request: the policy must not
     *     pend it again; every other check runs as for a new request
     */
    public EnrollmentContext(String requestId, AuthenticatedPrincipal caller, EnrollmentRequest request, boolean approved) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.request = Objects.requireNonNull(request, "request");
        this.approved = approved;
    }

    /** True when an operator approved this request while it was pending. */
    public boolean approved() {
        return approved;
    }

    /**
     * True for a machine account's principal ({@code WS01$}): computers enroll without an e-mail,
     * and are looked up as computer objects.
     */
    public boolean machineCaller() {
        return caller.name().endsWith("$");
    }

    /** The template the client asked for, if it named one. */
    public Optional<String> requestedTemplate() {
        String template = request.template();
        return template == null || template.isBlank() ? Optional.empty() : Optional.of(template.strip());
    }

    /** A custom step's value, if an earlier step set it. */
    public <T> Optional<T> attribute(Attribute<T> key) {
        return Optional.ofNullable(attributes.get(key)).map(key.type()::cast);
    }

    /** Sets a custom step's value for later steps. */
    public <T> void attribute(Attribute<T> key, T value) {
        attributes.put(Objects.requireNonNull(key, "key"), key.type().cast(Objects.requireNonNull(value, "value")));
    }

    /**
     * A typed key for values custom steps hand each other through the context. Compared by
     * identity: keep one instance in a constant.
     */
    public static final class Attribute<T> {
        private final String name;
        private final Class<T> type;

        private Attribute(String name, Class<T> type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        public static <T> Attribute<T> of(String name, Class<T> type) {
            return new Attribute<>(name, type);
        }

        Class<T> type() {
            return type;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public String requestId() {
        return requestId;
    }

    public AuthenticatedPrincipal caller() {
        return caller;
    }

    public EnrollmentRequest request() {
        return request;
    }

    public Customer customer() {
        return required(customer, "customer", CustomerCheck.class);
    }

    /**
     * The e-mail address to certify, trimmed: after {@link DirectoryCheck}, in the directory's own
     * spelling. Null for a computer, which has none.
     */
    public String email() {
        required(emailDomain, "email", RequiredFieldsCheck.class);
        return email;
    }

    /** The requested e-mail's domain, lower case (a computer's: its realm's DNS domain). */
    public String emailDomain() {
        return required(emailDomain, "e-mail domain", EmailDomainCheck.class);
    }

    public Organization organization() {
        return required(organization, "organization", AdServerSelection.class);
    }

    /** The tenant's directory the caller is looked up in (an AD server record's reference). */
    public DirectoryRef adServer() {
        return required(adServer, "AD server", AdServerSelection.class);
    }

    public DirectoryEntry entry() {
        return required(entry, "directory entry", DirectoryCheck.class);
    }

    /**
     * The name certificates carry: a computer's DNS host name; a user's cn, else its
     * sAMAccountName.
     */
    public String commonName() {
        DirectoryEntry known = entry();
        if (known.type() == org.autoenroll.api.SubjectType.COMPUTER && known.dnsHostName().isPresent()) {
            return known.dnsHostName().get();
        }
        return known.commonName() != null ? known.commonName() : known.samAccountName();
    }

    public Person person() {
        return required(person, "person", PersonSync.class);
    }

    public CheckedCsr csr() {
        return required(csr, "checked CSR", CsrCheck.class);
    }

    /** The certificate being renewed, if the request names one. */
    public Optional<CertificateRecord> renewing() {
        return Optional.ofNullable(renewing);
    }

    /** The profile the policy chose. */
    public CertificateProfile profile() {
        return required(profile, "profile", PolicyStep.class);
    }

    Optional<Organization> organizationIfKnown() {
        return Optional.ofNullable(organization);
    }

    void customer(Customer value) {
        customer = value;
    }

    void email(String value, String domain) {
        email = value;
        emailDomain = domain;
    }

    void organization(Organization value) {
        organization = value;
    }

    void adServer(DirectoryRef value) {
        adServer = value;
    }

    void entry(DirectoryEntry value) {
        entry = value;
    }

    void canonicalEmail(String value) {
        email = value;
    }

    void person(Person value) {
        person = value;
    }

    void csr(CheckedCsr value) {
        csr = value;
    }

    void profile(CertificateProfile value) {
        profile = value;
    }

    void renewing(CertificateRecord value) {
        renewing = value;
    }

    private static <T> T required(T value, String what, Class<?> step) {
        if (value == null) {
            throw new IllegalStateException(what + " is not known yet: " + step.getSimpleName()
                    + " must run earlier in the pipeline");
        }
        return value;
    }
}
