package org.autoenroll.ldap.internal;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.SecretRef;

/**
 * The one set of rules an AD server record follows, wherever it comes from (the YAML configuration's
 * {@code adServers:} or a CSV export read by {@link AdServerCsv}): each problem names the field and
 * says what is wrong in the same words for both, never echoing a bind password. Stateless.
 */
public final class AdServerRules {
    /** Most hosts one record may list. */
    public static final int MAX_HOSTS = 32;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

    private AdServerRules() {
    }

    /**
     * One problem of a record.
     *
     * @param field the record's field: id, windowsDomain, hosts, usersBaseDn, bindDn or bindPassword
     * @param message what is wrong, without the field's name or location
     */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /** Every problem of the record, in field order (empty when it is valid). Blank values count as missing. */
    public static List<Problem> check(String id, String windowsDomain, List<String> hosts, boolean ssl, String usersBaseDn,
                                      String bindDn, String bindPassword) {
        List<Problem> problems = new ArrayList<>();
        if (blank(id)) {
            problems.add(new Problem("id", "required"));
        } else if (!ID.matcher(id).matches()) {
            problems.add(new Problem("id", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (blank(windowsDomain)) {
            problems.add(new Problem("windowsDomain", "required"));
        } else if (windowsDomain.length() > 253 || !DOMAIN.matcher(windowsDomain).matches()) {
            problems.add(new Problem("windowsDomain", "must be a DNS domain such as EXAMPLE.COM"));
        }
        hosts(hosts, ssl, problems);
        distinguishedName("usersBaseDn", usersBaseDn, problems);
        distinguishedName("bindDn", bindDn, problems);
        if (blank(bindPassword)) {
            problems.add(new Problem("bindPassword", "required (env:NAME or file:/path)"));
        } else {
            try {
                SecretRef.parse(bindPassword);
            } catch (IllegalArgumentException e) {
                // never echo the value: it may be the very password that should not be here
                problems.add(new Problem("bindPassword", "must be env:NAME or file:/path (a secret is never written here)"));
            }
        }
        return problems;
    }

    /**
     * One host entry: {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; without a
     * port, 389 (636 with ssl).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static LdapEndpoint endpoint(String entry, boolean ssl) {
        String value = entry == null ? "" : entry.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty entry: each is host or host:port");
        }
        String host;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("an IPv6 address lacks its closing ']'");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("after ']' comes ':port'");
                }
                port = rest.substring(1);
            }
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("not an IPv6 address in brackets");
            }
        } else {
            int colon = value.lastIndexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? null : value.substring(colon + 1);
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("a host must be a DNS name or IPv4 address (IPv6 in brackets)");
            }
        }
        int number = ssl ? 636 : 389;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("the port must be 1-65535");
            }
        }
        return new LdapEndpoint(host, number);
    }

    /** The endpoints of valid {@code hosts}. */
    public static List<LdapEndpoint> endpoints(List<String> hosts, boolean ssl) {
        return hosts.stream().map(h -> endpoint(h, ssl)).toList();
    }

    /** How an endpoint is written back: IPv6 in brackets. */
    public static String format(LdapEndpoint endpoint) {
        return endpoint.host().contains(":") ? "[" + endpoint.host() + "]:" + endpoint.port() : endpoint.toString();
    }

    private static void hosts(List<String> hosts, boolean ssl, List<Problem> problems) {
        if (hosts == null || hosts.isEmpty()) {
            problems.add(new Problem("hosts", "at least one host or host:port is required"));
            return;
        }
        if (hosts.size() > MAX_HOSTS) {
            problems.add(new Problem("hosts", "more than " + MAX_HOSTS + " hosts"));
            return;
        }
        for (int i = 0; i < hosts.size(); i++) {
            try {
                endpoint(hosts.get(i), ssl);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("hosts", "entry " + (i + 1) + ": " + e.getMessage()));
            }
        }
    }

    private static void distinguishedName(String field, String value, List<Problem> problems) {
        if (blank(value)) {
            problems.add(new Problem(field, "required"));
            return;
        }
        try {
            if (new DN(value).isNullDN()) {
                problems.add(new Problem(field, "required"));
            }
        } catch (LDAPException e) {
            problems.add(new Problem(field, "is not a distinguished name such as CN=Users,DC=example,DC=com"));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
