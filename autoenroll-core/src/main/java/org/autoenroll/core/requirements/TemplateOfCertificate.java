package org.autoenroll.core.requirements;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.autoenroll.api.TemplateId;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * Reads the template extension 1.3.6.1.4.1.311.21.7 (template OID, major and minor revision) of a
 * certificate, as Windows clients match certificates to templates. Unreadable: empty.
 */
final class TemplateOfCertificate {
    static final String TEMPLATE_INFO = "1.3.6.1.4.1.311.21.7";

    private TemplateOfCertificate() {
    }

    static Optional<X509Certificate> parse(byte[] der) {
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<TemplateId> of(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(TEMPLATE_INFO);
        if (value == null) {
            return Optional.empty();
        }
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1OctetString.getInstance(value).getOctets());
            String oid = ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0)).getId();
            int major = sequence.size() > 1 ? ASN1Integer.getInstance(sequence.getObjectAt(1)).intValueExact() : 0;
            int minor = sequence.size() > 2 ? ASN1Integer.getInstance(sequence.getObjectAt(2)).intValueExact() : 0;
            return Optional.of(new TemplateId(oid, major, minor));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
