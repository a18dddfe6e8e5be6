package org.autoenroll.ldap;

import java.util.List;
import java.util.Objects;
import org.autoenroll.api.CertificateTemplate;

/**
 * What {@link AdPkiPublisher} writes into a forest's {@code CN=Public Key Services}: the CA (its
 * name and certificate), the host clients reach its enrollment service by, the templates it
 * issues, and its CES endpoints. Immutable.
 *
 * @param caName the CA's {@code cn} in Enrollment Services, Certification Authorities and AIA
 * @param dnsHostName the enrollment service's {@code dNSHostName}: Samba's client builds
 *     {@code https://<dNSHostName>/ADPolicyProvider_CEP_Kerberos/service.svc/CEP} from it
 * @param caCertificate the CA certificate, DER
 * @param templates the templates the CA issues, each written as a {@code pKICertificateTemplate}
 * @param enrollmentServers the CES endpoints ({@code msPKI-Enrollment-Servers})
 */
public record AdPkiPublication(String caName, String dnsHostName, byte[] caCertificate, List<CertificateTemplate> templates,
                               List<EnrollmentServer> enrollmentServers) {
    /** AD's limit on a {@code cn}. */
    static final int MAX_CN_CHARS = 64;

    public AdPkiPublication {
        Objects.requireNonNull(caName, "caName");
        if (caName.isBlank() || caName.length() > MAX_CN_CHARS) {
            throw new IllegalArgumentException("caName must be 1-" + MAX_CN_CHARS + " characters");
        }
        if (dnsHostName == null || dnsHostName.isBlank()) {
            throw new IllegalArgumentException("dnsHostName is required");
        }
        if (caCertificate == null || caCertificate.length == 0) {
            throw new IllegalArgumentException("caCertificate is required");
        }
        caCertificate = caCertificate.clone();
        templates = List.copyOf(templates);
        enrollmentServers = List.copyOf(enrollmentServers);
        for (CertificateTemplate template : templates) {
            if (template.name().length() > MAX_CN_CHARS) {
                throw new IllegalArgumentException("template name longer than " + MAX_CN_CHARS + " characters: "
                        + template.name());
            }
        }
    }

    @Override
    public byte[] caCertificate() {
        return caCertificate.clone();
    }

    /**
     * One CES endpoint as {@code msPKI-Enrollment-Servers} lists it.
     *
     * @param priority lower is tried first
     * @param authFlags how clients authenticate: 2 Kerberos, 4 user name and password, 8 certificate
     * @param renewalOnly the endpoint accepts renewals only
     * @param url {@code https://host/<CA>_CES_Kerberos/service.svc/CES}
     */
    public record EnrollmentServer(int priority, int authFlags, boolean renewalOnly, String url) {
        public EnrollmentServer {
            if (priority < 0) {
                throw new IllegalArgumentException("priority must not be negative");
            }
            if (authFlags != 2 && authFlags != 4 && authFlags != 8) {
                throw new IllegalArgumentException("authFlags must be 2, 4 or 8");
            }
            Objects.requireNonNull(url, "url");
            if (url.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a URL has no line break");
            }
        }

        /** The attribute value, {@code priority\nauthflags\nrenewalOnly\nURL} (renewalOnly 0 or 1). */
        public String value() {
            return priority + "\n" + authFlags + "\n" + (renewalOnly ? 1 : 0) + "\n" + url;
        }
    }
}
