package org.autoenroll.wstep;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateSource;

/**
 * A plain {@link CallerTemplates}: every template of a {@link TemplateSource} for the caller's
 * kind of account (computer templates for {@code NAME$}, user templates for others: Samba's
 * client enrolls in every template it is offered) whose ACL grants the caller enroll or
 * autoenroll, the caller's identities being its PAC user and group SIDs and Authenticated Users
 * ({@code S-1-5-11}). It ignores the customer (one template set for all) and
 * knows no groups beyond the PAC (a ticket without a PAC holds Authenticated Users only). The
 * core's template service replaces it. Thread-safe if the source is.
 */
public final class AclCallerTemplates implements CallerTemplates {
    private final TemplateSource source;

    public AclCallerTemplates(TemplateSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public List<OfferedTemplate> offeredTo(AuthenticatedPrincipal caller, String customerUri) throws EnrollmentException {
        Set<String> identities = new HashSet<>();
        identities.add(AccessRule.AUTHENTICATED_USERS.toLowerCase(Locale.ROOT));
        caller.userSid().ifPresent(s -> identities.add(s.toLowerCase(Locale.ROOT)));
        caller.groupSids().forEach(s -> identities.add(s.toLowerCase(Locale.ROOT)));
        SubjectType kind = caller.name().endsWith("$") ? SubjectType.COMPUTER : SubjectType.USER;
        return source.templates().stream()
                .filter(t -> t.subjectType() == kind)
                .map(t -> new OfferedTemplate(t, t.grants(AccessRule.Right.ENROLL, identities),
                        t.autoenrollEnabled() && t.grants(AccessRule.Right.AUTOENROLL, identities)))
                .filter(o -> o.enroll() || o.autoenroll())
                .toList();
    }
}
