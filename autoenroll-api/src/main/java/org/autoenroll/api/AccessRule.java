package org.autoenroll.api;

import java.util.Locale;
import java.util.Objects;

/**
 * One access control entry of a template, as AD keeps them in {@code nTSecurityDescriptor}: a
 * trustee is allowed or denied the Certificate-Enrollment or Certificate-AutoEnrollment extended
 * right. Deny beats allow.
 *
 * @param trustee a SID ({@code S-1-5-21-...-513}) or, for directories that are not AD, a group's
 *     DN or name; compared without regard to case
 * @param right the right
 * @param allow true for an allow ACE, false for a deny ACE
 * @since 0.2
 */
public record AccessRule(String trustee, Right right, boolean allow) {
    /** The two extended rights of MS-CRTD. */
    public enum Right {
        /** Certificate-Enrollment, 0e10c968-78fb-11d2-90d4-00c04f79dc55. */
        ENROLL,
        /** Certificate-AutoEnrollment, a05b8cc2-17bc-4802-a710-e7c15ab866a2. */
        AUTOENROLL
    }

    /** Authenticated Users: every caller that proved who they are. */
    public static final String AUTHENTICATED_USERS = "S-1-5-11";

    public AccessRule {
        Objects.requireNonNull(trustee, "trustee");
        if (trustee.isBlank()) {
            throw new IllegalArgumentException("an access rule needs a trustee");
        }
        Objects.requireNonNull(right, "right");
    }

    public static AccessRule allow(String trustee, Right right) {
        return new AccessRule(trustee, right, true);
    }

    public static AccessRule deny(String trustee, Right right) {
        return new AccessRule(trustee, right, false);
    }

    /** Whether this rule's trustee is one of {@code identities} (lower-case SIDs, DNs, names). */
    public boolean appliesTo(java.util.Set<String> identities) {
        return identities.contains(trustee.toLowerCase(Locale.ROOT));
    }
}
