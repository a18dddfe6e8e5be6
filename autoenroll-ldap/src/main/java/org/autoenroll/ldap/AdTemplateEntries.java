package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.ldap.testkit.SecurityDescriptorBuilder;

/**
 * A {@link CertificateTemplate} as AD CS stores it: a {@code pKICertificateTemplate} entry with the
 * MS-CRTD attributes and an {@code nTSecurityDescriptor} whose DACL lets Authenticated Users read
 * the template (as AD CS's own templates do, else clients cannot see it) and holds the template's
 * rules as Certificate-Enrollment / -AutoEnrollment object ACEs, denies first (trustees must be
 * SIDs). {@code publish-ad} writes these into AD; the test kit puts them into test directories;
 * {@link AdTemplateSource} reads them back.
 *
 * <p>What AD cannot express is refused: renewal-only templates, the SAN URL form of the SID, key
 * rules other than a minimal RSA size.
 *
 * <p>Stateless and thread-safe.
 */
public final class AdTemplateEntries {
    /** Authenticated Users, who may read every template. */
    static final String AUTHENTICATED_USERS = "S-1-5-11";

    private AdTemplateEntries() {
    }

    /** The entry {@code CN=<name>,<certificateTemplatesDn>}. */
    public static Entry entry(String certificateTemplatesDn, CertificateTemplate template) {
        try {
            String dn = new DN(new RDN("CN", template.name()), new DN(certificateTemplatesDn)).toString();
            return new Entry(dn, attributes(template));
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalArgumentException("not a DN: " + certificateTemplatesDn, e);
        }
    }

    /** The attributes (objectClass and cn included), schema version 2. */
    public static List<Attribute> attributes(CertificateTemplate template) {
        if (template.renewalOnly()) {
            throw new IllegalArgumentException("AD templates have no renewal-only flag");
        }
        if (template.subjectNames().contains(SubjectName.SID_URL)) {
            throw new IllegalArgumentException("AD templates have no flag for the SID URL form");
        }
        List<Attribute> a = new ArrayList<>();
        a.add(new Attribute("objectClass", "top", "pKICertificateTemplate"));
        a.add(new Attribute("cn", template.name()));
        a.add(new Attribute("displayName", template.name()));
        a.add(new Attribute("msPKI-Cert-Template-OID", template.id().oid()));
        a.add(new Attribute("revision", Integer.toString(template.id().majorRevision())));
        a.add(new Attribute("msPKI-Template-Minor-Revision", Integer.toString(template.id().minorRevision())));
        a.add(new Attribute("msPKI-Template-Schema-Version", "2"));
        a.add(new Attribute("flags", Integer.toString(template.subjectType() == SubjectType.COMPUTER ? 0x40 : 0)));
        a.add(new Attribute("pKIExpirationPeriod", interval(template.validity())));
        a.add(new Attribute("pKIOverlapPeriod", interval(template.renewalWindow())));
        if (!template.extendedKeyUsages().isEmpty()) {
            a.add(new Attribute("pKIExtendedKeyUsage", template.extendedKeyUsages()));
            a.add(new Attribute("msPKI-Certificate-Application-Policy", template.extendedKeyUsages()));
        }
        a.add(new Attribute("pKIKeyUsage", keyUsage(template.keyUsage())));
        a.add(new Attribute("msPKI-Minimal-Key-Size", Integer.toString(template.keyRules().minimalRsaBits())));
        a.add(new Attribute("msPKI-Enrollment-Flag", Integer.toString(enrollmentFlag(template))));
        a.add(new Attribute("msPKI-Certificate-Name-Flag", Integer.toString(nameFlag(template))));
        a.add(new Attribute("msPKI-RA-Signature", "0"));
        a.add(new Attribute("msPKI-Private-Key-Flag", "0"));
        if (!template.supersedes().isEmpty()) {
            a.add(new Attribute("msPKI-Supersede-Templates", template.supersedes()));
        }
        a.add(new Attribute("nTSecurityDescriptor", descriptor(template.accessRules())));
        return a;
    }

    /**
     * The template's {@code nTSecurityDescriptor}: no owner (the directory sets it), a DACL in
     * canonical order: the deny ACEs, read access for Authenticated Users, then the allow ACEs.
     */
    public static byte[] descriptor(List<AccessRule> rules) {
        SecurityDescriptorBuilder builder = SecurityDescriptorBuilder.create();
        rules.stream().filter(r -> !r.allow()).forEach(r -> builder.deny(r.trustee(), r.right()));
        builder.plain(true, SecurityDescriptorBuilder.READ_MASK, AUTHENTICATED_USERS);
        rules.stream().filter(AccessRule::allow).forEach(r -> builder.allow(r.trustee(), r.right()));
        return builder.build();
    }

    /** msPKI-Enrollment-Flag (MS-CRTD 2.26). */
    static int enrollmentFlag(CertificateTemplate t) {
        return (t.requiresApproval() ? 0x2 : 0) | (t.publishToDirectory() ? 0x8 : 0)
                | (t.checkDirectoryCertificates() ? 0x10 : 0) | (t.autoenrollEnabled() ? 0x20 : 0)
                | (t.subjectNames().contains(SubjectName.SID_EXTENSION) ? 0 : 0x80000);
    }

    /** msPKI-Certificate-Name-Flag (MS-CRTD 2.28), as a signed 32-bit value the way AD prints it. */
    static int nameFlag(CertificateTemplate t) {
        Set<SubjectName> names = t.subjectNames();
        int flag = 0;
        if (names.contains(SubjectName.COMMON_NAME)) {
            flag |= t.subjectType() == SubjectType.COMPUTER ? 0x10000000 : 0x40000000;
        }
        if (names.contains(SubjectName.EMAIL)) {
            flag |= 0x04000000;
        }
        if (names.contains(SubjectName.UPN)) {
            flag |= 0x02000000;
        }
        if (names.contains(SubjectName.DNS)) {
            flag |= 0x08000000;
        }
        return flag;
    }

    /** The KeyUsage bits as pKIKeyUsage's bytes: bit 0 the high bit of the first byte. */
    static byte[] keyUsage(Set<KeyUsageBit> bits) {
        int first = 0;
        for (KeyUsageBit bit : bits) {
            first |= 0x80 >>> bit.bit();
        }
        return new byte[] {(byte) first, 0};
    }

    /** A period as AD stores it: the negative count of 100 ns, 8 bytes little-endian. */
    static byte[] interval(Duration period) {
        long ticks = -(period.getSeconds() * 10_000_000L + period.getNano() / 100);
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (ticks >>> (8 * i));
        }
        return out;
    }
}
