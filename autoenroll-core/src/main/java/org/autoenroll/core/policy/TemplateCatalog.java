package org.autoenroll.core.policy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.TemplateSource;

/**
 * The templates this server offers: those of the {@link TemplateSource} that some CA offers,
 * found by name (ignoring case) or by OID, as Windows clients name them either way. Thread-safe.
 */
public final class TemplateCatalog {
    private final TemplateSource source;
    private final Predicate<String> offeredByCa;

    /**
     * @param offeredByCa whether some CA offers the template of this name (every name, with one CA
     *     that signs every template)
     */
    public TemplateCatalog(TemplateSource source, Predicate<String> offeredByCa) {
        this.source = Objects.requireNonNull(source, "source");
        this.offeredByCa = Objects.requireNonNull(offeredByCa, "offeredByCa");
    }

    /** Every template offered now. */
    public List<CertificateTemplate> offered() throws EnrollmentException {
        return source.templates().stream().filter(t -> offeredByCa.test(t.name())).toList();
    }

    /** The offered template named {@code nameOrOid}. */
    public Optional<CertificateTemplate> find(String nameOrOid) throws EnrollmentException {
        String wanted = nameOrOid.strip().toLowerCase(Locale.ROOT);
        for (CertificateTemplate template : offered()) {
            if (template.name().toLowerCase(Locale.ROOT).equals(wanted) || template.id().oid().equals(wanted)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }
}
