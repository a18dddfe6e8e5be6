package org.autoenroll.api;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * A request the pipeline has checked and the policy has approved, as a {@link CertificateSigner}
 * receives it: proof of possession verified, key allowed by the template, every name taken from
 * the directory entry of the authenticated caller. A signer may put these names into the
 * certificate without further checks, or forward {@link #pkcs10()} to a CA that wants the request
 * itself (AD CS, a CMP or EST CA).
 *
 * <p>Only the enrollment pipeline creates these: there is deliberately no public implementation,
 * so no caller can hand a signer a request that skipped the checks. Immutable and thread-safe.
 *
 * @since 0.2
 */
public interface SigningRequest {
    /** The enrollment request's id, as the client and the store know it. */
    String requestId();

    /** The customer the certificate is issued for. */
    String customerUri();

    /** The template (profile) the policy chose; the same as {@code profile().name()}. */
    default String templateName() {
        return profile().name();
    }

    /** The client's PKCS#10 request, DER, exactly as received (a fresh copy each call). */
    byte[] pkcs10();

    /** The CSR's public key. */
    PublicKey publicKey();

    /** The subject CN: the directory entry's {@code cn} (a computer's DNS host name for machine templates). */
    String commonName();

    /** The rfc822Name for the SAN, in the directory's spelling; empty for computers. */
    Optional<String> email();

    /** The UPN for the SAN otherName. */
    Optional<String> upn();

    /** The caller's SID, for Microsoft's SID extension and the KB5014754 SAN URL. */
    Optional<String> sid();

    /** dNSName values for the SAN (a computer's {@code dNSHostName}); empty for users. */
    List<String> dnsNames();

    /** How to make the certificate. */
    CertificateProfile profile();
}
