package org.autoenroll.api;

/**
 * Finds the directory entry of an authenticated user on an Active Directory server.
 *
 * <p>Implementations bind as the server's service account (never anonymously), escape every
 * value they put into a filter or DN, and bound the time they wait. Thread-safe.
 */
public interface DirectoryLookup {
    /**
     * Looks up the user by {@code sAMAccountName} (the principal's name) or by
     * {@code userPrincipalName} under {@link AdServer#usersBaseDn()}.
     *
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when the server cannot be
     *     reached, bound or read; {@link ErrorCode#NO_VALID_USER_IN_AD} when no single entry matches
     */
    DirectoryEntry findUser(AdServer server, AuthenticatedPrincipal principal) throws EnrollmentException;
}
