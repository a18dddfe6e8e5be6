package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.util.List;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.ldap.AdTemplateEntries;

/**
 * For tests and demos that put templates into a directory: a {@link CertificateTemplate} as AD CS
 * stores it, encoded by {@link AdTemplateEntries} (the encoding {@code publish-ad} writes into AD),
 * so that a test entry and a published one are the same bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class TemplateEntries {
    private TemplateEntries() {
    }

    /** The entry {@code CN=<name>,<certificateTemplatesDn>}; see {@link AdTemplateEntries#entry}. */
    public static Entry entry(String certificateTemplatesDn, CertificateTemplate template) {
        return AdTemplateEntries.entry(certificateTemplatesDn, template);
    }

    /** The attributes (objectClass and cn included), schema version 2; see {@link AdTemplateEntries#attributes}. */
    public static List<Attribute> attributes(CertificateTemplate template) {
        return AdTemplateEntries.attributes(template);
    }
}
