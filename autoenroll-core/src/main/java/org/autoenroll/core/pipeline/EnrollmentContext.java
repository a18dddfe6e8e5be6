package org.autoenroll.core.pipeline;

import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.AdServer;
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
 * chain. Confined to the thread running the request.
 */
public final class EnrollmentContext {
    private final String requestId;
    private final AuthenticatedPrincipal caller;
    private final EnrollmentRequest request;
    private Customer customer;
    private String email;
    private String emailDomain;
    private Organization organization;
    private AdServer adServer;
    private DirectoryEntry entry;
    private Person person;
    private CheckedCsr csr;
    private CertificateRecord renewing;
    private CertificateProfile profile;

    public EnrollmentContext(String requestId, AuthenticatedPrincipal caller, EnrollmentRequest request) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.request = Objects.requireNonNull(request, "request");
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

    /** The requested e-mail address, trimmed. */
    public String email() {
        return required(email, "email", RequiredFieldsCheck.class);
    }

    /** The requested e-mail's domain, lower case. */
    public String emailDomain() {
        return required(emailDomain, "e-mail domain", EmailDomainCheck.class);
    }

    public Organization organization() {
        return required(organization, "organization", AdServerSelection.class);
    }

    public AdServer adServer() {
        return required(adServer, "AD server", AdServerSelection.class);
    }

    public DirectoryEntry entry() {
        return required(entry, "directory entry", DirectoryCheck.class);
    }

    /** The name certificates carry: the entry's cn, else its sAMAccountName. */
    public String commonName() {
        DirectoryEntry known = entry();
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

    void adServer(AdServer value) {
        adServer = value;
    }

    void entry(DirectoryEntry value) {
        entry = value;
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
