package org.autoenroll.api;

/**
 * Checks the credentials of an HTTP {@code Authorization: Negotiate} header.
 *
 * <p>Implementations must refuse DES, replays, tickets outside the clock skew and tokens for
 * realms they hold no key for, each with {@link ErrorCode#AUTHENTICATION_ERROR} and a detail
 * that says which. They must never log or put in a detail any key, ticket or token bytes.
 * Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface TicketValidator {
    /**
     * @param negotiateToken the decoded bytes after {@code Negotiate } (SPNEGO or raw Kerberos GSS)
     * @return the authenticated client
     * @throws EnrollmentException {@link ErrorCode#AUTHENTICATION_ERROR} for any token that does
     *     not prove a client, {@link ErrorCode#INVALID_REMOTE_USER} for a client name that is unusable
     */
    AuthenticatedPrincipal validate(byte[] negotiateToken) throws EnrollmentException;
}
