package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Completes a user's direct groups ({@code memberOf}) with the groups they belong to through other
 * groups. On Active Directory one search with the in-chain matching rule
 * ({@code (member:1.2.840.113556.1.4.1941:=<userDN>)}) does it on the server; elsewhere (servers that
 * reject the rule, or that silently match nothing with it, as slapd does) a breadth-first walk over
 * the groups' own {@code memberOf}, at most {@link #MAX_DEPTH} levels and {@link #MAX_NESTED_GROUPS}
 * groups read, so that a cycle or a huge tree cannot make a lookup unbounded.
 *
 * <p>Stateless and thread-safe.
 */
final class GroupResolver {
    /** Levels below the direct groups that the walk follows. */
    static final int MAX_DEPTH = 10;
    /** Group entries the walk reads, and nested groups either way adds, per lookup. */
    static final int MAX_NESTED_GROUPS = 1_000;
    /** AD's LDAP_MATCHING_RULE_IN_CHAIN (MS-ADTS 3.1.1.3.4.4.4). */
    static final String IN_CHAIN_RULE = "1.2.840.113556.1.4.1941";
    /** LDAP_CAP_ACTIVE_DIRECTORY_OID in the root DSE's supportedCapabilities (MS-ADTS 3.1.1.3.4.3). */
    static final String AD_CAPABILITY = "1.2.840.113556.1.4.800";

    /** Results that say "this server does not do that filter": fall back to the walk. */
    private static final Set<ResultCode> RULE_REFUSED = Set.of(ResultCode.INAPPROPRIATE_MATCHING,
            ResultCode.UNWILLING_TO_PERFORM, ResultCode.PROTOCOL_ERROR, ResultCode.OTHER, ResultCode.FILTER_ERROR,
            ResultCode.UNDEFINED_ATTRIBUTE_TYPE, ResultCode.NOT_SUPPORTED);

    private GroupResolver() {
    }

    /** True when the root DSE announces Active Directory (Samba AD included); one search, done once per pool. */
    static boolean isActiveDirectory(LDAPInterface connection, long responseTimeoutMillis) throws LDAPException {
        SearchRequest request = new SearchRequest("", SearchScope.BASE, Filter.createPresenceFilter("objectClass"),
                "supportedCapabilities");
        request.setResponseTimeoutMillis(responseTimeoutMillis);
        SearchResultEntry rootDse = connection.searchForEntry(request);
        if (rootDse == null) {
            return false;
        }
        String[] capabilities = rootDse.getAttributeValues("supportedCapabilities");
        return capabilities != null && Arrays.asList(capabilities).contains(AD_CAPABILITY);
    }

    /**
     * Every group of the user, direct ones first, each once (DNs compared as LDAP compares them).
     *
     * @param inChain ask the server with the in-chain rule (Active Directory); else walk
     * @throws LDAPException when the directory fails in a way the caller must report or retry
     */
    static List<String> allGroups(LDAPInterface connection, String userDn, List<String> direct, boolean inChain,
                                  int timeLimitSeconds, long responseTimeoutMillis) throws LDAPException {
        Map<String, String> groups = new LinkedHashMap<>();
        for (String dn : direct) {
            groups.putIfAbsent(normalize(dn), dn);
        }
        if (direct.isEmpty()) {
            // No direct group, no nested one (AD's primary group is not in member/memberOf either way).
            return List.of();
        }
        if (inChain) {
            try {
                for (String dn : inChain(connection, userDn, timeLimitSeconds, responseTimeoutMillis)) {
                    groups.putIfAbsent(normalize(dn), dn);
                }
                return List.copyOf(groups.values());
            } catch (LDAPException e) {
                if (!RULE_REFUSED.contains(e.getResultCode())) {
                    throw e;
                }
                // An AD look-alike that announces AD but refuses the rule: walk instead.
            }
        }
        walk(connection, groups, timeLimitSeconds, responseTimeoutMillis);
        return List.copyOf(groups.values());
    }

    private static List<String> inChain(LDAPInterface connection, String userDn, int timeLimitSeconds,
                                        long responseTimeoutMillis) throws LDAPException {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "group"),
                Filter.createExtensibleMatchFilter("member", IN_CHAIN_RULE, false, userDn));
        // Groups may live anywhere in the domain (OU=Groups...), not only under the users' base.
        SearchRequest request = new SearchRequest(domainRoot(userDn), SearchScope.SUB, DereferencePolicy.NEVER,
                MAX_NESTED_GROUPS, timeLimitSeconds, false, filter, SearchRequest.NO_ATTRIBUTES);
        request.setResponseTimeoutMillis(responseTimeoutMillis);
        request.setFollowReferrals(false);
        List<SearchResultEntry> entries;
        try {
            SearchResult result = connection.search(request);
            entries = result.getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw e;
            }
            // Bounded on purpose: keep what arrived.
            entries = e.getSearchEntries();
        }
        // Continuation references (other partitions) are ignored, as for the user search.
        List<String> result = new ArrayList<>(entries.size());
        for (SearchResultEntry entry : entries) {
            if (entry.getDN().length() <= EntryMapper.MAX_GROUP_DN_CHARS) {
                result.add(entry.getDN());
            }
        }
        return result;
    }

    /** Breadth-first over memberOf of each group; adds to {@code groups} in place. */
    private static void walk(LDAPInterface connection, Map<String, String> groups, int timeLimitSeconds,
                             long responseTimeoutMillis) throws LDAPException {
        int directCount = groups.size();
        Deque<String> level = new ArrayDeque<>(groups.values());
        int reads = 0;
        for (int depth = 1; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
            Deque<String> next = new ArrayDeque<>();
            for (String groupDn : level) {
                if (reads >= MAX_NESTED_GROUPS || groups.size() - directCount >= MAX_NESTED_GROUPS) {
                    return;
                }
                reads++;
                for (String parent : memberOf(connection, groupDn, timeLimitSeconds, responseTimeoutMillis)) {
                    if (groups.size() - directCount >= MAX_NESTED_GROUPS) {
                        return;
                    }
                    if (groups.putIfAbsent(normalize(parent), parent) == null) {
                        next.add(parent);
                    }
                }
            }
            level = next;
        }
    }

    private static List<String> memberOf(LDAPInterface connection, String groupDn, int timeLimitSeconds,
                                         long responseTimeoutMillis) throws LDAPException {
        SearchRequest request = new SearchRequest(groupDn, SearchScope.BASE, DereferencePolicy.NEVER, 1,
                timeLimitSeconds, false, Filter.createPresenceFilter("objectClass"), EntryMapper.MEMBER_OF);
        request.setResponseTimeoutMillis(responseTimeoutMillis);
        request.setFollowReferrals(false);
        SearchResultEntry entry;
        try {
            entry = connection.searchForEntry(request);
        } catch (LDAPSearchException e) {
            // A memberOf value naming a group that is gone, or out of the service account's sight.
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT || e.getResultCode() == ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                    || e.getResultCode() == ResultCode.INVALID_DN_SYNTAX || e.getResultCode() == ResultCode.REFERRAL) {
                return List.of();
            }
            throw e;
        }
        if (entry == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (Attribute attribute : entry.getAttributes()) {
            if (!attribute.getBaseName().equalsIgnoreCase(EntryMapper.MEMBER_OF)) {
                continue;
            }
            for (String value : attribute.getValues()) {
                if (value.length() <= EntryMapper.MAX_GROUP_DN_CHARS) {
                    result.add(value);
                }
            }
        }
        return result;
    }

    /** The trailing DC= components of a DN (the naming context of an AD domain); the DN itself without any. */
    static String domainRoot(String dn) throws LDAPException {
        RDN[] rdns = new DN(dn).getRDNs();
        int first = rdns.length;
        while (first > 0 && isDomainComponent(rdns[first - 1])) {
            first--;
        }
        if (first == rdns.length) {
            return dn;
        }
        return new DN(Arrays.copyOfRange(rdns, first, rdns.length)).toString();
    }

    private static boolean isDomainComponent(RDN rdn) {
        String[] names = rdn.getAttributeNames();
        return names.length == 1 && names[0].equalsIgnoreCase("dc");
    }

    /** The key two spellings of one DN share (slapd answers cn=..., AD CN=...). */
    private static String normalize(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }
}
