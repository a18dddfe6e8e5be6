package org.autoenroll.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.TemplateId;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The extensions a profile (template) asks for, from the checked names of a {@link SigningRequest}:
 * subjectAltName (e-mail, UPN, DNS, the KB5014754 SID URL), EKUs, Microsoft's SID extension and the
 * template extension 1.3.6.1.4.1.311.21.7 that Windows clients match certificates to templates by.
 */
final class ProfileExtensions {
    static final ASN1ObjectIdentifier UPN_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");
    static final ASN1ObjectIdentifier NTDS_CA_SECURITY_EXT = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.25.2");
    static final ASN1ObjectIdentifier NTDS_OBJECTSID = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.25.2.1");
    static final ASN1ObjectIdentifier TEMPLATE_INFO = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.21.7");
    /** KB5014754's URL form of the SID in the SAN. */
    static final String SID_URL_PREFIX = "tag:microsoft.com,2022-09-14:sid:";

    private ProfileExtensions() {
    }

    /** The SAN, or null when the profile writes no alternative name. */
    static GeneralNames subjectAltNames(SigningRequest request) {
        CertificateProfile profile = request.profile();
        List<GeneralName> names = new ArrayList<>();
        if (profile.writes(SubjectName.EMAIL)) {
            request.email().ifPresent(email -> names.add(new GeneralName(GeneralName.rfc822Name, email)));
        }
        if (profile.writes(SubjectName.DNS)) {
            request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        }
        if (profile.writes(SubjectName.UPN)) {
            request.upn().ifPresent(upn -> names.add(new GeneralName(GeneralName.otherName,
                    new DERSequence(new ASN1Encodable[] {UPN_OID, new DERTaggedObject(true, 0, new DERUTF8String(upn))}))));
        }
        if (profile.writes(SubjectName.SID_URL)) {
            request.sid().ifPresent(sid -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, SID_URL_PREFIX + sid)));
        }
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** EKUs, the SID extension and the template extension, as the profile asks. */
    static void addPolicyExtensions(X509v3CertificateBuilder builder, SigningRequest request) throws IOException {
        CertificateProfile profile = request.profile();
        if (!profile.extendedKeyUsages().isEmpty()) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.extendedKeyUsages().stream()
                    .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))).toArray(KeyPurposeId[]::new)));
        }
        if (profile.writes(SubjectName.SID_EXTENSION) && request.sid().isPresent()) {
            builder.addExtension(NTDS_CA_SECURITY_EXT, false, sidExtension(request.sid().get()));
        }
        if (profile.template().isPresent()) {
            builder.addExtension(TEMPLATE_INFO, false, templateExtension(profile.template().get()));
        }
    }

    /**
     * Microsoft's SID extension (KB5014754, szOID_NTDS_CA_SECURITY_EXT): a SEQUENCE holding one
     * otherName of type 1.3.6.1.4.1.311.25.2.1 whose value is the SID string as an OCTET STRING.
     * This is the GeneralNames encoding, which is what AD CS writes.
     */
    static GeneralNames sidExtension(String sid) {
        return new GeneralNames(new GeneralName(GeneralName.otherName, new DERSequence(
                new ASN1Encodable[] {NTDS_OBJECTSID,
                        new DERTaggedObject(true, 0, new DEROctetString(sid.getBytes(StandardCharsets.US_ASCII)))})));
    }

    /** CertificateTemplate ::= SEQUENCE { templateID OID, templateMajorVersion INTEGER, templateMinorVersion INTEGER }. */
    static DERSequence templateExtension(TemplateId id) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1ObjectIdentifier(id.oid()));
        v.add(new ASN1Integer(id.majorRevision()));
        v.add(new ASN1Integer(id.minorRevision()));
        return new DERSequence(v);
    }

    static int keyUsageBits(Set<KeyUsageBit> bits) {
        int value = 0;
        for (KeyUsageBit bit : bits) {
            value |= 1 << (7 - bit.bit()); // BC's KeyUsage constants: bit 0 is 0x80
        }
        return value;
    }
}
