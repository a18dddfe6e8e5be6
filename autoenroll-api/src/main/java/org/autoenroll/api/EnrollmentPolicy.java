package org.autoenroll.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what happens to a request whose caller, tenant and CSR have been checked: issue with a
 * profile, hold for approval, or refuse. Thread-safe; must not block on I/O.
 */
public interface EnrollmentPolicy {
    Decision decide(Request request);

    /**
     * What the policy sees.
     *
     * @param principal the authenticated caller
     * @param customerUri the customer
     * @param organizationId the organization the request is for
     * @param entry the caller's directory entry
     * @param holdings the caller's certificates in this customer, newest first
     * @param renewing the certificate being renewed, if the request names one
     */
    record Request(AuthenticatedPrincipal principal, String customerUri, long organizationId, DirectoryEntry entry,
                   List<CertificateRecord> holdings, Optional<CertificateRecord> renewing) {
        public Request {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(customerUri, "customerUri");
            Objects.requireNonNull(entry, "entry");
            holdings = List.copyOf(holdings);
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

    /** Hold the request until an operator approves it. */
    record Pend(String reason) implements Decision {
        public Pend {
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
