package org.autoenroll.server;

import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;

/**
 * Checks a user name and password (a WS-Security UsernameToken) and says who the caller is.
 * Implementations never log nor keep the password. Thread-safe.
 */
@FunctionalInterface
public interface PasswordVerifier {
    /**
     * @throws EnrollmentException {@link org.autoenroll.api.ErrorCode#AUTHENTICATION_ERROR} (37)
     *     for a wrong password, or the directory's codes
     */
    AuthenticatedPrincipal verify(String user, char[] password) throws EnrollmentException;
}
