package org.autoenroll.core.pipeline;

import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;

/**
 * Reads the caller's entry from the chosen AD server and holds the request against it: the
 * account is enabled, has an e-mail, owns the requested one, and has the CN the client sent.
 * Raises {@link ErrorCode#AD_UNAVAILABLE} (13) and {@link ErrorCode#NO_VALID_USER_IN_AD} (17) via
 * the lookup, then {@link ErrorCode#ACCOUNT_DISABLED} (45), {@link ErrorCode#NO_VALID_EMAIL_IN_AD} (16),
 * {@link ErrorCode#EMAIL_IN_AD_MISMATCH} (18) and {@link ErrorCode#USER_NAME_IN_AD_MISMATCH} (19).
 */
final class DirectoryCheck implements EnrollmentStep {
    private final DirectoryLookup directory;

    DirectoryCheck(DirectoryLookup directory) {
        this.directory = directory;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        DirectoryEntry entry = directory.findUser(context.adServer(), context.caller());
        if (entry.disabled()) {
            throw new EnrollmentException(ErrorCode.ACCOUNT_DISABLED, "the account is disabled in the directory");
        }
        if (entry.mailAddress().isEmpty() && entry.smtpAddresses().isEmpty()) {
            throw new EnrollmentException(ErrorCode.NO_VALID_EMAIL_IN_AD, "the directory entry has no e-mail address");
        }
        if (!entry.ownsEmail(context.email())) {
            throw new EnrollmentException(ErrorCode.EMAIL_IN_AD_MISMATCH,
                    "the requested email is neither the entry's mail nor one of its SMTP addresses");
        }
        String commonName = context.request().commonName();
        if (commonName != null && !commonName.isBlank() && !java.text.Normalizer.normalize(commonName.strip(), java.text.Normalizer.Form.NFC).equalsIgnoreCase(entry.commonName() == null ? null : java.text.Normalizer.normalize(entry.commonName(), java.text.Normalizer.Form.NFC))) {
            throw new EnrollmentException(ErrorCode.USER_NAME_IN_AD_MISMATCH, "the requested commonName is not the entry's cn");
        }
        context.entry(entry);
        return chain.proceed();
    }
}
