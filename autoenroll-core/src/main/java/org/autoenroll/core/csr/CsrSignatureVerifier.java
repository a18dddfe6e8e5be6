package org.autoenroll.core.csr;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Decodes a CSR's public key and verifies its self-signature with a given JCA provider instance
 * (Bouncy Castle by default; a native one such as the Amazon Corretto Crypto Provider when the
 * embedder passes it), never registered globally. RSASSA-PSS, whose parameters only Bouncy Castle's
 * operator classes map for every provider, is always verified by Bouncy Castle, and so is a key type
 * or algorithm the provider does not offer. Thread-safe.
 */
final class CsrSignatureVerifier {
    /** The plain signature algorithms, by OID, under their JCA names (which every provider knows). */
    private static final Map<ASN1ObjectIdentifier, String> JCA_NAMES = Map.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");

    private final Provider provider;
    private final BouncyCastleProvider bouncyCastle;

    CsrSignatureVerifier(Provider provider) {
        this.bouncyCastle = new BouncyCastleProvider();
        this.provider = provider == null ? bouncyCastle : provider;
    }

    /** The name of the provider that verifies, for logs and tests. */
    String providerName() {
        return provider.getName();
    }

    /**
     * The CSR's public key, decoded by the provider (by Bouncy Castle when the provider has no key
     * factory for the algorithm, e.g. SunEC for RSA); {@code keyAlgorithm} is "RSA" or "EC".
     */
    PublicKey publicKey(PKCS10CertificationRequest csr, String keyAlgorithm) throws GeneralSecurityException, java.io.IOException {
        Provider decoder = provider.getService("KeyFactory", Objects.requireNonNull(keyAlgorithm)) != null
                ? provider : bouncyCastle;
        return KeyFactory.getInstance(keyAlgorithm, decoder)
                .generatePublic(new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER)));
    }

    /**
     * Whether the self-signature verifies with {@code key}.
     *
     * @throws Exception when the signature or key cannot be read (the caller answers 15 either way)
     */
    boolean verifies(PKCS10CertificationRequest csr, PublicKey key) throws Exception {
        String name = JCA_NAMES.get(csr.getSignatureAlgorithm().getAlgorithm());
        if (name == null) {
            // RSASSA-PSS: Bouncy Castle reads its parameters; it decodes the key itself from the request
            return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(bouncyCastle)
                    .build(csr.getSubjectPublicKeyInfo()));
        }
        Signature signature = Signature.getInstance(name, provider.getService("Signature", name) != null ? provider : bouncyCastle);
        signature.initVerify(key);
        signature.update(csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
        return signature.verify(csr.getSignature());
    }
}
