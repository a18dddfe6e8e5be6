package org.autoenroll.core.pipeline;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.csr.CsrChecker;

/**
 * Checks the CSR against the caller's directory entry (see {@link CsrChecker}). Raises
 * {@link ErrorCode#INVALID_CSR} (15).
 */
final class CsrCheck implements EnrollmentStep {
    private final CsrChecker checker;

    CsrCheck(CsrChecker checker) {
        this.checker = checker;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        context.csr(checker.check(context.request().csrPem(), context.entry()));
        return chain.proceed();
    }
}
