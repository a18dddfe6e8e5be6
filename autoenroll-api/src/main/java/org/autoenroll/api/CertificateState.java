package org.autoenroll.api;

/** The state a certificate is recorded in; expiry is read from its validity, not stored. */
public enum CertificateState {
    VALID, REVOKED
}
