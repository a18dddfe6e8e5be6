package org.autoenroll.api;

/**
 * Finds the directory entry of an authenticated caller in a tenant's directory.
 *
 * <p>The directory is named by an opaque {@link DirectoryRef}: an LDAP implementation maps it to
 * an AD server record it was configured with; an HR database or a SCIM service maps it to whatever
 * it needs. Implementations bind as a service account (never anonymously), escape every value they
 * put into a query, and bound the time they wait. Thread-safe.
 *
 * @since 0.1
 */
public interface DirectoryLookup {
    /**
     * Looks up the caller: a user by {@code sAMAccountName} (the principal's name) or by
     * {@code userPrincipalName}; a machine principal ({@code WS01$}) as a computer account.
     *
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot be
     *     reached, bound or read, or {@code directory} is not one this lookup knows;
     *     {@link ErrorCode#NO_VALID_USER_IN_AD} when no single entry matches
     */
    DirectoryEntry findUser(DirectoryRef directory, AuthenticatedPrincipal principal) throws EnrollmentException;
}
