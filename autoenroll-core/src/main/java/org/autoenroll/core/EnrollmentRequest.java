package org.autoenroll.core;

/**
 * An enrollment request as the client sent it: raw values, any of which may be missing or wrong.
 * The pipeline checks each one; nothing here is trusted.
 *
 * @param customerUri the customer (required)
 * @param orgId the organization's number as text (optional)
 * @param email the e-mail address to certify (required for users; computers have none)
 * @param commonName the name the client believes is the user's CN (optional)
 * @param csrPem the PKCS#10 request in PEM (required)
 * @param renewSerial the serial, in hex, of the certificate this one replaces (optional)
 * @param template the certificate template's name (optional: the tenant's default template)
 */
public record EnrollmentRequest(String customerUri, String orgId, String email, String commonName, String csrPem,
                                String renewSerial, String template) {
    /** A request for the tenant's default template, as the seed's logon script sends it. */
    public EnrollmentRequest(String customerUri, String orgId, String email, String commonName, String csrPem,
                             String renewSerial) {
        this(customerUri, orgId, email, commonName, csrPem, renewSerial, null);
    }
}
