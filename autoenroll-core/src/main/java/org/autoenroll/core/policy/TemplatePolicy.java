package org.autoenroll.core.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.ErrorCode;

/**
 * The autoenrollment policy of AD CS: the request names a template (or gets its customer's
 * default), and the template decides. In order: the template is known and offered by a CA (50);
 * it is for the caller's kind of account (54); the caller has the Enroll right, deny beating allow
 * (49); the key is one the template accepts (51); a renewal-only template is given a renewal of
 * its own certificate (53); a template that needs approval pends the request unless an officer
 * already approved it. Then it issues with the template's profile. Thread-safe; never blocks on
 * I/O when its {@link org.autoenroll.api.TemplateSource} answers from memory.
 */
public final class TemplatePolicy implements EnrollmentPolicy {
    private final TemplateCatalog catalog;
    private final Function<String, Optional<String>> defaultTemplate;

    /**
     * @param defaultTemplate the template of a customer's requests that name none (the seed's
     *     logon script names none)
     */
    public TemplatePolicy(TemplateCatalog catalog, Function<String, Optional<String>> defaultTemplate) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.defaultTemplate = Objects.requireNonNull(defaultTemplate, "defaultTemplate");
    }

    @Override
    public Decision decide(Request request) {
        Optional<String> name = request.template().or(() -> defaultTemplate.apply(request.customerUri()));
        if (name.isEmpty()) {
            return new Refuse(ErrorCode.TEMPLATE_UNKNOWN, "the request names no template and the customer has no default");
        }
        CertificateTemplate template;
        try {
            template = catalog.find(name.get()).orElse(null);
        } catch (EnrollmentException e) {
            return new Refuse(e.code(), e.detail());
        }
        if (template == null) {
            return new Refuse(ErrorCode.TEMPLATE_UNKNOWN, "no CA offers a template named " + quoted(name.get()));
        }
        if (template.subjectType() != request.entry().type()) {
            return new Refuse(ErrorCode.SUBJECT_TYPE_MISMATCH, "template " + template.name() + " is for "
                    + template.subjectType() + " accounts; the caller is a " + request.entry().type() + " account");
        }
        Set<String> identities = CallerIdentities.of(request.principal(), request.entry());
        if (!template.grants(AccessRule.Right.ENROLL, identities)) {
            return new Refuse(ErrorCode.TEMPLATE_DENIED, "the caller has no Enroll right on template " + template.name());
        }
        if (!request.key().satisfies(template.keyRules())) {
            return new Refuse(ErrorCode.KEY_NOT_ALLOWED, "template " + template.name() + " does not accept a key of "
                    + request.key());
        }
        if (template.renewalOnly() && !renewsOwnTemplate(request.renewing(), template)) {
            return new Refuse(ErrorCode.RENEWAL_ONLY, "template " + template.name()
                    + " only renews a valid certificate of the same template");
        }
        if (template.requiresApproval() && !request.approved()) {
            return new Pend(template.profile(), "template " + template.name() + " requires a certificate manager's approval");
        }
        return new Issue(template.profile());
    }

    private static boolean renewsOwnTemplate(Optional<CertificateRecord> renewing, CertificateTemplate template) {
        return renewing.filter(r -> template.name().equalsIgnoreCase(r.profile())).isPresent();
    }

    /** A client-supplied name, bounded and without control characters, for a detail. */
    private static String quoted(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
