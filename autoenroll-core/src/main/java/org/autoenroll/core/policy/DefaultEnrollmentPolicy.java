package org.autoenroll.core.policy;

import java.util.Objects;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.EnrollmentPolicy;

/**
 * Issues every request that passed the pipeline's checks with one profile: the policy of a
 * certificate manager with a single template. Templates, group rights and approval come with
 * richer policies. Immutable and thread-safe.
 */
public final class DefaultEnrollmentPolicy implements EnrollmentPolicy {
    private final CertificateProfile profile;

    public DefaultEnrollmentPolicy(CertificateProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    @Override
    public Decision decide(Request request) {
        return new Issue(profile);
    }
}
