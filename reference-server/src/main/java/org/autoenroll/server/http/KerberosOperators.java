package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TicketValidator;

/**
 * Operators who authenticate with Kerberos ({@code Authorization: Negotiate}) instead of a token:
 * the ticket is checked by the server's {@link TicketValidator}, the principal is looked up in the
 * configured AD server, and its groups (DNs, or SIDs for entries written {@code S-1-...}) give the
 * role: an officers' group makes an officer, else an auditors' group an auditor. Named by their
 * principal ({@code olivia@EXAMPLE.COM}). A ticket that does not validate, or a disabled account, is
 * {@link ErrorCode#ADMIN_AUTHENTICATION_REQUIRED} (48, the reason in the log only); a valid user in
 * no operators' group is {@link ErrorCode#ADMIN_FORBIDDEN} (58). Immutable; thread-safe.
 */
public final class KerberosOperators {
    /** The directory entry of an authenticated principal, in the AD server the operators' groups live in. */
    @FunctionalInterface
    public interface Directory {
        DirectoryEntry entryOf(AuthenticatedPrincipal principal) throws EnrollmentException;
    }

    private final NegotiateAuthentication negotiate;
    private final Directory directory;
    private final Set<String> auditorGroups;
    private final Set<String> officerGroups;

    /**
     * @param auditorGroups group DNs or SIDs whose members read
     * @param officerGroups group DNs or SIDs whose members also approve, deny, revoke and publish CRLs
     * @throws IllegalArgumentException without any group
     */
    public KerberosOperators(TicketValidator validator, Directory directory, Collection<String> auditorGroups,
                             Collection<String> officerGroups) {
        this.negotiate = new NegotiateAuthentication(validator);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.auditorGroups = normalized(auditorGroups);
        this.officerGroups = normalized(officerGroups);
        if (this.auditorGroups.isEmpty() && this.officerGroups.isEmpty()) {
            throw new IllegalArgumentException("Kerberos operators need an auditors' or an officers' group");
        }
    }

    /** Group DNs compare without case, as AD does; so do SIDs. */
    private static Set<String> normalized(Collection<String> groups) {
        return groups == null ? Set.of() : groups.stream().map(g -> g.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    AdminAuthentication.Operator authenticate(HttpServerExchange exchange) throws EnrollmentException {
        AuthenticatedPrincipal principal;
        try {
            principal = negotiate.authenticate(exchange);
        } catch (EnrollmentException e) {
            throw new EnrollmentException(ErrorCode.ADMIN_AUTHENTICATION_REQUIRED, "Kerberos operator: " + e.detail());
        }
        DirectoryEntry entry = directory.entryOf(principal);
        if (entry.disabled()) {
            throw new EnrollmentException(ErrorCode.ADMIN_AUTHENTICATION_REQUIRED,
                    "the account of " + principal.principal() + " is disabled");
        }
        List<String> memberOf = java.util.stream.Stream.concat(entry.groups().stream(), entry.groupSids().stream())
                .map(g -> g.toLowerCase(Locale.ROOT)).toList();
        AdminAuthentication.Role role = memberOf.stream().anyMatch(officerGroups::contains) ? AdminAuthentication.Role.OFFICER
                : memberOf.stream().anyMatch(auditorGroups::contains) ? AdminAuthentication.Role.AUDITOR : null;
        if (role == null) {
            throw new EnrollmentException(ErrorCode.ADMIN_FORBIDDEN,
                    principal.principal() + " is in none of the operators' groups");
        }
        try {
            return new AdminAuthentication.Operator(principal.principal(), role);
        } catch (IllegalArgumentException e) {
            throw new EnrollmentException(ErrorCode.ADMIN_AUTHENTICATION_REQUIRED,
                    "the principal's name cannot name an operator (letters, digits, '.', '_', '@', '-')");
        }
    }
}
