package org.autoenroll.api;

import java.util.List;

/**
 * Has a certificate authority sign a checked request. Implementations are thread-safe; an
 * integrator replaces the built-in CA by implementing this interface.
 *
 * @since 0.1
 */
public interface CertificateSigner {
    /**
     * @throws EnrollmentException {@link ErrorCode#CERTIFICATE_ISSUANCE_FAILED} when the CA
     *     refuses, fails, or cannot be reached
     */
    IssuedCertificate sign(SigningRequest request) throws EnrollmentException;

    /** The issuing CA's certificates in DER, issuing CA first. */
    List<byte[]> caChain();

    /**
     * True when this signer signs in this process with the issuing CA's key, which it holds (the
     * built-in CA, with its key in a key store or a PKCS#11 token): what {@link #sign} returns then
     * needs no signature check against {@link #caChain()}. False (the default) for a CA reached
     * over the network, whose answers are verified.
     */
    default boolean signsWithHeldKey() {
        return false;
    }
}
