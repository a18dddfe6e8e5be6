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
    private PrincipalMatch() {
    }

    /** The search filter for {@code principal}, every value escaped by the SDK. */
    static Filter filter(AuthenticatedPrincipal principal) {
        if (principal.enterpriseName().isPresent()) {
            // AD matches userPrincipalName ignoring case
            return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "user"),
                    Filter.createNOTFilter(Filter.createEqualityFilter("objectClass", "computer")),
                    Filter.createEqualityFilter(EntryMapper.USER_PRINCIPAL_NAME, principal.enterpriseName().get()));
        }
        return AccountSearch.filter(principal.name(), principal.realm());
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
            byte[] sid = entry.getAttributeValueBytes(EntryMapper.OBJECT_SID);
            if (sid != null && !principal.userSid().get().equals(sidString(sid))) {
                throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "the entry found on AD server " + server.id()
                        + " has another SID than the ticket's PAC");
            }
        }
    }

    /** A binary SID (MS-DTYP 2.4.2) as {@code S-1-5-21-...}; "malformed" for bytes that are not one. */
    static String sidString(byte[] sid) {
        try {
            return WindowsSid.format(sid);
        } catch (IllegalArgumentException e) {
            return "malformed";
        }
    }
}
