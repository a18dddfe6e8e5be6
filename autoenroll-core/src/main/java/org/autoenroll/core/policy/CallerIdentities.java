package org.autoenroll.core.policy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;

/**
 * The identities a template's ACL is matched against, lower case: the caller's SID, its group
 * SIDs (from the verified PAC when the ticket had one, else from the directory, nested groups
 * included), its groups' DNs and their first RDN values (for directories that are not AD), its
 * sAMAccountName, Authenticated Users and Everyone.
 */
public final class CallerIdentities {
    /** Everyone (S-1-1-0). */
    static final String EVERYONE = "s-1-1-0";

    private CallerIdentities() {
    }

    public static Set<String> of(AuthenticatedPrincipal caller, DirectoryEntry entry) {
        Set<String> identities = new HashSet<>();
        // tokenGroups and the PAC never list these well-known groups: every authenticated caller is in both
        identities.add(AccessRule.AUTHENTICATED_USERS.toLowerCase(Locale.ROOT));
        identities.add(EVERYONE);
        caller.userSid().or(entry::objectSid).ifPresent(sid -> identities.add(sid.toLowerCase(Locale.ROOT)));
        boolean fromPac = caller.userSid().isPresent();
        for (String sid : fromPac ? caller.groupSids() : entry.groupSids()) {
            identities.add(sid.toLowerCase(Locale.ROOT));
        }
        if (fromPac) {
            // the PAC lists the groups of the ticket's domain; the directory may know more (other domains)
            entry.groupSids().forEach(sid -> identities.add(sid.toLowerCase(Locale.ROOT)));
        }
        for (String dn : entry.groups()) {
            identities.add(dn.toLowerCase(Locale.ROOT));
            firstRdnValue(dn).ifPresent(name -> identities.add(name.toLowerCase(Locale.ROOT)));
        }
        identities.add(entry.samAccountName().toLowerCase(Locale.ROOT));
        return Set.copyOf(identities);
    }

    /** {@code Domain Users} of {@code CN=Domain Users,CN=Users,DC=example,DC=com}; escaped commas are kept. */
    static java.util.Optional<String> firstRdnValue(String dn) {
        int eq = dn.indexOf('=');
        if (eq < 0) {
            return java.util.Optional.empty();
        }
        StringBuilder value = new StringBuilder();
        for (int i = eq + 1; i < dn.length(); i++) {
            char c = dn.charAt(i);
            if (c == '\\' && i + 1 < dn.length()) {
                value.append(dn.charAt(++i));
            } else if (c == ',' || c == '+') {
                break;
            } else {
                value.append(c);
            }
        }
        String result = value.toString().strip();
        return result.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(result);
    }
}
