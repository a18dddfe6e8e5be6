package org.autoenroll.api;

/**
 * The state a certificate is recorded in; expiry is read from its validity, not stored.
 *
 * @since 0.1
 */
public enum CertificateState {
    VALID, REVOKED
}
