package org.autoenroll.wstep.testkit;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CertificationRequest;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Certificate requests as Windows' certenroll makes them, for tests: a PKCS#10 naming its
 * template in extension 1.3.6.1.4.1.311.20.2; the same wrapped in CMC (RFC 5272 PKIData in a
 * SignedData signed with the request's own key, signer identified by key identifier); and a
 * key-based renewal (a PKCS#7 SignedData of the PKCS#10, signed by the certificate being renewed,
 * which it carries). Bouncy Castle is used as a provider object, never registered. Stateless.
 */
public final class WindowsRequests {
    private static final Provider BC = new BouncyCastleProvider();
    private static final ASN1ObjectIdentifier TEMPLATE_NAME = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2");
    private static final ASN1ObjectIdentifier PKI_DATA = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.12.2");

    private WindowsRequests() {
    }

    /** A DER PKCS#10 for {@code subject}, naming {@code template} (or none when null). */
    public static byte[] pkcs10(KeyPair key, String subject, String template) {
        try {
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal(subject), key.getPublic());
            if (template != null) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(new Extension(TEMPLATE_NAME, false, new DERBMPString(template).getEncoded()));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            return builder.build(signer(key.getPrivate())).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code pkcs10} in CMC PKIData, signed with the request's own key as Windows does. */
    public static byte[] cmc(KeyPair key, byte[] pkcs10) {
        try {
            PKIData data = new PKIData(new TaggedAttribute[0], new TaggedRequest[] {new TaggedRequest(
                    new TaggedCertificationRequest(new BodyPartID(1), CertificationRequest.getInstance(pkcs10)))},
                    new TaggedContentInfo[0], new OtherMsg[0]);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            byte[] keyId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key.getPublic()).getKeyIdentifier();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build()).build(signer(key.getPrivate()), keyId));
            return generator.generate(new CMSProcessableByteArray(PKI_DATA, data.getEncoded()), true).getEncoded();
        } catch (IOException | GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key-based renewal: {@code pkcs10} in a SignedData signed with {@code oldKey} by {@code oldCertificate}. */
    public static byte[] renewal(byte[] pkcs10, X509Certificate oldCertificate, PrivateKey oldKey) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build()).build(signer(oldKey), oldCertificate));
            generator.addCertificates(new JcaCertStore(List.of(oldCertificate)));
            return generator.generate(new CMSProcessableByteArray(pkcs10), true).getEncoded();
        } catch (IOException | GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaContentSignerBuilder(algorithm).setProvider(BC).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
