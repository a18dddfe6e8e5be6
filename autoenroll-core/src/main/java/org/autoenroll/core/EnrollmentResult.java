package org.autoenroll.core;

import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.IssuedCertificate;

/** The outcome of an accepted request: issued with its certificate, or pending approval. */
public final class EnrollmentResult {
    /** Where the request stands. */
    public enum Status { ISSUED, PENDING }

    private final Status status;
    private final String requestId;
    private final IssuedCertificate certificate;

    private EnrollmentResult(Status status, String requestId, IssuedCertificate certificate) {
        this.status = status;
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.certificate = certificate;
    }

    public static EnrollmentResult issued(String requestId, IssuedCertificate certificate) {
        return new EnrollmentResult(Status.ISSUED, requestId, Objects.requireNonNull(certificate, "certificate"));
    }

    public static EnrollmentResult pending(String requestId) {
        return new EnrollmentResult(Status.PENDING, requestId, null);
    }

    public Status status() {
        return status;
    }

    public String requestId() {
        return requestId;
    }

    /** Present exactly when {@link #status()} is {@link Status#ISSUED}. */
    public Optional<IssuedCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }
}
