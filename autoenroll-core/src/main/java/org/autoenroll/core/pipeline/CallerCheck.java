package org.autoenroll.core.pipeline;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;

/**
 * Refuses principals that cannot be a directory user: service principals ({@code HTTP/host}) and
 * names longer than AD allows. Raises {@link ErrorCode#INVALID_REMOTE_USER} (27).
 */
final class CallerCheck implements EnrollmentStep {
    /** userPrincipalName is limited to 1024 characters in AD; sAMAccountName to 20 (256 for computers). */
    private static final int MAX_NAME_LENGTH = 256;

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        String name = chain.context().caller().name();
        if (name.indexOf('/') >= 0) {
            throw new EnrollmentException(ErrorCode.INVALID_REMOTE_USER,
                    "the ticket's client is a service principal, not a user or computer account");
        }
        if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new EnrollmentException(ErrorCode.INVALID_REMOTE_USER,
                    "the ticket's client name is not a usable account name");
        }
        return chain.proceed();
    }
}
