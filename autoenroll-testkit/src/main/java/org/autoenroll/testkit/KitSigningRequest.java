package org.autoenroll.testkit;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.SigningRequest;

/**
 * The contract's stand-in for the pipeline's checked request. Package-private on purpose: outside
 * tests, only the pipeline makes signing requests.
 */
record KitSigningRequest(String requestId, byte[] csr, PublicKey publicKey, String commonName, Optional<String> email,
                         Optional<String> upn, Optional<String> sid, List<String> dnsNames, CertificateProfile profile)
        implements SigningRequest {
    @Override
    public String customerUri() {
        return "urn:autoenroll:testkit";
    }

    @Override
    public byte[] pkcs10() {
        return csr.clone();
    }
}
