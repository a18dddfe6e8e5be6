package org.autoenroll.core.pipeline;

/**
 * The names of the standard pipeline's steps, in their order (the check list of docs/ARCHITECTURE.md): custom
 * steps are placed before or after one of them with {@link Pipeline.Builder}.
 */
public enum StandardStep {
    /** The caller is authenticated; 27. */
    CALLER,
    /** customerUri known and enabled; 1, 2, 3. */
    CUSTOMER,
    /** e-mail (users) and CSR present; 26, 29, 4. */
    REQUIRED_FIELDS,
    /** e-mail domain known and the customer's; 4, 5. */
    EMAIL_DOMAIN,
    /** orgId valid and the customer's; 6, 7, 8. */
    ORGANIZATION,
    /** The AD server and organization; 9, 10, 11, 12. */
    AD_SERVER,
    /** The caller's directory entry agrees; 13, 16-19, 45, 57. */
    DIRECTORY,
    /** The person record; 14, 20, 28. */
    PERSON,
    /** The CSR is sound and the caller's; 15. */
    CSR,
    /** The certificate being renewed; 24. */
    RENEWAL,
    /** The enrollment policy: templates, rights, approval; 49-54. */
    POLICY,
    /** userCertificate publication after issuance (only with a publisher). */
    PUBLISH,
    /** Sign and record; 25, 24, 30. */
    SIGN
}
