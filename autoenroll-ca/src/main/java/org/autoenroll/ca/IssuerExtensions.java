package org.autoenroll.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The extensions every end-entity certificate of one CA carries alike (basic constraints, authority
 * key identifier, CRL and delta CRL distribution points, AIA), encoded once when the CA opens rather
 * than for every certificate; plus the two that differ per certificate (key usage, subject key
 * identifier). Immutable and thread-safe.
 */
final class IssuerExtensions {
    private final Extension basicConstraints;
    private final Extension authorityKeyIdentifier;
    private final Extension crlDistributionPoints;
    private final Extension freshestCrl;
    private final Extension authorityInfoAccess;

    IssuerExtensions(CaSettings settings, PublicKey caPublicKey) throws IOException, GeneralSecurityException {
        basicConstraints = new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded());
        authorityKeyIdentifier = new Extension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caPublicKey).getEncoded());
        crlDistributionPoints = new Extension(Extension.cRLDistributionPoints, false,
                distributionPoint(settings.crlUrl()).getEncoded());
        // RFC 5280 5.2.6: the delta CRL location, so relying parties that use deltas find it
        freshestCrl = new Extension(Extension.freshestCRL, false, distributionPoint(settings.deltaCrlUrl()).getEncoded());
        authorityInfoAccess = new Extension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription[] {
                        new AccessDescription(X509ObjectIdentifiers.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, settings.ocspUrl())),
                        new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers,
                                new GeneralName(GeneralName.uniformResourceIdentifier, settings.caCertificateUrl()))})
                .getEncoded());
    }

    private static CRLDistPoint distributionPoint(String url) {
        GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url));
        return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(names), null, null)});
    }

    /** Adds, in this order: basic constraints, key usage, subject and authority key identifiers, CDP, freshest CRL, AIA. */
    void addTo(X509v3CertificateBuilder builder, SubjectPublicKeyInfo keyInfo, int keyUsage)
            throws IOException, GeneralSecurityException {
        builder.addExtension(basicConstraints);
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        builder.addExtension(Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(keyInfo));
        builder.addExtension(authorityKeyIdentifier);
        builder.addExtension(crlDistributionPoints);
        builder.addExtension(freshestCrl);
        builder.addExtension(authorityInfoAccess);
    }

    /** RFC 5280 4.2.1.2 method (1), as Bouncy Castle's {@code createSubjectKeyIdentifier}: SHA-1 of the key's bits. */
    static SubjectKeyIdentifier subjectKeyIdentifier(SubjectPublicKeyInfo keyInfo) throws GeneralSecurityException {
        return new SubjectKeyIdentifier(MessageDigest.getInstance("SHA-1").digest(keyInfo.getPublicKeyData().getBytes()));
    }
}
