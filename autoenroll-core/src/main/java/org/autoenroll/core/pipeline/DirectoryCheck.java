package org.autoenroll.core.pipeline;

import java.time.Clock;
import java.time.Instant;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.SubjectType;
import org.autoenroll.core.EnrollmentResult;

/**
 * Reads the caller's entry from the chosen directory and holds the request against it: the
 * account is enabled and not expired; a user has an e-mail, owns the requested one, and has the CN
 * the client sent; a computer has a DNS host name. From here on the e-mail is the directory's
 * spelling of it. Raises {@link ErrorCode#AD_UNAVAILABLE} (13) and
 * {@link ErrorCode#NO_VALID_USER_IN_AD} (17) via the lookup, then {@link ErrorCode#ACCOUNT_DISABLED}
 * (45, disabled, locked or expired), {@link ErrorCode#NO_VALID_EMAIL_IN_AD} (16),
 * {@link ErrorCode#EMAIL_IN_AD_MISMATCH} (18), {@link ErrorCode#USER_NAME_IN_AD_MISMATCH} (19) and
 * {@link ErrorCode#NO_DNS_NAME_IN_AD} (57).
 */
final class DirectoryCheck implements EnrollmentStep {
    private final DirectoryLookup directory;
    private final Clock clock;

    DirectoryCheck(DirectoryLookup directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        DirectoryEntry entry = directory.findUser(context.adServer(), context.caller());
        if (entry.disabled()) {
            throw new EnrollmentException(ErrorCode.ACCOUNT_DISABLED, "the account is disabled or locked in the directory");
        }
        Instant now = clock.instant();
        if (entry.accountExpires().filter(expiry -> !expiry.isAfter(now)).isPresent()) {
            throw new EnrollmentException(ErrorCode.ACCOUNT_DISABLED,
                    "the account expired on " + entry.accountExpires().get() + " (accountExpires)");
        }
        if (entry.type() == SubjectType.COMPUTER) {
            checkComputer(context, entry);
        } else {
            checkUser(context, entry);
        }
        context.entry(entry);
        return chain.proceed();
    }

    private static void checkUser(EnrollmentContext context, DirectoryEntry entry) throws EnrollmentException {
        if (context.email() == null) {
            throw new EnrollmentException(ErrorCode.NO_EMAIL, "the request has no email, and the caller is a user account");
        }
        if (entry.mailAddress().isEmpty() && entry.smtpAddresses().isEmpty()) {
            throw new EnrollmentException(ErrorCode.NO_VALID_EMAIL_IN_AD, "the directory entry has no e-mail address");
        }
        String email = entry.canonicalEmail(context.email()).orElseThrow(() -> new EnrollmentException(
                ErrorCode.EMAIL_IN_AD_MISMATCH, "the requested email is neither the entry's mail nor one of its SMTP addresses"));
        String commonName = context.request().commonName();
        if (commonName != null && !commonName.isBlank() && !sameName(commonName, entry.commonName())) {
            throw new EnrollmentException(ErrorCode.USER_NAME_IN_AD_MISMATCH, "the requested commonName is not the entry's cn");
        }
        context.canonicalEmail(email);
    }

    private static void checkComputer(EnrollmentContext context, DirectoryEntry entry) throws EnrollmentException {
        if (entry.dnsHostName().isEmpty()) {
            throw new EnrollmentException(ErrorCode.NO_DNS_NAME_IN_AD, "the computer account has no dNSHostName");
        }
        if (context.email() != null) {
            throw new EnrollmentException(ErrorCode.EMAIL_IN_AD_MISMATCH, "a computer account has no e-mail to certify");
        }
    }

    /** Compares ignoring case, after Unicode NFC normalization (clients may send decomposed forms). */
    private static boolean sameName(String requested, String inDirectory) {
        if (inDirectory == null) {
            return false;
        }
        return java.text.Normalizer.normalize(requested.strip(), java.text.Normalizer.Form.NFC)
                .equalsIgnoreCase(java.text.Normalizer.normalize(inDirectory, java.text.Normalizer.Form.NFC));
    }
}
