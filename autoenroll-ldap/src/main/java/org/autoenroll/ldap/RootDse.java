package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Duration;

/** What AD's root DSE says that the PKI objects need: where the Configuration partition is. Stateless. */
final class RootDse {
    private RootDse() {
    }

    /**
     * The root DSE's {@code configurationNamingContext}.
     *
     * @param advice what the error says to do when there is none
     * @throws LDAPException NO_SUCH_ATTRIBUTE when the root DSE names none (not Active Directory)
     */
    static String configurationNamingContext(LDAPInterface connection, Duration timeout, String advice) throws LDAPException {
        SearchRequest request = new SearchRequest("", SearchScope.BASE, Filter.createPresenceFilter("objectClass"),
                "configurationNamingContext");
        request.setResponseTimeoutMillis(timeout.toMillis());
        SearchResultEntry rootDse = connection.searchForEntry(request);
        String value = rootDse == null ? null : rootDse.getAttributeValue("configurationNamingContext");
        if (value == null || value.isBlank()) {
            throw new LDAPException(ResultCode.NO_SUCH_ATTRIBUTE, "the root DSE names no configurationNamingContext: " + advice);
        }
        return value;
    }
}
