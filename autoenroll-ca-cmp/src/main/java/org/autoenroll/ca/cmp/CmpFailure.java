package org.autoenroll.ca.cmp;

/**
 * Why an exchange with the CMP CA failed, in words safe to show a client (never a secret); the
 * signer turns it into {@code CERTIFICATE_ISSUANCE_FAILED} (25) with this detail.
 */
final class CmpFailure extends Exception {
    CmpFailure(String detail) {
        super(detail);
    }

    CmpFailure(String detail, Throwable cause) {
        super(detail, cause);
    }
}
