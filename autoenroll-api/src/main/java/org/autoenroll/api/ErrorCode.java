package org.autoenroll.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of every error autoenroll can report: a stable number, a stable name, the message
 * text of the seed guide (the Windows Auto Enrollment guide's "Errors in Script Log", see docs/ARCHITECTURE.md), the operator hints ("potential reasons"), where
 * the error arises and the HTTP status the server answers with.
 *
 * <p>Codes 1-30 are raised by the server, 31-41 by clients, exactly as numbered in the seed guide.
 * Codes from 42 on are autoenroll's own. A code, once published, is never renumbered or reused;
 * tests and clients compare codes, never message text.
 *
 * <p>Thread-safe and immutable.
 *
 * @since 0.1
 */
public enum ErrorCode {
    NO_CUSTOMER_URI(1, "No customer URI supplied..", 400, Category.REQUEST,
            "\"customerUri\" was not provided in the request (autoenroll.conf \"customeruri\")."),
    CUSTOMER_INVALID(2, "Customer invalid..", 404, Category.TENANT,
            "The provided \"customerUri\" is invalid."),
    CUSTOMER_DISABLED(3, "Customer disabled..", 403, Category.TENANT,
            "The customer has been disabled."),
    NO_MATCHED_DOMAIN(4, "No matched domain..", 403, Category.TENANT,
            "The domain from user's email is invalid."),
    DOMAIN_UNAUTHORIZED(5, "Domain unauthorized..", 403, Category.TENANT,
            "The domain is unauthorized for this customer."),
    ORGID_INVALID(6, "Supplied orgid invalid..", 400, Category.REQUEST,
            "The provided \"orgId\" is invalid (not a number)."),
    NO_ORGANIZATION_FOUND(7, "No organization found..", 404, Category.TENANT,
            "Can't find a matching organization, or the id is invalid."),
    NO_MATCHED_ORGANIZATION(8, "No matched organization..", 403, Category.TENANT,
            "The organization is not managed by the customer, has been deleted, or does not match the domain of the user's email."),
    AD_SERVER_NOT_FOUND(9, "Failed to find the AD Server..", 403, Category.TENANT,
            "Neither the organization nor the customer is bound to an Active Directory server."),
    WINDOWS_DOMAIN_MISMATCH(10, "Windows domain mismatch..", 403, Category.TENANT,
            "The Windows domain of the bound Active Directory server does not match the realm of the user's Kerberos ticket."),
    NO_SUITABLE_ORGANIZATION(11, "No suitable organization..", 403, Category.TENANT,
            "No organization of the customer is bound to this Active Directory server."),
    NO_MATCHED_AD_SERVER(12, "No matched ADServer..", 403, Category.TENANT,
            "The Active Directory server the organization names is not configured."),
    AD_UNAVAILABLE(13, "Failed to get adserver or attributes..", 502, Category.DIRECTORY,
            "autoenroll can't connect to or read from Active Directory. Check the AD server record: hosts, port, SSL, bind DN, bind password, users base DN."),
    PERSON_SYNC_FAILED(14, "Failed to sync person..", 500, Category.INTERNAL,
            "Internal error while recording the person: check the server log and the database."),
    INVALID_CSR(15, "Invalid CSR..", 400, Category.REQUEST,
            "The client generated an invalid CSR (unparsable, bad signature, weak key, or names the user does not own); make sure the client and its configuration are current."),
    NO_VALID_EMAIL_IN_AD(16, "No valid Email in AD..", 403, Category.DIRECTORY,
            "User with this email does not exist or has been deleted.",
            "The request may be sent by an impostor."),
    NO_VALID_USER_IN_AD(17, "No valid User Name in AD..", 403, Category.DIRECTORY,
            "User does not exist or has been deleted.",
            "The request may be sent by an impostor."),
    EMAIL_IN_AD_MISMATCH(18, "Email in AD mismatch..", 403, Category.DIRECTORY,
            "The email in the request does not match the email on the AD server.",
            "The request may be sent by an impostor."),
    USER_NAME_IN_AD_MISMATCH(19, "User Name in AD mismatch..", 403, Category.DIRECTORY,
            "The CN in the request does not match the user's CN on the AD server.",
            "The request may be sent by an impostor."),
    PERSON_MISMATCH(20, "Person mismatch..", 403, Category.TENANT,
            "The user is not from the customer specified by \"customerUri\"."),
    INVALID_STATUS(21, "Invalid status supplied..", 400, Category.REQUEST,
            "The client may be out of date.",
            "The request may be sent by an impostor."),
    UNKNOWN_PERSON_FOR_STATUS(22, "Unknown person for processStatus..", 404, Category.TENANT,
            "The user may already be deleted.",
            "The request may be sent by an impostor."),
    STATUS_PROCESSING_FAILED(23, "Failed to process status..", 500, Category.INTERNAL,
            "Internal error.",
            "The request may be sent by an impostor."),
    INVALID_SERIAL(24, "Invalid serial number supplied..", 400, Category.REQUEST,
            "The serial number sent by the client is invalid. Update the client.",
            "There is more than one valid certificate from the same issuer in the user's store.",
            "The certificate with this serial number may not be in a valid state."),
    CERTIFICATE_ISSUANCE_FAILED(25, "Failed to get cert..", 502, Category.CA,
            "The CA server is down.",
            "Internal error."),
    NO_EMAIL(26, "No email supplied..", 400, Category.REQUEST,
            "Can't get the email from the request; the client may be out of date.",
            "The request may be sent by an impostor."),
    INVALID_REMOTE_USER(27, "Invalid remote user..", 401, Category.AUTHENTICATION,
            "Can't get the user credential from the request; the client may be out of date.",
            "The request may be sent by an impostor."),
    NO_SYNCHRONIZED_PERSON(28, "No synchronized person ..", 500, Category.INTERNAL,
            "Internal error."),
    NO_REQUEST(29, "No request supplied..", 400, Category.REQUEST,
            "Can't get the CSR from the request; the client may be out of date.",
            "The request may be sent by an impostor."),
    ENROLLMENT_FAILED(30, "Failed to enroll certificate..", 500, Category.INTERNAL,
            "Internal error."),

    OPEN_LOCAL_STORE_FAILED(31, "Open local certificate store error.", 0, Category.CLIENT,
            "The client's certificate store library may not be distributed successfully."),
    NO_EMAIL_IN_AD_CLIENT(32, "User has no email address in AD.", 0, Category.CLIENT,
            "User has no mailbox or no mail address is set in the user's account."),
    CREATE_REQUEST_FAILED(33, "Create certificate request error.", 0, Category.CLIENT,
            "The client may not be configured correctly in Group Policy."),
    CERTIFICATE_RESPONSE_TIMEOUT(34, "Certificate response timeout.", 0, Category.CLIENT,
            "The server didn't issue the certificate in 2 minutes."),
    CONNECT_FAILED(35, "Connect to certificate manager error.", 0, Category.CLIENT,
            "The server can not be reached at this time."),
    SERVER_INTERNAL_ERROR(36, "Certificate manager internal error.", 0, Category.CLIENT,
            "Server internal error."),
    AUTHENTICATION_ERROR(37, "Authentication error.", 401, Category.AUTHENTICATION,
            "The server did not authorize the request. Check the Kerberos configuration: SPN, keytab, encryption types, clocks."),
    REQUEST_CERTIFICATE_FAILED(38, "Request certificate error.", 0, Category.CLIENT,
            "Server internal error."),
    INSTALL_CERTIFICATE_FAILED(39, "Install certificate error.", 0, Category.CLIENT,
            "The client may not be configured correctly in Group Policy."),
    SYNC_RESPONSE_TIMEOUT(40, "Wait sync response timeout.", 0, Category.CLIENT,
            "The server didn't respond in 40 seconds."),
    SERVER_CERTIFICATE_NOT_TRUSTED(41, "Not yet install the CCM security certificate.", 0, Category.CLIENT,
            "The server's TLS certificate is not properly installed.",
            "The server's TLS certificate is not in Group Policy's trusted store."),

    AUTHENTICATION_REQUIRED(42, "This request requires HTTP authentication.", 401, Category.AUTHENTICATION,
            "The client sent no Negotiate credentials: it must be domain-joined, have a Kerberos ticket (klist), and address the server by its host name."),
    REQUEST_TOO_LARGE(43, "Request too large..", 413, Category.REQUEST,
            "The request body exceeds the server's limit; a CSR is a few kilobytes."),
    MALFORMED_REQUEST(44, "Malformed request..", 400, Category.REQUEST,
            "The request body is not the JSON object the protocol defines; the client may be out of date."),
    ACCOUNT_DISABLED(45, "Account disabled in AD..", 403, Category.DIRECTORY,
            "The user's account is disabled in Active Directory (userAccountControl).",
            "The request may be sent by an impostor."),
    REQUEST_NOT_FOUND(46, "No such request..", 404, Category.REQUEST,
            "The request id is unknown or belongs to another user."),
    INVALID_REVOCATION_REASON(47, "Invalid revocation reason..", 400, Category.REQUEST,
            "The reason is not one of RFC 5280's CRLReason names (keyCompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn, unspecified)."),
    ADMIN_AUTHENTICATION_REQUIRED(48, "Administrator authentication required..", 401, Category.AUTHENTICATION,
            "Administration endpoints need \"Authorization: Bearer <token>\" with an operator's token (admin.operators, or admin.token); enrollment users' Kerberos tickets are not accepted there."),
    TEMPLATE_DENIED(49, "Template denied..", 403, Category.POLICY,
            "The caller has no Enroll right on the template, or a deny entry of its ACL matches one of the caller's groups (deny beats allow).",
            "Check the template's enroll rights and the caller's AD groups (nested groups count)."),
    TEMPLATE_UNKNOWN(50, "Template unknown or not offered..", 404, Category.POLICY,
            "No template has this name, or no CA of this server offers it.",
            "Templates read from AD refresh on a schedule: a template created just now may not be known yet."),
    KEY_NOT_ALLOWED(51, "Key not allowed by the template..", 400, Category.POLICY,
            "The CSR's key algorithm or size is not one the template accepts (minimal key size, RSA or EC, curve)."),
    APPROVAL_PENDING(52, "Request pending approval..", 202, Category.POLICY,
            "The template requires a certificate manager's approval: the request was recorded; collect it with its request id once approved."),
    RENEWAL_ONLY(53, "Template accepts renewals only..", 403, Category.POLICY,
            "The template (or this endpoint) only renews a valid certificate of the same template; a new enrollment is not accepted.",
            "Send renewSerial with the serial of the certificate to renew."),
    SUBJECT_TYPE_MISMATCH(54, "Template not for this account type..", 403, Category.POLICY,
            "A computer template was asked for by a user account, or a user template by a computer account."),
    REQUEST_DENIED(55, "Request denied..", 403, Category.POLICY,
            "A certificate manager denied the pending request; ask them why, then enroll again."),
    REQUEST_EXPIRED(56, "Pending request expired..", 410, Category.POLICY,
            "Nobody approved the request within 60 days; enroll again."),
    NO_DNS_NAME_IN_AD(57, "No DNS host name in AD..", 403, Category.DIRECTORY,
            "The computer account has no dNSHostName, which a computer certificate needs.",
            "A machine must be joined to the domain (it sets dNSHostName) before it enrolls."),
    ADMIN_FORBIDDEN(58, "Operator not allowed..", 403, Category.AUTHENTICATION,
            "The operator's role does not allow this action: an auditor reads only; approving, denying and revoking need an officer (admin.operators[].role)."),
    UNKNOWN_PATH(60, "No such path..", 404, Category.REQUEST,
            "The server has nothing at this path: the protocol's routes are /api/v1/enroll, /api/v1/requests/{id}, /api/v1/status, /ca.crt, /crl, /crl/delta, /ocsp and /healthz; check the client's server URL."),
    CROSS_ORIGIN_REFUSED(61, "Cross-origin request refused..", 403, Category.REQUEST,
            "The request came from a web page of another site (its Origin header names another server): autoenroll serves no browser pages, so such a request is a cross-site request forgery attempt or a misconfigured proxy that rewrites the Host header."),
    REQUEST_TIMEOUT(62, "Request timeout..", 408, Category.REQUEST,
            "The request body did not arrive in full within the server's deadline: a slow or stalled network, or a client that sends its body too slowly on purpose."),
    TOO_MANY_CONNECTIONS(63, "Too many connections..", 429, Category.REQUEST,
            "This client address has more connections open than the server allows one address (limits.maxConnectionsPerAddress): close idle connections, or raise the limit for a proxy or NAT that many clients share."),
    CONFIGURATION_REFUSED(64, "Configuration refused..", 422, Category.REQUEST,
            "The configuration file asked to be reloaded has a problem (named in the detail with its key path, line and column): fix the file and reload again; the configuration loaded before keeps serving meanwhile.",
            "The reload changes a part that only a restart can change (listen, database, ca, audit, limits, windows, admin): restart the server to apply it.");

    /** Where an error arises and who can act on it. */
    public enum Category {
        /** The request itself is missing or malformed: the client must change it. */
        REQUEST,
        /** The Kerberos authentication failed: client or keytab configuration. */
        AUTHENTICATION,
        /** The tenant configuration (customer, organization, AD server records) refuses the request. */
        TENANT,
        /** Active Directory could not be read, or says the request is not the caller's. */
        DIRECTORY,
        /** The enrollment policy (templates, rights, approval) refuses or holds the request. */
        POLICY,
        /** The certificate authority failed. */
        CA,
        /** A fault inside the server: see its log. */
        INTERNAL,
        /** Raised by a client only; the server never answers with it. */
        CLIENT
    }

    private static final Map<Integer, ErrorCode> BY_NUMBER =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final int code;
    private final String message;
    private final int httpStatus;
    private final Category category;
    private final List<String> hints;

    ErrorCode(int code, String message, int httpStatus, Category category, String... hints) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
        this.category = category;
        this.hints = List.of(hints);
    }

    /** The stable number, as in the seed guide for 1-41. */
    public int code() {
        return code;
    }

    /** The seed guide's message text. */
    public String message() {
        return message;
    }

    /** What an operator can check, in the order most likely first. */
    public List<String> hints() {
        return hints;
    }

    public Category category() {
        return category;
    }

    /** True for codes 1-30 and 42 on: the server reports them. */
    public boolean isServerSide() {
        return category != Category.CLIENT;
    }

    /**
     * The HTTP status the reference server answers with.
     *
     * @throws IllegalStateException for a client-side code, which the server never sends
     */
    public int httpStatus() {
        if (!isServerSide()) {
            throw new IllegalStateException(this + " is raised by clients only");
        }
        return httpStatus;
    }

    /** True where the same request may succeed later without any change (a peer was down). */
    public boolean isRetryable() {
        return this == AD_UNAVAILABLE || this == CERTIFICATE_ISSUANCE_FAILED;
    }

    public static Optional<ErrorCode> forCode(int code) {
        return Optional.ofNullable(BY_NUMBER.get(code));
    }
}
