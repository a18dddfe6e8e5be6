package org.autoenroll.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate template's identity as Windows clients see it in the template extension
 * 1.3.6.1.4.1.311.21.7 of every certificate issued from it: OID, major and minor revision.
 * Clients re-enroll when the major revision rises ("re-enroll all certificate holders").
 *
 * @param oid the template OID in dotted form, e.g. {@code 1.3.6.1.4.1.311.21.8.1.2.3}
 * @param majorRevision the template's {@code revision}
 * @param minorRevision {@code msPKI-Template-Minor-Revision}
 * @since 0.2
 */
public record TemplateId(String oid, int majorRevision, int minorRevision) {
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]{0,9})){1,30}");

    public TemplateId {
        Objects.requireNonNull(oid, "oid");
        if (!OID.matcher(oid).matches()) {
            throw new IllegalArgumentException("template OID " + oid + " is not a dotted OID");
        }
        if (majorRevision < 0 || minorRevision < 0) {
            throw new IllegalArgumentException("template revisions must not be negative");
        }
    }
}
