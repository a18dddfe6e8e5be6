package org.autoenroll.api;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the pipeline has checked: proof of possession verified, key strong enough, every
 * name taken from the directory entry of the authenticated caller. A {@link CertificateSigner}
 * may put these names into the certificate without further checks.
 *
 * <p>Only the pipeline's CSR check creates these; immutable.
 *
 * @param publicKey the CSR's public key
 * @param commonName the subject CN (the entry's {@code cn})
 * @param email the rfc822Name for the SAN and subject
 * @param userPrincipalName the UPN for the SAN otherName, or null
 * @param userSid the user's SID for Microsoft's SID extension, or null
 * @param profile how to make the certificate
 */
public record SigningRequest(PublicKey publicKey, String commonName, String email, String userPrincipalName,
                             String userSid, CertificateProfile profile) {
    public SigningRequest {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(profile, "profile");
    }

    public Optional<String> upn() {
        return Optional.ofNullable(userPrincipalName);
    }

    public Optional<String> sid() {
        return Optional.ofNullable(userSid);
    }
}
