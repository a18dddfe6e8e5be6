package org.autoenroll.ca;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.SigningRequest;

/** A signing request made by a test, standing in for the pipeline's checked one. */
record TestSigningRequest(PublicKey publicKey, String commonName, String emailAddress, String userPrincipalName,
                          String userSid, List<String> dnsNames, CertificateProfile profile) implements SigningRequest {
    TestSigningRequest(PublicKey publicKey, String commonName, String email, String upn, String sid,
                       CertificateProfile profile) {
        this(publicKey, commonName, email, upn, sid, List.of(), profile);
    }

    @Override
    public String requestId() {
        return "test-request";
    }

    @Override
    public String customerUri() {
        return "urn:customer:acme";
    }

    @Override
    public byte[] pkcs10() {
        return new byte[0];
    }

    @Override
    public Optional<String> email() {
        return Optional.ofNullable(emailAddress);
    }

    @Override
    public Optional<String> upn() {
        return Optional.ofNullable(userPrincipalName);
    }

    @Override
    public Optional<String> sid() {
        return Optional.ofNullable(userSid);
    }
}
