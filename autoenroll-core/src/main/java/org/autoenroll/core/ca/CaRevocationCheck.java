package org.autoenroll.core.ca;

import java.security.cert.X509Certificate;

/**
 * Whether a CA's own certificate is revoked by its issuer (seed 002: a client does not enroll with
 * a revoked CA). Implementations answer "not revoked" when the certificate names no CRL
 * distribution point or the CRL cannot be reached, as Windows ignores such revocation errors.
 */
@FunctionalInterface
public interface CaRevocationCheck {
    /** Never revoked: for self-signed roots, and for tests. */
    CaRevocationCheck NONE = certificate -> false;

    boolean isRevoked(X509Certificate caCertificate);
}
