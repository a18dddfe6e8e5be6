package org.autoenroll.core.pipeline;

import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.EnrollmentResult;

/**
 * One check or action of the enrollment pipeline. A step reads and completes the
 * {@link EnrollmentContext}, then either hands on with {@link Chain#proceed()} or answers itself
 * (refuses with an {@link EnrollmentException}, or returns a result such as pending).
 */
public interface EnrollmentStep {
    EnrollmentResult intercept(Chain chain) throws EnrollmentException;

    /** The rest of the pipeline, as seen from one step. */
    interface Chain {
        EnrollmentContext context();

        /** Runs the next step; the last step must answer without proceeding. */
        EnrollmentResult proceed() throws EnrollmentException;
    }
}
