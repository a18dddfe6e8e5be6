package org.autoenroll.core.ca;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.autoenroll.api.CertificateSigner;

/**
 * One CA of a {@link CaPool}: a name, its signer, and the templates it offers (as an AD CS
 * enrollment service lists them in {@code certificateTemplates}; an empty set offers every template),
 * and how to tell whether its own certificate was revoked.
 */
public record OfferingCa(String name, CertificateSigner signer, Set<String> templates, CaRevocationCheck revocation) {
    public OfferingCa {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signer, "signer");
        templates = templates.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(revocation, "revocation");
    }

    /** A CA whose own certificate is not checked for revocation (a self-signed root). */
    public OfferingCa(String name, CertificateSigner signer, Set<String> templates) {
        this(name, signer, templates, CaRevocationCheck.NONE);
    }

    public boolean offers(String template) {
        return templates.isEmpty() || templates.contains(template.toLowerCase(Locale.ROOT));
    }
}
