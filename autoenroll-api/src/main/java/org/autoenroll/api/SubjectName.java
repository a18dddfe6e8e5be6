package org.autoenroll.api;

/**
 * A name the certificate carries, always taken from the directory entry, never from the CSR
 * (MS-CRTD {@code msPKI-Certificate-Name-Flag}, built from AD).
 *
 * @since 0.2
 */
public enum SubjectName {
    /** Subject CN: the entry's {@code cn} (users) or DNS host name (computers). */
    COMMON_NAME,
    /** SAN rfc822Name from {@code mail} (SUBJECT_ALT_REQUIRE_EMAIL). */
    EMAIL,
    /** SAN otherName UPN 1.3.6.1.4.1.311.20.2.3 (SUBJECT_ALT_REQUIRE_UPN). */
    UPN,
    /** SAN dNSName from {@code dNSHostName} (SUBJECT_ALT_REQUIRE_DNS); computers. */
    DNS,
    /** Microsoft's SID extension 1.3.6.1.4.1.311.25.2 (KB5014754 strong mapping). */
    SID_EXTENSION,
    /** KB5014754's SAN URL form {@code tag:microsoft.com,2022-09-14:sid:<SID>}. */
    SID_URL
}
