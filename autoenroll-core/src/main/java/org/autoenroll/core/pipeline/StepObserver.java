package org.autoenroll.core.pipeline;

import java.time.Duration;
import java.util.Optional;
import org.autoenroll.api.ErrorCode;

/**
 * Told how each step of each request ended and how long it took, excluding the steps after it:
 * for metrics, traces and audit. Called on the request's thread; must be fast and must not throw
 * (what it throws is logged and ignored).
 */
@FunctionalInterface
public interface StepObserver {
    /** How a step ended. */
    enum Outcome {
        /** Handed on to the next step. */
        PROCEEDED,
        /** Answered itself (issued, pending). */
        ANSWERED,
        /** Refused with a code of the catalogue. */
        REFUSED,
        /** Failed with an unexpected exception. */
        FAILED
    }

    /**
     * @param requestId the request
     * @param step the step's name: a {@link StandardStep} name, or a custom step's class name
     * @param outcome how it ended
     * @param code the code of a refusal
     * @param selfTime time spent in the step itself, without the steps it handed on to
     */
    void stepFinished(String requestId, String step, Outcome outcome, Optional<ErrorCode> code, Duration selfTime);
}
