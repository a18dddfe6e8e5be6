package org.autoenroll.core.csr;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Reads the template a Windows-style CSR names in its extension request: Microsoft's
 * certificate template name extension 1.3.6.1.4.1.311.20.2 (a BMPString, written by certreq and
 * older templates) or the template extension 1.3.6.1.4.1.311.21.7 (SEQUENCE of the template OID
 * and its revisions). A hint only: the policy decides whether the caller may have that template.
 */
final class TemplateExtensions {
    static final ASN1ObjectIdentifier TEMPLATE_NAME = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2");
    static final ASN1ObjectIdentifier TEMPLATE_INFO = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.21.7");
    private static final int MAX_NAME_CHARS = 256;

    private TemplateExtensions() {
    }

    /** The template name, else the template OID, else null; unreadable values count as absent. */
    static String templateHint(PKCS10CertificationRequest csr) {
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                try {
                    Extensions extensions = Extensions.getInstance(value);
                    String name = templateName(extensions.getExtension(TEMPLATE_NAME));
                    if (name != null) {
                        return name;
                    }
                    String oid = templateOid(extensions.getExtension(TEMPLATE_INFO));
                    if (oid != null) {
                        return oid;
                    }
                } catch (RuntimeException e) {
                    // not a readable extension request: the CSR checks report that themselves
                }
            }
        }
        return null;
    }

    private static String templateName(Extension extension) {
        if (extension == null) {
            return null;
        }
        ASN1Primitive value;
        try {
            value = ASN1Primitive.fromByteArray(extension.getExtnValue().getOctets());
        } catch (java.io.IOException e) {
            return null;
        }
        if (value instanceof ASN1String string && string.getString().length() <= MAX_NAME_CHARS) {
            return string.getString().strip();
        }
        return null;
    }

    private static String templateOid(Extension extension) {
        if (extension == null) {
            return null;
        }
        ASN1Sequence sequence = ASN1Sequence.getInstance(extension.getExtnValue().getOctets());
        return ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0)).getId();
    }
}
