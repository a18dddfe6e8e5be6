package org.autoenroll.core.pipeline;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;

/**
 * Requires the e-mail (of users; a machine principal may omit it, and its realm's DNS domain then
 * stands for the e-mail's domain) and the CSR. Raises {@link ErrorCode#NO_EMAIL} (26) and
 * {@link ErrorCode#NO_REQUEST} (29); an e-mail with no single {@code @} and a domain is
 * {@link ErrorCode#NO_MATCHED_DOMAIN} (4).
 */
final class RequiredFieldsCheck implements EnrollmentStep {
    /** RFC 5321's limit on a forward path. */
    static final int MAX_EMAIL_LENGTH = 254;

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        String email = context.request().email();
        boolean noEmail = email == null || email.isBlank();
        if (noEmail && !context.machineCaller()) {
            throw new EnrollmentException(ErrorCode.NO_EMAIL, "the request has no email");
        }
        String csr = context.request().csrPem();
        if (csr == null || csr.isBlank()) {
            throw new EnrollmentException(ErrorCode.NO_REQUEST, "the request has no csr");
        }
        if (noEmail) {
            // a computer has no mailbox: its organization is the one holding its Windows domain
            context.email(null, context.caller().realm().toLowerCase(java.util.Locale.ROOT));
            return chain.proceed();
        }
        email = email.strip();
        int at = email.indexOf('@');
        if (email.length() > MAX_EMAIL_LENGTH || at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1
                || email.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new EnrollmentException(ErrorCode.NO_MATCHED_DOMAIN, "the email is not a valid address");
        }
        context.email(email, email.substring(at + 1).toLowerCase(java.util.Locale.ROOT));
        return chain.proceed();
    }
}
