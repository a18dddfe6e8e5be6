package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;

/**
 * Turns an Active Directory user entry into a {@link DirectoryEntry}, keeping every value within
 * bounds: an absurdly long or numerous value is skipped rather than carried into the pipeline.
 *
 * <p>Stateless and thread-safe.
 */
final class EntryMapper {
    static final String SAM_ACCOUNT_NAME = "sAMAccountName";
    static final String USER_PRINCIPAL_NAME = "userPrincipalName";
    static final String MAIL = "mail";
    static final String PROXY_ADDRESSES = "proxyAddresses";
    static final String CN = "cn";
    static final String MEMBER_OF = "memberOf";
    static final String USER_ACCOUNT_CONTROL = "userAccountControl";
    static final String USER_CERTIFICATE = "userCertificate";
    /** When the account was locked out (FILETIME); 0 or absent when it is not. */
    static final String LOCKOUT_TIME = "lockoutTime";
    /** AD's constructed flags (MS-ADTS 3.1.1.4.5.17): UF_LOCKOUT there honours the domain's lockout duration. */
    static final String USER_ACCOUNT_CONTROL_COMPUTED = "msDS-User-Account-Control-Computed";
    static final String OBJECT_SID = "objectSid";
    static final String DNS_HOST_NAME = "dNSHostName";
    /** FILETIME; 0 or 0x7FFFFFFFFFFFFFFF when the account never expires. */
    static final String ACCOUNT_EXPIRES = "accountExpires";

    /** The attributes a lookup asks for: explicit, so AD never sends the whole entry. */
    static final String[] REQUESTED_ATTRIBUTES = {
        SAM_ACCOUNT_NAME, USER_PRINCIPAL_NAME, MAIL, PROXY_ADDRESSES, CN, MEMBER_OF,
        USER_ACCOUNT_CONTROL, USER_CERTIFICATE, USER_CERTIFICATE + ";binary",
        LOCKOUT_TIME, USER_ACCOUNT_CONTROL_COMPUTED, OBJECT_SID, DNS_HOST_NAME, ACCOUNT_EXPIRES,
    };

    /** AD limits: sAMAccountName 20 chars, UPN and mail far below this; generous to stay compatible. */
    static final int MAX_NAME_CHARS = 1_024;
    /** "smtp:" plus an RFC 5321 path (256) with room to spare. */
    static final int MAX_PROXY_ADDRESS_CHARS = 512;
    static final int MAX_PROXY_ADDRESSES = 1_000;
    static final int MAX_GROUP_DN_CHARS = 4_096;
    static final int MAX_GROUPS = 10_000;
    static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    static final int MAX_CERTIFICATES = 256;

    /** userAccountControl ACCOUNTDISABLE (MS-ADTS 2.2.16). */
    static final int ACCOUNTDISABLE = 0x2;
    /** userAccountControl / msDS-User-Account-Control-Computed UF_LOCKOUT (MS-ADTS 2.2.16). */
    static final int LOCKOUT = 0x10;
    private static final String SMTP_PREFIX = "smtp:";

    private EntryMapper() {
    }

    /** A user entry, see {@link #map(SearchResultEntry, SubjectType)}. */
    static DirectoryEntry map(SearchResultEntry entry) throws EnrollmentException {
        return map(entry, SubjectType.USER);
    }

    /**
     * The entry as a {@link DirectoryEntry} whose {@code disabled} means "disabled or locked out":
     * the API has one flag, and a locked account must be refused like a disabled one.
     *
     * @param type what the search asked for ({@code objectClass=computer} or a user that is not one)
     */
    static DirectoryEntry map(SearchResultEntry entry, SubjectType type) throws EnrollmentException {
        String sam = boundedSingle(entry, SAM_ACCOUNT_NAME);
        if (sam == null || sam.isEmpty()) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD,
                    "the matching entry has no usable sAMAccountName");
        }
        return DirectoryEntry.builder(entry.getDN(), sam)
                .type(type)
                .objectSid(objectSid(entry))
                .dnsHostName(boundedSingle(entry, DNS_HOST_NAME))
                .accountExpires(FileTimes.accountExpires(firstValue(entry, ACCOUNT_EXPIRES)))
                .userPrincipalName(boundedSingle(entry, USER_PRINCIPAL_NAME))
                .mail(boundedSingle(entry, MAIL))
                .smtpAddresses(smtpAddresses(entry))
                .commonName(boundedSingle(entry, CN))
                .groups(groups(entry))
                .disabled(disabled(entry) || locked(entry))
                .certificates(certificates(entry))
                .build();
    }

    /** The first value, or null when absent or longer than {@link #MAX_NAME_CHARS}. */
    private static String boundedSingle(SearchResultEntry entry, String name) {
        for (Attribute attribute : withBaseName(entry, name)) {
            for (String value : attribute.getValues()) {
                if (value.length() <= MAX_NAME_CHARS) {
                    return value;
                }
            }
        }
        return null;
    }

    /** The objectSid in S-1-... form; null when absent or not a SID. */
    private static String objectSid(SearchResultEntry entry) {
        for (Attribute attribute : withBaseName(entry, OBJECT_SID)) {
            for (byte[] value : attribute.getValueByteArrays()) {
                try {
                    return WindowsSid.format(value);
                } catch (IllegalArgumentException e) {
                    // not a SID: as if absent (callers match nothing on it)
                }
            }
        }
        return null;
    }

    /** The first value of the attribute, unbounded (callers parse it as a number), or null. */
    private static String firstValue(SearchResultEntry entry, String name) {
        List<Attribute> attributes = withBaseName(entry, name);
        if (attributes.isEmpty()) {
            return null;
        }
        String value = attributes.get(0).getValue();
        return value == null || value.length() > 32 ? (value == null ? null : "overlong") : value;
    }

    private static List<String> smtpAddresses(SearchResultEntry entry) {
        List<String> result = new ArrayList<>();
        for (Attribute attribute : withBaseName(entry, PROXY_ADDRESSES)) {
            for (String value : attribute.getValues()) {
                if (result.size() >= MAX_PROXY_ADDRESSES) {
                    return result;
                }
                // Exchange writes SMTP: for the primary address and smtp: for the others; X400:, SIP: etc. are not mail.
                if (value.length() <= MAX_PROXY_ADDRESS_CHARS && value.length() > SMTP_PREFIX.length()
                        && value.regionMatches(true, 0, SMTP_PREFIX, 0, SMTP_PREFIX.length())) {
                    result.add(value.substring(SMTP_PREFIX.length()));
                }
            }
        }
        return result;
    }

    private static List<String> groups(SearchResultEntry entry) {
        List<String> result = new ArrayList<>();
        // withBaseName also catches AD's ranged form "memberOf;range=0-1499" of very large values.
        for (Attribute attribute : withBaseName(entry, MEMBER_OF)) {
            for (String value : attribute.getValues()) {
                if (result.size() >= MAX_GROUPS) {
                    return result;
                }
                if (value.length() <= MAX_GROUP_DN_CHARS) {
                    result.add(value);
                }
            }
        }
        return result;
    }

    /** Absent means enabled (AD always writes it); unreadable means disabled, failing closed. */
    private static boolean disabled(SearchResultEntry entry) {
        List<Attribute> attributes = withBaseName(entry, USER_ACCOUNT_CONTROL);
        if (attributes.isEmpty()) {
            return false;
        }
        String value = attributes.get(0).getValue();
        try {
            long flags = Long.parseLong(value.trim());
            return (flags & ACCOUNTDISABLE) != 0;
        } catch (NumberFormatException | NullPointerException e) {
            return true;
        }
    }

    /**
     * Locked out: UF_LOCKOUT in userAccountControl (some servers set it there), or in AD's computed
     * flags, which count the domain's lockout duration; without the computed attribute (not AD), a
     * lockoutTime above 0. AD keeps an expired lockout's lockoutTime until the next logon, but the
     * computed attribute, which AD and Samba return, says it is over. Unreadable values fail closed.
     */
    static boolean locked(SearchResultEntry entry) {
        Long flags = number(entry, USER_ACCOUNT_CONTROL);
        if (flags != null && (flags < 0 || (flags & LOCKOUT) != 0)) {
            return true;
        }
        if (!withBaseName(entry, USER_ACCOUNT_CONTROL_COMPUTED).isEmpty()) {
            Long computed = number(entry, USER_ACCOUNT_CONTROL_COMPUTED);
            return computed == null || computed < 0 || (computed & LOCKOUT) != 0;
        }
        if (withBaseName(entry, LOCKOUT_TIME).isEmpty()) {
            return false;
        }
        Long lockoutTime = number(entry, LOCKOUT_TIME);
        return lockoutTime == null || lockoutTime != 0;
    }

    /** The first value as a number; null when absent; -1 when not a number (callers fail closed). */
    private static Long number(SearchResultEntry entry, String name) {
        List<Attribute> attributes = withBaseName(entry, name);
        if (attributes.isEmpty() || attributes.get(0).getValue() == null) {
            return null;
        }
        try {
            return Long.parseLong(attributes.get(0).getValue().trim());
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private static List<byte[]> certificates(SearchResultEntry entry) {
        List<byte[]> result = new ArrayList<>();
        // AD sends userCertificate; servers following RFC 4523 may send userCertificate;binary.
        for (Attribute attribute : withBaseName(entry, USER_CERTIFICATE)) {
            for (byte[] value : attribute.getValueByteArrays()) {
                if (result.size() >= MAX_CERTIFICATES) {
                    return result;
                }
                if (value.length > 0 && value.length <= MAX_CERTIFICATE_BYTES
                        && result.stream().noneMatch(known -> Arrays.equals(known, value))) {
                    result.add(value);
                }
            }
        }
        return result;
    }

    /** Every attribute whose name without options is {@code name}, ignoring case. */
    static List<Attribute> withBaseName(SearchResultEntry entry, String name) {
        List<Attribute> result = new ArrayList<>(1);
        String lower = name.toLowerCase(Locale.ROOT);
        for (Attribute attribute : entry.getAttributes()) {
            if (attribute.getBaseName().toLowerCase(Locale.ROOT).equals(lower)) {
                result.add(attribute);
            }
        }
        return result;
    }
}
