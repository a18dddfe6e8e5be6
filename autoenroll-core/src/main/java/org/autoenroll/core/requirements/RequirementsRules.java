package org.autoenroll.core.requirements;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.internal.Serials;

/**
 * Seed 002's autoenrollment rules, as a pure function of what the caller may autoenroll, what it
 * holds and what it waits for:
 * <ol>
 * <li>a request still waiting (pending or approved) is to be collected, and its template is not
 *     enrolled again meanwhile;</li>
 * <li>a template with no valid certificate held is to be enrolled; one whose held certificate the
 *     client reports revoked is to be replaced;</li>
 * <li>a held certificate of an older major revision than the template's is to be replaced
 *     ("re-enroll all certificate holders");</li>
 * <li>a held certificate inside the template's renewal window is to be renewed;</li>
 * <li>supersede last: an action on template Y is dropped when a template X that supersedes Y is
 *     itself due or held (enrolling for X and Y, only X is needed; holding only Y, X is still
 *     enrolled).</li>
 * </ol>
 */
public final class RequirementsRules {
    /**
     * A valid, unexpired certificate of a template that the caller holds.
     *
     * @param majorRevision the template major revision written in it (its 1.3.6.1.4.1.311.21.7 extension)
     */
    public record Holding(BigInteger serial, Instant notAfter, int majorRevision) {
        public Holding {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(notAfter, "notAfter");
        }
    }

    private RequirementsRules() {
    }

    /**
     * @param autoenrollable the templates the caller may autoenroll now, for its kind of account
     * @param held per template name (lower case), the certificates held, in any order
     * @param revokedHeld per template name (lower case), a certificate the client still holds that is revoked
     * @param waiting the caller's requests still waiting
     * @return the actions, COLLECT first, then RENEW, REPLACE, ENROLL; empty when nothing is due
     */
    public static List<Action> compute(List<CertificateTemplate> autoenrollable, Map<String, List<Holding>> held,
                                       Map<String, BigInteger> revokedHeld, List<RequestRecord> waiting, Instant now) {
        List<Action> actions = new ArrayList<>();
        Set<String> waitingTemplates = new HashSet<>();
        for (RequestRecord request : waiting) {
            String template = request.submission().map(RequestRecord.Submitted::template).orElse(null);
            actions.add(new Action(Action.Kind.COLLECT, template, null, request.id(),
                    "request " + request.id() + " is " + request.state().name().toLowerCase(Locale.ROOT)));
            if (template != null) {
                waitingTemplates.add(key(template));
            }
        }
        Map<String, Action> due = new LinkedHashMap<>();
        Set<String> satisfied = new HashSet<>();
        for (CertificateTemplate template : autoenrollable) {
            String key = key(template.name());
            if (waitingTemplates.contains(key)) {
                continue;
            }
            Holding newest = held.getOrDefault(key, List.of()).stream()
                    .max(Comparator.comparing(Holding::notAfter)).orElse(null);
            Action action = actionFor(template, newest, revokedHeld.get(key), now);
            if (action == null) {
                satisfied.add(key);
            } else {
                due.put(key, action);
            }
        }
        for (CertificateTemplate superseding : autoenrollable) {
            String key = key(superseding.name());
            if (!due.containsKey(key) && !satisfied.contains(key) && !waitingTemplates.contains(key)) {
                continue;
            }
            for (String superseded : superseding.supersedes()) {
                due.remove(key(superseded));
            }
        }
        actions.addAll(due.values().stream().sorted(Comparator.comparing(Action::kind)).toList());
        return List.copyOf(actions);
    }

    private static Action actionFor(CertificateTemplate template, Holding newest, BigInteger revoked, Instant now) {
        if (newest == null) {
            if (revoked != null) {
                return new Action(Action.Kind.REPLACE, template.name(), Serials.format(revoked), null,
                        "the certificate held is revoked");
            }
            return new Action(Action.Kind.ENROLL, template.name(), null, null, "no valid certificate of the template is held");
        }
        String serial = Serials.format(newest.serial());
        if (newest.majorRevision() < template.id().majorRevision()) {
            return new Action(Action.Kind.REPLACE, template.name(), serial, null, "the certificate is of major revision "
                    + newest.majorRevision() + "; the template is now at " + template.id().majorRevision());
        }
        if (!now.isBefore(newest.notAfter().minus(template.renewalWindow()))) {
            return new Action(Action.Kind.RENEW, template.name(), serial, null,
                    "the certificate expires on " + newest.notAfter() + ", inside the renewal window");
        }
        return null;
    }

    private static String key(String template) {
        return template.toLowerCase(Locale.ROOT);
    }
}
