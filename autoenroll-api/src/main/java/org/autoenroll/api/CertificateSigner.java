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
}
