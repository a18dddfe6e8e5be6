package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SIDs of an account's groups, which template ACLs name. On Active Directory, the constructed
 * {@code tokenGroups} attribute of the account's own entry (read with a base-scope search, the only
 * scope AD computes it for): every security group, nested ones and the primary group included, as
 * Windows builds the account's token. Elsewhere (or when AD does not give {@code tokenGroups} to
 * the service account), the {@code objectSid} of each group the lookup found, where the group has
 * one. At most {@link #MAX_SIDS} SIDs and {@link GroupResolver#MAX_NESTED_GROUPS} group reads.
 *
 * <p>Stateless and thread-safe.
 */
final class GroupSids {
    /** AD's constructed attribute (MS-ADTS 3.1.1.4.5.19). */
    static final String TOKEN_GROUPS = "tokenGroups";
    /** More than AD puts into a token (1,015 groups). */
    static final int MAX_SIDS = 2_000;

    private GroupSids() {
    }

    /**
     * @param accountDn the user's or computer's entry
     * @param groupDns the groups the lookup found (read for their objectSid when tokenGroups is not available)
     * @param activeDirectory the server announces Active Directory: ask it for tokenGroups first
     */
    static List<String> resolve(LDAPInterface connection, String accountDn, List<String> groupDns, boolean activeDirectory,
                                int timeLimitSeconds, long responseTimeoutMillis) throws LDAPException {
        if (activeDirectory) {
            List<String> token = tokenGroups(connection, accountDn, timeLimitSeconds, responseTimeoutMillis);
            if (!token.isEmpty()) {
                return token;
            }
            // AD always puts the primary group into tokenGroups: empty means we were not given it.
        }
        Set<String> sids = new LinkedHashSet<>();
        int reads = 0;
        for (String groupDn : groupDns) {
            if (reads++ >= GroupResolver.MAX_NESTED_GROUPS || sids.size() >= MAX_SIDS) {
                break;
            }
            SearchResultEntry group = read(connection, groupDn, EntryMapper.OBJECT_SID, timeLimitSeconds, responseTimeoutMillis);
            if (group != null) {
                addSids(group, EntryMapper.OBJECT_SID, sids);
            }
        }
        return List.copyOf(sids);
    }

    private static List<String> tokenGroups(LDAPInterface connection, String accountDn, int timeLimitSeconds,
                                            long responseTimeoutMillis) throws LDAPException {
        SearchResultEntry entry = read(connection, accountDn, TOKEN_GROUPS, timeLimitSeconds, responseTimeoutMillis);
        if (entry == null) {
            return List.of();
        }
        Set<String> sids = new LinkedHashSet<>();
        addSids(entry, TOKEN_GROUPS, sids);
        return List.copyOf(sids);
    }

    /** Binary SIDs of the attribute, formatted; values that are not SIDs are skipped. */
    private static void addSids(SearchResultEntry entry, String attributeName, Set<String> sids) {
        for (Attribute attribute : EntryMapper.withBaseName(entry, attributeName)) {
            for (byte[] value : attribute.getValueByteArrays()) {
                if (sids.size() >= MAX_SIDS) {
                    return;
                }
                try {
                    sids.add(WindowsSid.format(value));
                } catch (IllegalArgumentException e) {
                    // not a SID: nothing an ACL can name
                }
            }
        }
    }

    /** One entry's attribute by a base-scope search; null when the entry is gone or out of sight. */
    private static SearchResultEntry read(LDAPInterface connection, String dn, String attribute, int timeLimitSeconds,
                                          long responseTimeoutMillis) throws LDAPException {
        SearchRequest request = new SearchRequest(dn, SearchScope.BASE, DereferencePolicy.NEVER, 1, timeLimitSeconds,
                false, Filter.createPresenceFilter("objectClass"), attribute);
        request.setResponseTimeoutMillis(responseTimeoutMillis);
        request.setFollowReferrals(false);
        try {
            return connection.searchForEntry(request);
        } catch (LDAPSearchException e) {
            ResultCode code = e.getResultCode();
            if (code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                    || code == ResultCode.INVALID_DN_SYNTAX || code == ResultCode.REFERRAL) {
                return null;
            }
            throw e;
        }
    }
}
