package org.autoenroll.ca.cmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.autoenroll.api.SecretRef;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * How CMP messages to and from the CA are protected (RFC 4210 section 5.1.3): a shared secret
 * (password-based MAC, identified by a reference the CA gave out) or a signature key and
 * certificate of ours, with the CA's CMP signing certificate pinned to check its answers. Either
 * way, an answer that is unprotected or protected otherwise is refused.
 *
 * <p>The secret and the private key never appear in {@link #toString()}, a log or an error
 * detail. The secret is read from its {@link SecretRef} for each message and cleared after use.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public abstract sealed class CmpProtection permits CmpProtection.SharedSecret, CmpProtection.Signature {
    /** PBM iterations we use; RFC 4210 asks for at least 100 and OpenSSL accepts up to 100,000. */
    static final int PBM_ITERATIONS = 10_000;
    /** The most iterations an answer may make us compute (a hostile CA could ask for billions). */
    static final int PBM_MAX_ITERATIONS = 100_000;

    private CmpProtection() {
    }

    /**
     * Password-based MAC with the secret the CA shares with this RA for {@code reference}
     * (OpenSSL's {@code -ref}/{@code -secret}, EJBCA's "HMAC" authentication module).
     */
    public static CmpProtection sharedSecret(String reference, SecretRef secret) {
        return new SharedSecret(reference, secret);
    }

    /**
     * Signed with our key; {@code ourChain} starts with the certificate of that key and is sent as
     * extraCerts. Answers must be signed by {@code caCmpCertificate}'s key.
     */
    public static CmpProtection signature(PrivateKey key, List<X509Certificate> ourChain, X509Certificate caCmpCertificate) {
        return new Signature(key, ourChain, caCmpCertificate);
    }

    /** The sender name to put in our messages' header. */
    abstract GeneralName sender();

    /** Sets senderKID and extraCerts, then protects. */
    abstract ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder, Provider provider, SecureRandom random)
            throws CmpFailure;

    /** @throws CmpFailure unless the answer carries a valid protection of the kind we use */
    abstract void verify(ProtectedPKIMessage answer, Provider provider) throws CmpFailure;

    static final class SharedSecret extends CmpProtection {
        private final String reference;
        private final SecretRef secret;

        private SharedSecret(String reference, SecretRef secret) {
            if (Objects.requireNonNull(reference, "reference").isEmpty()) {
                throw new IllegalArgumentException("the shared secret's reference (senderKID) must not be empty");
            }
            this.reference = reference;
            this.secret = Objects.requireNonNull(secret, "secret");
        }

        @Override
        GeneralName sender() {
            return new GeneralName(new X500Name(new org.bouncycastle.asn1.x500.RDN[0])); // NULL-DN, RFC 9483 3.1
        }

        @Override
        ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder, Provider provider, SecureRandom random)
                throws CmpFailure {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            PBMParameter parameters = new PBMParameter(salt, new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
                    PBM_ITERATIONS, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE));
            char[] password = resolve();
            try {
                PKMACBuilder mac = new PKMACBuilder(new JcePKMACValuesCalculator().setProvider(provider), PBM_MAX_ITERATIONS)
                        .setParameters(parameters).setSecureRandom(random);
                builder.setSenderKID(reference.getBytes(StandardCharsets.UTF_8));
                return builder.build(mac.build(password));
            } catch (CRMFException | CMPException e) {
                throw new CmpFailure("cannot compute the shared-secret MAC of the request", e);
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        @Override
        void verify(ProtectedPKIMessage answer, Provider provider) throws CmpFailure {
            if (!answer.hasPasswordBasedMacProtection()) {
                throw new CmpFailure("the CMP answer is not protected with the shared secret (protection "
                        + answer.getProtectionAlgorithm().getAlgorithm() + ")");
            }
            char[] password = resolve();
            try {
                PKMACBuilder mac = new PKMACBuilder(new JcePKMACValuesCalculator().setProvider(provider), PBM_MAX_ITERATIONS);
                if (!answer.verify(mac, password)) {
                    throw new CmpFailure("the CMP answer's MAC does not verify with the shared secret of reference " + reference);
                }
            } catch (CMPException | RuntimeException e) {
                throw new CmpFailure("the CMP answer's MAC cannot be checked: " + e.getMessage(), e);
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private char[] resolve() throws CmpFailure {
            try {
                return secret.resolve();
            } catch (IOException e) {
                throw new CmpFailure("cannot read the CMP shared secret " + secret, e);
            }
        }

        @Override
        public String toString() {
            return "shared secret (reference " + reference + ", " + secret + ")";
        }
    }

    static final class Signature extends CmpProtection {
        private final PrivateKey key;
        private final List<X509CertificateHolder> ourChain;
        private final X509Certificate caCmpCertificate;

        private Signature(PrivateKey key, List<X509Certificate> ourChain, X509Certificate caCmpCertificate) {
            this.key = Objects.requireNonNull(key, "key");
            if (!List.of("RSA", "EC").contains(key.getAlgorithm())) {
                throw new IllegalArgumentException("the CMP signing key must be RSA or EC, not " + key.getAlgorithm());
            }
            if (ourChain.isEmpty()) {
                throw new IllegalArgumentException("the chain must start with the certificate of the signing key");
            }
            try {
                this.ourChain = ourChain.stream().map(Signature::holder).toList();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a certificate of our chain does not encode", e);
            }
            this.caCmpCertificate = Objects.requireNonNull(caCmpCertificate, "caCmpCertificate");
        }

        private static X509CertificateHolder holder(X509Certificate certificate) {
            try {
                return new JcaX509CertificateHolder(certificate);
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        GeneralName sender() {
            return new GeneralName(ourChain.get(0).getSubject());
        }

        @Override
        ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder, Provider provider, SecureRandom random)
                throws CmpFailure {
            ourChain.forEach(builder::addCMPCertificate);
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            try {
                return builder.build(new JcaContentSignerBuilder(algorithm).setProvider(provider)
                        .setSecureRandom(random).build(key));
            } catch (OperatorCreationException | CMPException e) {
                throw new CmpFailure("cannot sign the CMP request", e);
            }
        }

        @Override
        void verify(ProtectedPKIMessage answer, Provider provider) throws CmpFailure {
            if (answer.hasPasswordBasedMacProtection()) {
                throw new CmpFailure("the CMP answer is MAC-protected, but a signature of the CA's CMP certificate is required");
            }
            try {
                if (!answer.verify(new JcaContentVerifierProviderBuilder().setProvider(provider).build(caCmpCertificate))) {
                    throw new CmpFailure("the CMP answer's signature does not verify with the CA's CMP certificate "
                            + caCmpCertificate.getSubjectX500Principal().getName());
                }
            } catch (OperatorCreationException | CMPException | RuntimeException e) {
                throw new CmpFailure("the CMP answer's signature cannot be checked: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "signature (" + ourChain.get(0).getSubject() + ")";
        }
    }
}
