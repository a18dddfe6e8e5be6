package org.autoenroll.wstep;

import java.util.Optional;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;

/**
 * What CES needs of the enrollment side: enroll, collect, and the e-mail of a user caller (the
 * pipeline certifies a user's e-mail, which Windows does not send: the directory has it).
 * {@link #of} adapts an {@link EnrollmentService}. Implementations are thread-safe.
 */
public interface CesBackend {
    EnrollmentResult enroll(AuthenticatedPrincipal caller, EnrollmentRequest request) throws EnrollmentException;

    EnrollmentResult collect(AuthenticatedPrincipal caller, String requestId) throws EnrollmentException;

    /** The e-mail to certify for a user caller, from the directory; empty for computers or none. */
    Optional<String> mailOf(AuthenticatedPrincipal caller, String customerUri) throws EnrollmentException;

    /** The service itself, with {@code mail} telling a user caller's e-mail. */
    static CesBackend of(EnrollmentService service, MailLookup mail) {
        return new CesBackend() {
            @Override
            public EnrollmentResult enroll(AuthenticatedPrincipal caller, EnrollmentRequest request) throws EnrollmentException {
                return service.enroll(caller, request);
            }

            @Override
            public EnrollmentResult collect(AuthenticatedPrincipal caller, String requestId) throws EnrollmentException {
                return service.collect(caller, requestId);
            }

            @Override
            public Optional<String> mailOf(AuthenticatedPrincipal caller, String customerUri) throws EnrollmentException {
                return mail.mailOf(caller, customerUri);
            }
        };
    }

    /** Reads a user's e-mail from the customer's directory. */
    @FunctionalInterface
    interface MailLookup {
        Optional<String> mailOf(AuthenticatedPrincipal caller, String customerUri) throws EnrollmentException;
    }
}
