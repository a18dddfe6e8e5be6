package org.autoenroll.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides what happens to a request whose caller, tenant and CSR have been checked: issue with a
 * profile, hold for approval, or refuse. Thread-safe; must not block on I/O (a policy that needs
 * templates from a directory reads them from a {@link TemplateSource} that caches).
 *
 * @since 0.1
 */
public interface EnrollmentPolicy {
    Decision decide(Request request);

    /**
     * What the policy sees.
     *
     * @param principal the authenticated caller
     * @param customerUri the customer
     * @param organizationId the organization the request is for
     * @param entry the caller's directory entry (a user or a computer)
     * @param template the template the client asked for; empty means the tenant's default
     * @param key the CSR's public key
     * @param renewing the certificate being renewed, if the request names one (valid, the caller's)
     * @param approved an operator already approved this request: do not pend it again
     */
    record Request(AuthenticatedPrincipal principal, String customerUri, long organizationId, DirectoryEntry entry,
                   Optional<String> template, RequestedKey key, Optional<CertificateRecord> renewing,
                   boolean approved) {
        public Request {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(customerUri, "customerUri");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(renewing, "renewing");
        }
    }

    /** The outcome: one of {@link Issue}, {@link Pend}, {@link Refuse}. */
    sealed interface Decision permits Issue, Pend, Refuse {
    }

    /** Sign now with this profile. */
    record Issue(CertificateProfile profile) implements Decision {
        public Issue {
            Objects.requireNonNull(profile, "profile");
        }
    }

    /** Hold the request until an operator approves it; {@code profile} names the template it waits for. */
    record Pend(CertificateProfile profile, String reason) implements Decision {
        public Pend {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Refuse with a code of the catalogue. */
    record Refuse(ErrorCode code, String detail) implements Decision {
        public Refuse {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
