package org.autoenroll.ca;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The key that signs OCSP responses with its certificate: the CA's own, or a delegated OCSP
 * signer's. Immutable and thread-safe; {@link #newSigner()} gives each response its own signer.
 */
final class OcspSigningKey {
    private final PrivateKey key;
    private final X509CertificateHolder certificate;
    private final String signatureAlgorithm;
    private final java.security.Provider provider;
    private final SecureRandom random;
    private final boolean delegated;

    OcspSigningKey(PrivateKey key, X509Certificate certificate, java.security.Provider provider, SecureRandom random,
                   boolean delegated) throws IOException, CertificateEncodingException {
        this.key = key;
        this.certificate = new X509CertificateHolder(certificate.getEncoded());
        this.signatureAlgorithm = signatureAlgorithmFor(certificate);
        this.provider = provider;
        this.random = random;
        this.delegated = delegated;
    }

    private static String signatureAlgorithmFor(X509Certificate certificate) {
        if (certificate.getPublicKey() instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        if (certificate.getPublicKey() instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        throw new IllegalArgumentException("unsupported OCSP signing key " + certificate.getPublicKey().getAlgorithm());
    }

    ContentSigner newSigner() throws OperatorCreationException {
        return new JcaContentSignerBuilder(signatureAlgorithm).setProvider(provider).setSecureRandom(random).build(key);
    }

    X509CertificateHolder certificate() {
        return certificate;
    }

    SubjectPublicKeyInfo publicKeyInfo() {
        return certificate.getSubjectPublicKeyInfo();
    }

    Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    boolean delegated() {
        return delegated;
    }
}
