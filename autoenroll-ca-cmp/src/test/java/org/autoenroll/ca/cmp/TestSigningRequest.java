package org.autoenroll.ca.cmp;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A signing request made by a test, standing in for the pipeline's checked one. */
record TestSigningRequest(byte[] csr, PublicKey publicKey, String commonName) implements SigningRequest {
    static final CertificateProfile PROFILE = new CertificateProfile("user", Duration.ofDays(10), Duration.ofDays(2), false);

    static TestSigningRequest of(PKCS10CertificationRequest csr, String commonName) throws Exception {
        return new TestSigningRequest(csr.getEncoded(), new JcaPKCS10CertificationRequest(csr).getPublicKey(), commonName);
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
        return csr.clone();
    }

    @Override
    public Optional<String> email() {
        return Optional.of("alice@example.com");
    }

    @Override
    public Optional<String> upn() {
        return Optional.of("alice@example.com");
    }

    @Override
    public Optional<String> sid() {
        return Optional.empty();
    }

    @Override
    public List<String> dnsNames() {
        return List.of();
    }

    @Override
    public CertificateProfile profile() {
        return PROFILE;
    }
}
