package org.autoenroll.server.config;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.autoenroll.api.SecretRef;
import org.autoenroll.server.http.AdminAuthentication;

/**
 * Checks the {@code admin} section for {@link ConfigValidator}: {@code token} (the older single
 * token, an officer named {@code admin}) and {@code operators[]}, each with a unique plain name, a
 * role ({@code auditor} or {@code officer}) and a token of at least {@value #MIN_TOKEN_CHARS}
 * characters that no other operator has. Tokens are resolved to prove they are readable and
 * distinct, compared by digest, then wiped; a message names the operator, never the token.
 * Stateless; thread-safe.
 */
final class AdminConfigValidator {
    static final int MIN_TOKEN_CHARS = 24;
    private static final int MAX_GROUP_CHARS = 1024;
    /** The name {@code admin.token}'s operator gets. */
    static final String LEGACY_NAME = "admin";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Set<String> ROLES = Set.of("auditor", "officer");

    private final Map<String, String> environment;

    AdminConfigValidator(Map<String, String> environment) {
        this.environment = environment;
    }

    void validate(ServerConfig.Admin admin, Set<String> adServerIds, List<String> problems) {
        if (admin.token() == null && admin.operators().isEmpty() && admin.kerberos() == null) {
            problems.add("admin: give operators (name, token, role), token, or kerberos (adServer, officerGroups, auditorGroups)");
            return;
        }
        if (admin.kerberos() != null) {
            kerberos(admin.kerberos(), adServerIds, problems);
        }
        List<String> owners = new ArrayList<>();
        List<byte[]> digests = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (admin.token() != null) {
            token("admin.token", admin.token(), owners, digests, problems);
            names.add(LEGACY_NAME);
        }
        for (int i = 0; i < admin.operators().size(); i++) {
            String at = "admin.operators[" + i + "]";
            ServerConfig.Operator operator = admin.operators().get(i);
            if (operator == null) {
                problems.add(at + ": empty");
                continue;
            }
            String name = operator.name();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(at + ".name: required, 1-64 letters, digits, '.', '_', '@' or '-'");
            } else if (!names.add(name)) {
                problems.add(at + ".name: " + name + " is taken" + (LEGACY_NAME.equals(name) && admin.token() != null
                        ? " (admin.token is the operator named admin)" : ""));
            }
            if (operator.role() == null || !ROLES.contains(operator.role().toLowerCase(Locale.ROOT))) {
                problems.add(at + ".role: must be auditor (reads) or officer (also approves, denies, revokes)");
            }
            token(at + ".token", operator.token(), owners, digests, problems);
        }
    }

    private static void kerberos(ServerConfig.KerberosOperators kerberos, Set<String> adServerIds, List<String> problems) {
        if (kerberos.adServer() == null || !adServerIds.contains(kerberos.adServer())) {
            problems.add("admin.kerberos.adServer: must name an AD server record (adServers[].id) where the operators' groups are");
        }
        if (kerberos.auditorGroups().isEmpty() && kerberos.officerGroups().isEmpty()) {
            problems.add("admin.kerberos: give officerGroups or auditorGroups (group DNs or SIDs)");
        }
        for (String list : new String[] {"auditorGroups", "officerGroups"}) {
            List<String> groups = list.equals("auditorGroups") ? kerberos.auditorGroups() : kerberos.officerGroups();
            for (int i = 0; i < groups.size(); i++) {
                String group = groups.get(i);
                if (group == null || group.isBlank() || group.length() > MAX_GROUP_CHARS) {
                    problems.add("admin.kerberos." + list + "[" + i + "]: a group DN or SID of 1-" + MAX_GROUP_CHARS + " characters");
                }
            }
        }
    }

    private void token(String at, String reference, List<String> owners, List<byte[]> digests,
                       List<String> problems) {
        if (reference == null || reference.isBlank()) {
            problems.add(at + ": required (env:NAME or file:/path)");
            return;
        }
        char[] token;
        try {
            token = SecretRef.parse(reference).resolve(environment);
        } catch (IllegalArgumentException e) {
            // never echo the value: it may be a token written in the wrong place
            problems.add(at + ": must be env:NAME or file:/path (a secret is never written in the file)");
            return;
        } catch (IOException e) {
            problems.add(at + ": cannot read " + reference);
            return;
        }
        try {
            if (token.length < MIN_TOKEN_CHARS) {
                problems.add(at + ": must be at least " + MIN_TOKEN_CHARS + " characters (e.g. openssl rand -hex 24)");
                return;
            }
            byte[] digest = AdminAuthentication.tokenDigest(token);
            for (int i = 0; i < digests.size(); i++) {
                if (MessageDigest.isEqual(digests.get(i), digest)) {
                    problems.add(at + ": the same token as " + owners.get(i) + "; each operator needs a token of their own");
                    return;
                }
            }
            owners.add(at);
            digests.add(digest);
        } finally {
            Arrays.fill(token, '\0');
        }
    }
}
