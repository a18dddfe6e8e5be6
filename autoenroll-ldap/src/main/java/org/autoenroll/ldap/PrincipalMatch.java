package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * How a Kerberos principal maps to one AD user entry, and the impostor checks on the entry found.
 * An ordinary name matches {@code sAMAccountName} or the implicit UPN {@code name@REALM} (so
 * {@code john.doe} finds the account {@code jdoe} whose UPN is {@code john.doe@example.com}); an
 * enterprise name ({@code carol@corp.example}) matches {@code userPrincipalName} alone. When the
 * ticket carried a verified PAC, the entry must be the account it names (sAMAccountName) and have
 * its SID ({@code objectSid}, when the directory keeps one): otherwise
 * {@link ErrorCode#NO_VALID_USER_IN_AD} (17), the request may come from an impostor. Stateless.
 */
final class PrincipalMatch {
    static final String OBJECT_SID = "objectSid";

    private PrincipalMatch() {
    }

    /** The search filter for {@code principal}, every value escaped by the SDK. */
    static Filter filter(AuthenticatedPrincipal principal) {
        if (principal.enterpriseName().isPresent()) {
            // AD matches userPrincipalName ignoring case
            return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "user"),
                    Filter.createEqualityFilter(EntryMapper.USER_PRINCIPAL_NAME, principal.enterpriseName().get()));
        }
        return LdapDirectoryLookup.userFilter(principal.name(), principal.realm());
    }

    /** The impostor checks of the PAC against the one entry found. */
    static void check(SearchResultEntry entry, AuthenticatedPrincipal principal, AdServer server) throws EnrollmentException {
        if (principal.accountName().isPresent()) {
            String sam = entry.getAttributeValue(EntryMapper.SAM_ACCOUNT_NAME);
            if (sam == null || !sam.equalsIgnoreCase(principal.accountName().get())) {
                throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "the entry found on AD server " + server.id()
                        + " is not the account the ticket's PAC names");
            }
        }
        if (principal.userSid().isPresent()) {
            byte[] sid = entry.getAttributeValueBytes(OBJECT_SID);
            if (sid != null && !principal.userSid().get().equals(sidString(sid))) {
                throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "the entry found on AD server " + server.id()
                        + " has another SID than the ticket's PAC");
            }
        }
    }

    /** A binary SID (MS-DTYP 2.4.2) as {@code S-1-5-21-...}; "malformed" for bytes that are not one. */
    static String sidString(byte[] sid) {
        if (sid.length < 8 || sid.length != 8 + 4 * (sid[1] & 0xff)) {
            return "malformed";
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = (authority << 8) | (sid[i] & 0xff);
        }
        StringBuilder out = new StringBuilder("S-").append(sid[0] & 0xff).append('-').append(authority);
        for (int i = 0; i < (sid[1] & 0xff); i++) {
            int at = 8 + 4 * i;
            long sub = (sid[at] & 0xffL) | (sid[at + 1] & 0xffL) << 8 | (sid[at + 2] & 0xffL) << 16 | (sid[at + 3] & 0xffL) << 24;
            out.append('-').append(sub);
        }
        return out.toString();
    }
}
