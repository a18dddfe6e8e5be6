package org.autoenroll.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a certificate is made: the policy picks one, the signer follows it.
 *
 * @param name a stable name, recorded with each certificate
 * @param validity how long an issued certificate is valid
 * @param renewalWindow how long before expiry a holder may renew
 * @param publishToDirectory add the certificate to the user's {@code userCertificate} in AD
 */
public record CertificateProfile(String name, Duration validity, Duration renewalWindow, boolean publishToDirectory) {
    public CertificateProfile {
        Objects.requireNonNull(name, "name");
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("profile " + name + ": validity must be positive");
        }
        if (renewalWindow == null || renewalWindow.isNegative() || renewalWindow.compareTo(validity) > 0) {
            throw new IllegalArgumentException("profile " + name + ": renewal window must be between 0 and the validity");
        }
    }
}
