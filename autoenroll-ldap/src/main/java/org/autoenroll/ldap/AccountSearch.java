package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.List;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;

/**
 * Finds one account's entry and completes it: the search filter for a principal, the entry mapped
 * by {@link EntryMapper}, its groups (nested ones through {@link GroupResolver} when the settings
 * ask for them) and its group SIDs ({@link GroupSids}).
 *
 * <p>A principal whose name ends in {@code $} ({@code WS01$}, as a domain-joined machine
 * authenticates) is a computer: {@code (&(objectClass=computer)(sAMAccountName=WS01$))}. Any other
 * name is a user: {@code objectClass=user} but not {@code computer} (in AD a computer is also a
 * {@code user}), by sAMAccountName or userPrincipalName; an enterprise principal by userPrincipalName
 * alone, and the entry found must agree with the ticket's PAC ({@link PrincipalMatch}). Users are searched under the record's
 * {@code usersBaseDn}; computers under its domain root (its trailing {@code DC=} components), as
 * they live in {@code CN=Computers} or organizational units of their own. So a user is never answered with a computer
 * entry, nor a computer with a user entry. Every value is escaped by the SDK's filter builder.
 *
 * <p>Stateless and thread-safe.
 */
final class AccountSearch {
    /** Longer than any sAMAccountName (20) or UPN prefix AD accepts; refused before any LDAP traffic. */
    static final int MAX_PRINCIPAL_NAME_CHARS = 256;

    private AccountSearch() {
    }

    /** What a principal's name denotes: a computer account when it ends in {@code $}. */
    static SubjectType typeOf(String principalName) {
        return principalName.length() > 1 && principalName.endsWith("$") ? SubjectType.COMPUTER : SubjectType.USER;
    }

    /** The filter for {@code name@realm}, every value escaped; package-private for tests. */
    static Filter filter(String name, String realm) {
        if (typeOf(name) == SubjectType.COMPUTER) {
            return Filter.createANDFilter(
                    Filter.createEqualityFilter("objectClass", "computer"),
                    Filter.createEqualityFilter(EntryMapper.SAM_ACCOUNT_NAME, name));
        }
        return Filter.createANDFilter(
                Filter.createEqualityFilter("objectClass", "user"),
                Filter.createNOTFilter(Filter.createEqualityFilter("objectClass", "computer")),
                Filter.createORFilter(
                        Filter.createEqualityFilter(EntryMapper.SAM_ACCOUNT_NAME, name),
                        // AD matches userPrincipalName ignoring case, so alice@EXAMPLE.COM finds alice@example.com.
                        Filter.createEqualityFilter(EntryMapper.USER_PRINCIPAL_NAME, name + "@" + realm)));
    }

    /**
     * Names AD cannot hold are refused without asking it: control characters, absurd lengths, and
     * outer spaces (LDAP matching ignores them, so {@code "alice "} from another KDC would find alice).
     */
    static void checkName(String name) throws EnrollmentException {
        if (!name.equals(name.strip())) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "principal name with leading or trailing spaces");
        }
        if (name.length() > MAX_PRINCIPAL_NAME_CHARS) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD,
                    "principal name longer than " + MAX_PRINCIPAL_NAME_CHARS + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "principal name holds a control character");
            }
        }
    }

    /** Whether the server is Active Directory; asked lazily, once per pool, by the caller. */
    @FunctionalInterface
    interface ServerKind {
        boolean isActiveDirectory() throws LDAPException;
    }

    /**
     * The one account {@code name} denotes under the server's users base, completed.
     *
     * @throws EnrollmentException {@link ErrorCode#NO_VALID_USER_IN_AD} when none or several match
     * @throws LDAPException when the directory fails (the caller maps it to 13, or retries)
     */
    static DirectoryEntry find(LDAPInterface connection, AdServer server, AuthenticatedPrincipal principal,
                               LdapSettings settings, ServerKind kind) throws LDAPException, EnrollmentException {
        SubjectType type = typeOf(principal.name());
        int timeLimit = timeLimitSeconds(settings);
        long responseTimeout = settings.responseTimeout().toMillis();
        // Computers live in CN=Computers or in OUs, outside the users' base: they are searched from the domain root.
        String base = type == SubjectType.COMPUTER ? GroupResolver.domainRoot(server.usersBaseDn()) : server.usersBaseDn();
        SearchRequest request = new SearchRequest(base, SearchScope.SUB, DereferencePolicy.NEVER,
                2, timeLimit, false, PrincipalMatch.filter(principal), EntryMapper.REQUESTED_ATTRIBUTES);
        request.setResponseTimeoutMillis(responseTimeout);
        request.setFollowReferrals(false);
        SearchResult result;
        try {
            result = connection.search(request);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw ambiguous(server, type);
            }
            throw e;
        }
        // Search references (AD's referrals to other partitions) are ignored: accounts live in this domain.
        List<SearchResultEntry> entries = result.getSearchEntries();
        String what = type == SubjectType.COMPUTER ? "computer" : "user";
        if (entries.isEmpty()) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD,
                    "no " + what + " entry under " + base + " on AD server " + server.id());
        }
        if (entries.size() > 1) {
            throw ambiguous(server, type);
        }
        PrincipalMatch.check(entries.get(0), principal, server);
        DirectoryEntry entry = EntryMapper.map(entries.get(0), type);
        List<String> groups = entry.groups();
        boolean activeDirectory = kind.isActiveDirectory();
        if (settings.nestedGroups() && !groups.isEmpty()) {
            groups = GroupResolver.allGroups(connection, entry.dn(), groups, activeDirectory, timeLimit, responseTimeout);
        }
        List<String> sids = GroupSids.resolve(connection, entry.dn(), groups, activeDirectory, timeLimit, responseTimeout);
        return entry.toBuilder().groups(groups).groupSids(sids).build();
    }

    static int timeLimitSeconds(LdapSettings settings) {
        return (int) Math.max(1, (settings.responseTimeout().toMillis() + 999) / 1000);
    }

    private static EnrollmentException ambiguous(AdServer server, SubjectType type) {
        return new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "ambiguous: more than one "
                + (type == SubjectType.COMPUTER ? "computer" : "user") + " entry matches on AD server " + server.id());
    }
}
