package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyRules;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;

/**
 * Turns one {@code pKICertificateTemplate} entry (MS-CRTD 2) into a {@link CertificateTemplate},
 * whole or not at all: a value that is missing where required, malformed, out of bounds, or asks
 * for something this model cannot honour (a CA template, names supplied by the enrollee, key
 * archival, key usages beyond an end entity's) raises {@link Unreadable} naming the attribute.
 *
 * <p>Stateless and thread-safe.
 */
final class AdTemplateMapper {
    static final String CN = "cn";
    static final String TEMPLATE_OID = "msPKI-Cert-Template-OID";
    static final String REVISION = "revision";
    static final String MINOR_REVISION = "msPKI-Template-Minor-Revision";
    static final String SCHEMA_VERSION = "msPKI-Template-Schema-Version";
    static final String EXPIRATION_PERIOD = "pKIExpirationPeriod";
    static final String OVERLAP_PERIOD = "pKIOverlapPeriod";
    static final String EXTENDED_KEY_USAGE = "pKIExtendedKeyUsage";
    static final String APPLICATION_POLICY = "msPKI-Certificate-Application-Policy";
    static final String KEY_USAGE = "pKIKeyUsage";
    static final String MINIMAL_KEY_SIZE = "msPKI-Minimal-Key-Size";
    static final String ENROLLMENT_FLAG = "msPKI-Enrollment-Flag";
    static final String NAME_FLAG = "msPKI-Certificate-Name-Flag";
    static final String RA_SIGNATURE = "msPKI-RA-Signature";
    static final String SUPERSEDE = "msPKI-Supersede-Templates";
    static final String FLAGS = "flags";
    static final String PRIVATE_KEY_FLAG = "msPKI-Private-Key-Flag";
    static final String SECURITY_DESCRIPTOR = "nTSecurityDescriptor";

    static final String[] ATTRIBUTES = {
        CN, TEMPLATE_OID, REVISION, MINOR_REVISION, SCHEMA_VERSION, EXPIRATION_PERIOD, OVERLAP_PERIOD,
        EXTENDED_KEY_USAGE, APPLICATION_POLICY, KEY_USAGE, MINIMAL_KEY_SIZE, ENROLLMENT_FLAG, NAME_FLAG,
        RA_SIGNATURE, SUPERSEDE, FLAGS, PRIVATE_KEY_FLAG, SECURITY_DESCRIPTOR,
    };

    // msPKI-Enrollment-Flag (MS-CRTD 2.26)
    static final int CT_FLAG_PEND_ALL_REQUESTS = 0x2;
    static final int CT_FLAG_PUBLISH_TO_DS = 0x8;
    static final int CT_FLAG_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE = 0x10;
    static final int CT_FLAG_AUTO_ENROLLMENT = 0x20;
    static final int CT_FLAG_NO_SECURITY_EXTENSION = 0x80000;
    // msPKI-Certificate-Name-Flag (MS-CRTD 2.28)
    static final int CT_FLAG_ENROLLEE_SUPPLIES_SUBJECT = 0x1;
    static final int CT_FLAG_ENROLLEE_SUPPLIES_SUBJECT_ALT_NAME = 0x10000;
    static final int SUBJECT_ALT_REQUIRE_UPN = 0x02000000;
    static final int SUBJECT_ALT_REQUIRE_EMAIL = 0x04000000;
    static final int SUBJECT_ALT_REQUIRE_DNS = 0x08000000;
    static final int SUBJECT_REQUIRE_DNS_AS_CN = 0x10000000;
    static final int SUBJECT_REQUIRE_EMAIL = 0x20000000;
    static final int SUBJECT_REQUIRE_COMMON_NAME = 0x40000000;
    static final int SUBJECT_REQUIRE_DIRECTORY_PATH = 0x80000000;
    // flags (MS-CRTD 2.27)
    static final int CT_FLAG_MACHINE_TYPE = 0x40;
    static final int CT_FLAG_IS_CA = 0x80;
    static final int CT_FLAG_IS_CROSS_CA = 0x800;
    // msPKI-Private-Key-Flag (MS-CRTD 2.27)
    static final int CT_FLAG_REQUIRE_PRIVATE_KEY_ARCHIVAL = 0x1;

    /** Values per multi-valued attribute (EKUs, superseded templates). */
    static final int MAX_VALUES = 64;
    static final int MAX_STRING_CHARS = 256;
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]{0,9})){1,30}");

    /** A template that cannot be read whole; says which attribute and why (never the value). */
    static final class Unreadable extends Exception {
        private final String attribute;

        Unreadable(String attribute, String reason) {
            super(attribute + ": " + reason, null, false, false);
            this.attribute = attribute;
        }

        String attribute() {
            return attribute;
        }
    }

    private AdTemplateMapper() {
    }

    /** The template's name for log lines: its cn, or the DN when it has none. */
    static String nameOf(SearchResultEntry entry) {
        String cn = string(entry, CN);
        String name = cn == null ? entry.getDN() : cn;
        // a directory value going into a log line: no control characters, bounded
        String printable = name.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > MAX_STRING_CHARS ? printable.substring(0, MAX_STRING_CHARS) + "..." : printable;
    }

    static CertificateTemplate map(SearchResultEntry entry) throws Unreadable {
        String name = required(entry, CN);
        String oid = required(entry, TEMPLATE_OID);
        if (!OID.matcher(oid).matches()) {
            throw new Unreadable(TEMPLATE_OID, "not a dotted OID");
        }
        int major = (int) integer(entry, REVISION, 0, 0, Integer.MAX_VALUE);
        int minor = (int) integer(entry, MINOR_REVISION, 0, 0, Integer.MAX_VALUE);
        integer(entry, SCHEMA_VERSION, 1, 1, 4);
        long flags = integer(entry, FLAGS, 0, Integer.MIN_VALUE, 0xFFFFFFFFL) & 0xffffffffL;
        if ((flags & (CT_FLAG_IS_CA | CT_FLAG_IS_CROSS_CA)) != 0) {
            throw new Unreadable(FLAGS, "a CA template (CT_FLAG_IS_CA or CT_FLAG_IS_CROSS_CA): only end-entity templates are served");
        }
        SubjectType type = (flags & CT_FLAG_MACHINE_TYPE) != 0 ? SubjectType.COMPUTER : SubjectType.USER;
        long privateKey = integer(entry, PRIVATE_KEY_FLAG, 0, Integer.MIN_VALUE, 0xFFFFFFFFL) & 0xffffffffL;
        if ((privateKey & CT_FLAG_REQUIRE_PRIVATE_KEY_ARCHIVAL) != 0) {
            throw new Unreadable(PRIVATE_KEY_FLAG, "key archival (CT_FLAG_REQUIRE_PRIVATE_KEY_ARCHIVAL) is not supported");
        }
        Duration validity = period(entry, EXPIRATION_PERIOD);
        Duration overlap = period(entry, OVERLAP_PERIOD);
        if (overlap.compareTo(validity) >= 0) {
            throw new Unreadable(OVERLAP_PERIOD, "not shorter than " + EXPIRATION_PERIOD);
        }
        long enrollment = integer(entry, ENROLLMENT_FLAG, 0, Integer.MIN_VALUE, 0xFFFFFFFFL) & 0xffffffffL;
        long names = integer(entry, NAME_FLAG, 0, Integer.MIN_VALUE, 0xFFFFFFFFL) & 0xffffffffL;
        int raSignatures = (int) integer(entry, RA_SIGNATURE, 0, 0, 255);
        int minimalKeySize = (int) integer(entry, MINIMAL_KEY_SIZE, 0, 0, KeyRules.RSA_CAP);
        byte[] descriptor = binary(entry, SECURITY_DESCRIPTOR);
        if (descriptor == null) {
            throw new Unreadable(SECURITY_DESCRIPTOR, "absent (not readable by the service account?)");
        }
        List<AccessRule> rules;
        try {
            rules = SecurityDescriptors.enrollmentRules(descriptor);
        } catch (IllegalArgumentException e) {
            throw new Unreadable(SECURITY_DESCRIPTOR, e.getMessage());
        }
        // Schema version 2+ templates say it in the application policies; both are read, so both must be sound.
        List<String> legacyEkus = oids(entry, EXTENDED_KEY_USAGE);
        List<String> ekus = oids(entry, APPLICATION_POLICY);
        if (ekus.isEmpty()) {
            ekus = legacyEkus;
        }
        CertificateTemplate.Builder template = CertificateTemplate.builder(name)
                .id(new TemplateId(oid, major, minor))
                .subjectType(type)
                .validity(validity)
                .renewalWindow(overlap)
                .keyRules(KeyRules.standard().withMinimalRsaBits(minimalKeySize))
                .keyUsage(keyUsage(entry).toArray(new KeyUsageBit[0]))
                .extendedKeyUsages(ekus)
                .subjectNames(subjectNames(names, enrollment, type))
                .accessRules(rules)
                .supersedes(strings(entry, SUPERSEDE))
                .requiresApproval((enrollment & CT_FLAG_PEND_ALL_REQUESTS) != 0 || raSignatures > 0)
                .publishToDirectory((enrollment & CT_FLAG_PUBLISH_TO_DS) != 0)
                .checkDirectoryCertificates((enrollment & CT_FLAG_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE) != 0)
                .autoenrollEnabled((enrollment & CT_FLAG_AUTO_ENROLLMENT) != 0);
        try {
            return template.build();
        } catch (IllegalArgumentException e) {
            // the model's own checks, e.g. a DNS name required of a user template
            throw new Unreadable(NAME_FLAG, e.getMessage());
        }
    }

    /** The names the certificate carries, all from the directory. */
    static Set<SubjectName> subjectNames(long names, long enrollment, SubjectType type) throws Unreadable {
        if ((names & (CT_FLAG_ENROLLEE_SUPPLIES_SUBJECT | CT_FLAG_ENROLLEE_SUPPLIES_SUBJECT_ALT_NAME)) != 0) {
            throw new Unreadable(NAME_FLAG, "names supplied by the enrollee are not supported (names come from the directory)");
        }
        Set<SubjectName> result = EnumSet.noneOf(SubjectName.class);
        if ((names & (SUBJECT_REQUIRE_COMMON_NAME | SUBJECT_REQUIRE_DIRECTORY_PATH | SUBJECT_REQUIRE_DNS_AS_CN)) != 0) {
            result.add(SubjectName.COMMON_NAME);
        }
        if ((names & (SUBJECT_ALT_REQUIRE_EMAIL | SUBJECT_REQUIRE_EMAIL)) != 0) {
            result.add(SubjectName.EMAIL);
        }
        if ((names & SUBJECT_ALT_REQUIRE_UPN) != 0) {
            result.add(SubjectName.UPN);
        }
        if ((names & SUBJECT_ALT_REQUIRE_DNS) != 0) {
            result.add(SubjectName.DNS);
        }
        if ((enrollment & CT_FLAG_NO_SECURITY_EXTENSION) == 0) {
            // AD CS adds the SID extension to online templates unless told not to (KB5014754)
            result.add(SubjectName.SID_EXTENSION);
        }
        return result;
    }

    /** pKIKeyUsage: the KeyUsage BIT STRING's bytes (1 or 2), bit 0 the high bit of the first. */
    private static Set<KeyUsageBit> keyUsage(SearchResultEntry entry) throws Unreadable {
        byte[] value = binary(entry, KEY_USAGE);
        Set<KeyUsageBit> bits = EnumSet.noneOf(KeyUsageBit.class);
        if (value == null) {
            return bits;
        }
        if (value.length < 1 || value.length > 2) {
            throw new Unreadable(KEY_USAGE, "not 1 or 2 bytes");
        }
        int first = value[0] & 0xff;
        int second = value.length > 1 ? value[1] & 0xff : 0;
        if ((first & 0x07) != 0 || second != 0) {
            throw new Unreadable(KEY_USAGE, "keyCertSign, cRLSign, encipherOnly or decipherOnly: not an end entity's key usage");
        }
        for (KeyUsageBit bit : KeyUsageBit.values()) {
            if ((first & (0x80 >>> bit.bit())) != 0) {
                bits.add(bit);
            }
        }
        return bits;
    }

    private static Duration period(SearchResultEntry entry, String name) throws Unreadable {
        byte[] value = binary(entry, name);
        if (value == null) {
            throw new Unreadable(name, "absent");
        }
        try {
            Duration period = FileTimes.interval(value);
            if (period.compareTo(Duration.ofHours(1)) < 0) {
                throw new Unreadable(name, "shorter than an hour");
            }
            return period;
        } catch (IllegalArgumentException e) {
            throw new Unreadable(name, e.getMessage());
        }
    }

    private static List<String> oids(SearchResultEntry entry, String name) throws Unreadable {
        List<String> values = strings(entry, name);
        for (String value : values) {
            if (!OID.matcher(value).matches()) {
                throw new Unreadable(name, "a value is not a dotted OID");
            }
        }
        return values;
    }

    private static List<String> strings(SearchResultEntry entry, String name) throws Unreadable {
        List<String> values = new ArrayList<>();
        for (Attribute attribute : EntryMapper.withBaseName(entry, name)) {
            for (String value : attribute.getValues()) {
                if (values.size() >= MAX_VALUES) {
                    throw new Unreadable(name, "more than " + MAX_VALUES + " values");
                }
                if (value.isBlank() || value.length() > MAX_STRING_CHARS) {
                    throw new Unreadable(name, "a value is empty or longer than " + MAX_STRING_CHARS + " characters");
                }
                values.add(value.strip());
            }
        }
        return values;
    }

    private static String required(SearchResultEntry entry, String name) throws Unreadable {
        String value = string(entry, name);
        if (value == null) {
            throw new Unreadable(name, "absent");
        }
        if (value.isBlank() || value.length() > MAX_STRING_CHARS) {
            throw new Unreadable(name, "empty or longer than " + MAX_STRING_CHARS + " characters");
        }
        return value;
    }

    private static String string(SearchResultEntry entry, String name) {
        List<Attribute> attributes = EntryMapper.withBaseName(entry, name);
        return attributes.isEmpty() ? null : attributes.get(0).getValue();
    }

    private static byte[] binary(SearchResultEntry entry, String name) throws Unreadable {
        List<Attribute> attributes = EntryMapper.withBaseName(entry, name);
        if (attributes.isEmpty() || attributes.get(0).size() == 0) {
            return null;
        }
        if (attributes.size() > 1 || attributes.get(0).size() > 1) {
            throw new Unreadable(name, "more than one value");
        }
        byte[] value = attributes.get(0).getValueByteArray();
        if (value.length > SecurityDescriptors.MAX_BYTES) {
            throw new Unreadable(name, "longer than " + SecurityDescriptors.MAX_BYTES + " bytes");
        }
        return value;
    }

    /** An integer attribute within bounds (AD writes 32-bit flags as signed decimals); {@code absent} when missing. */
    private static long integer(SearchResultEntry entry, String name, long absent, long min, long max) throws Unreadable {
        String value = string(entry, name);
        if (value == null) {
            return absent;
        }
        try {
            if (value.length() > 12) {
                throw new NumberFormatException();
            }
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                throw new Unreadable(name, "outside " + min + ".." + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new Unreadable(name, "not an integer");
        }
    }
}
