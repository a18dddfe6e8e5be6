package org.autoenroll.wstep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.wstep.soap.XmlWriter;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Writes an MS-XCEP GetPoliciesResponse body in schema order (3.1.4.1.1.2): {@code response}
 * (policyID, policyFriendlyName, nextUpdateHours, policiesNotChanged, policies), {@code cAs},
 * {@code oIDs}; each policy's {@code attributes} in the order of 3.1.4.1.3.1, nillable elements
 * present with {@code xsi:nil}, because Windows refuses any other order (WS_E_INVALID_FORMAT).
 * The template flags are MS-CRTD's. Not thread-safe; one per answer.
 */
final class PolicyWriter {
    static final int GROUP_HASH = 1;
    static final int GROUP_PUBLIC_KEY = 3;
    static final int GROUP_EXTENSION = 6;
    static final int GROUP_APPLICATION_POLICY = 7;
    static final int GROUP_TEMPLATE = 9;

    /** msPKI-Certificate-Name-Flag (MS-CRTD 2.28). */
    static final int SUBJECT_ALT_REQUIRE_UPN = 0x02000000;
    static final int SUBJECT_ALT_REQUIRE_EMAIL = 0x04000000;
    static final int SUBJECT_ALT_REQUIRE_DNS = 0x08000000;
    static final int SUBJECT_REQUIRE_DNS_AS_CN = 0x10000000;
    static final int SUBJECT_REQUIRE_COMMON_NAME = 0x40000000;
    /** msPKI-Enrollment-Flag (MS-CRTD 2.26). */
    static final int CT_FLAG_PEND_ALL_REQUESTS = 0x2;
    static final int CT_FLAG_PUBLISH_TO_DS = 0x8;
    static final int CT_FLAG_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE = 0x10;
    static final int CT_FLAG_AUTO_ENROLLMENT = 0x20;
    /** flags (MS-CRTD 2.4). */
    static final int CT_FLAG_MACHINE_TYPE = 0x40;
    static final int CT_FLAG_IS_MODIFIED = 0x20000;
    /** AT_KEYEXCHANGE: the key signs and decrypts (what TLS client and server keys need). */
    static final int AT_KEYEXCHANGE = 1;

    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String SHA256 = "2.16.840.1.101.3.4.2.1";
    private static final String EKU_EXTENSION = "2.5.29.37";
    private static final String KU_EXTENSION = "2.5.29.15";

    private final Map<String, OidEntry> oids = new LinkedHashMap<>();

    private record OidEntry(String value, int group, int id, String defaultName) {
    }

    /** Writes the GetPoliciesResponse element. {@code offered} empty or {@code notChanged}: policies nil. */
    void write(XmlWriter xml, CepSettings settings, List<CallerTemplates.OfferedTemplate> offered, boolean notChanged) {
        xml.open("", "GetPoliciesResponse").namespace("", org.autoenroll.wstep.soap.Namespaces.XCEP);
        xml.open("", "response");
        xml.leaf("", "policyID", settings.policyId());
        xml.leaf("", "policyFriendlyName", settings.friendlyName());
        xml.leaf("", "nextUpdateHours", Integer.toString(settings.nextUpdateHours()));
        xml.leaf("", "policiesNotChanged", Boolean.toString(notChanged));
        if (notChanged || offered.isEmpty()) {
            xml.nil("", "policies");
        } else {
            xml.open("", "policies");
            for (CallerTemplates.OfferedTemplate template : offered) {
                policy(xml, template, settings.cas().size());
            }
            xml.close();
        }
        xml.close();
        if (notChanged) {
            xml.nil("", "cAs");
            xml.nil("", "oIDs");
        } else {
            cas(xml, settings);
            oids(xml);
        }
        xml.close();
    }

    private void policy(XmlWriter xml, CallerTemplates.OfferedTemplate offered, int caCount) {
        CertificateTemplate t = offered.template();
        xml.open("", "policy");
        xml.leaf("", "policyOIDReference", Integer.toString(oid(t.id().oid(), GROUP_TEMPLATE, t.name())));
        xml.open("", "cAs");
        for (int i = 0; i < caCount; i++) {
            xml.leaf("", "cAReference", Integer.toString(i));
        }
        xml.close();
        xml.open("", "attributes");
        xml.leaf("", "commonName", t.name());
        boolean rsaOnly = t.keyRules().algorithms().equals(java.util.Set.of("RSA"));
        // schema 2: CSP-era templates; 3: CNG (EC keys, algorithmOIDReference)
        xml.leaf("", "policySchema", rsaOnly ? "2" : "3");
        xml.open("", "certificateValidity");
        xml.leaf("", "validityPeriodSeconds", Long.toString(t.validity().toSeconds()));
        xml.leaf("", "renewalPeriodSeconds", Long.toString(t.renewalWindow().toSeconds()));
        xml.close();
        xml.open("", "permission");
        xml.leaf("", "enroll", Boolean.toString(offered.enroll()));
        xml.leaf("", "autoEnroll", Boolean.toString(offered.autoenroll() && t.autoenrollEnabled()));
        xml.close();
        privateKeyAttributes(xml, t);
        xml.open("", "revision");
        xml.leaf("", "majorRevision", Integer.toString(t.id().majorRevision()));
        xml.leaf("", "minorRevision", Integer.toString(t.id().minorRevision()));
        xml.close();
        if (t.supersedes().isEmpty()) {
            xml.nil("", "supersededPolicies");
        } else {
            xml.open("", "supersededPolicies");
            t.supersedes().forEach(name -> xml.leaf("", "commonName", name));
            xml.close();
        }
        xml.leaf("", "privateKeyFlags", "0");
        xml.leaf("", "subjectNameFlags", unsigned(subjectNameFlags(t)));
        xml.leaf("", "enrollmentFlags", unsigned(enrollmentFlags(t)));
        xml.leaf("", "generalFlags", unsigned(generalFlags(t)));
        xml.leaf("", "hashAlgorithmOIDReference", Integer.toString(oid(SHA256, GROUP_HASH, "sha256")));
        xml.nil("", "rARequirements");
        xml.nil("", "keyArchivalAttributes");
        extensions(xml, t);
        xml.close();
        xml.close();
    }

    private void privateKeyAttributes(XmlWriter xml, CertificateTemplate t) {
        boolean rsa = t.keyRules().algorithms().contains("RSA");
        xml.open("", "privateKeyAttributes");
        xml.leaf("", "minimalKeyLength", Integer.toString(rsa ? t.keyRules().minimalRsaBits() : 256));
        xml.leaf("", "keySpec", Integer.toString(AT_KEYEXCHANGE));
        xml.nil("", "keyUsageProperty");
        xml.nil("", "permissions");
        if (rsa) {
            xml.leaf("", "algorithmOIDReference", Integer.toString(oid(RSA, GROUP_PUBLIC_KEY, "RSA")));
        } else {
            xml.nil("", "algorithmOIDReference");
        }
        xml.open("", "cryptoProviders");
        xml.leaf("", "provider", "Microsoft Software Key Storage Provider");
        if (rsa) {
            xml.leaf("", "provider", "Microsoft Enhanced RSA and AES Cryptographic Provider");
        }
        xml.close();
        xml.close();
    }

    private void extensions(XmlWriter xml, CertificateTemplate t) {
        List<String[]> values = new ArrayList<>();
        try {
            if (!t.extendedKeyUsages().isEmpty()) {
                KeyPurposeId[] purposes = t.extendedKeyUsages().stream().map(o ->
                        KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier(o))).toArray(KeyPurposeId[]::new);
                values.add(new String[] {EKU_EXTENSION, "false", base64(new ExtendedKeyUsage(purposes).getEncoded())});
            }
            if (!t.keyUsage().isEmpty()) {
                values.add(new String[] {KU_EXTENSION, "true", base64(new KeyUsage(keyUsageBits(t)).getEncoded())});
            }
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory failed", e);
        }
        if (values.isEmpty()) {
            xml.nil("", "extensions");
            return;
        }
        for (String eku : t.extendedKeyUsages()) {
            oid(eku, GROUP_APPLICATION_POLICY, eku);
        }
        xml.open("", "extensions");
        for (String[] extension : values) {
            xml.open("", "extension");
            xml.leaf("", "oIDReference", Integer.toString(oid(extension[0], GROUP_EXTENSION, extension[0])));
            xml.leaf("", "critical", extension[1]);
            xml.leaf("", "value", extension[2]);
            xml.close();
        }
        xml.close();
    }

    private static void cas(XmlWriter xml, CepSettings settings) {
        xml.open("", "cAs");
        int id = 0;
        for (CepSettings.Ca ca : settings.cas()) {
            xml.open("", "cA");
            xml.open("", "uris");
            for (CepSettings.CesUri uri : ca.uris()) {
                xml.open("", "cAURI");
                xml.leaf("", "clientAuthentication", Integer.toString(uri.authentication().wire()));
                xml.leaf("", "uri", uri.uri());
                xml.leaf("", "priority", Integer.toString(uri.priority()));
                xml.leaf("", "renewalOnly", Boolean.toString(uri.renewalOnly()));
                xml.close();
            }
            xml.close();
            xml.leaf("", "certificate", base64(ca.certificate()));
            xml.leaf("", "enrollPermission", "true");
            xml.leaf("", "cAReferenceID", Integer.toString(id++));
            xml.close();
        }
        xml.close();
    }

    private void oids(XmlWriter xml) {
        if (oids.isEmpty()) {
            xml.nil("", "oIDs");
            return;
        }
        xml.open("", "oIDs");
        for (OidEntry entry : oids.values()) {
            xml.open("", "oID");
            xml.leaf("", "value", entry.value());
            xml.leaf("", "group", Integer.toString(entry.group()));
            xml.leaf("", "oIDReferenceID", Integer.toString(entry.id()));
            xml.leaf("", "defaultName", entry.defaultName());
            xml.close();
        }
        xml.close();
    }

    private int oid(String value, int group, String defaultName) {
        return oids.computeIfAbsent(group + ":" + value, k -> new OidEntry(value, group, oids.size(), defaultName)).id();
    }

    static int subjectNameFlags(CertificateTemplate t) {
        int flags = 0;
        boolean computer = t.subjectType() == SubjectType.COMPUTER;
        if (t.subjectNames().contains(SubjectName.COMMON_NAME)) {
            flags |= computer ? SUBJECT_REQUIRE_DNS_AS_CN : SUBJECT_REQUIRE_COMMON_NAME;
        }
        if (t.subjectNames().contains(SubjectName.DNS)) {
            flags |= SUBJECT_ALT_REQUIRE_DNS;
        }
        if (t.subjectNames().contains(SubjectName.EMAIL)) {
            flags |= SUBJECT_ALT_REQUIRE_EMAIL;
        }
        if (t.subjectNames().contains(SubjectName.UPN)) {
            flags |= SUBJECT_ALT_REQUIRE_UPN;
        }
        return flags;
    }

    static int enrollmentFlags(CertificateTemplate t) {
        int flags = 0;
        if (t.requiresApproval()) {
            flags |= CT_FLAG_PEND_ALL_REQUESTS;
        }
        if (t.publishToDirectory()) {
            flags |= CT_FLAG_PUBLISH_TO_DS;
        }
        if (t.checkDirectoryCertificates()) {
            flags |= CT_FLAG_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE;
        }
        if (t.autoenrollEnabled()) {
            flags |= CT_FLAG_AUTO_ENROLLMENT;
        }
        return flags;
    }

    static int generalFlags(CertificateTemplate t) {
        return CT_FLAG_IS_MODIFIED | (t.subjectType() == SubjectType.COMPUTER ? CT_FLAG_MACHINE_TYPE : 0);
    }

    private static int keyUsageBits(CertificateTemplate t) {
        int bits = 0;
        for (KeyUsageBit bit : t.keyUsage()) {
            bits |= switch (bit) {
                case DIGITAL_SIGNATURE -> KeyUsage.digitalSignature;
                case NON_REPUDIATION -> KeyUsage.nonRepudiation;
                case KEY_ENCIPHERMENT -> KeyUsage.keyEncipherment;
                case DATA_ENCIPHERMENT -> KeyUsage.dataEncipherment;
                case KEY_AGREEMENT -> KeyUsage.keyAgreement;
                default -> 0;
            };
        }
        return bits;
    }

    private static String unsigned(int value) {
        return Integer.toUnsignedString(value);
    }

    private static String base64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }
}
