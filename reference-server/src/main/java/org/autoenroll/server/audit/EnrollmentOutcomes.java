package org.autoenroll.server.audit;

import java.util.List;
import java.util.Objects;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.pipeline.EnrollmentContext;
import org.autoenroll.core.pipeline.EnrollmentStep;
import org.autoenroll.core.internal.Serials;
import org.slf4j.MDC;

/**
 * The first step of the server's pipeline: it hands on at once and tells its listeners how the
 * request ended, issued (or renewed), pending, refused with a code, or failed: for the audit log
 * and the metrics. It also puts the enrollment's request id into the log context
 * ({@value #MDC_KEY}) and leaves it there, so that the enrollment service's closing line after the
 * pipeline carries it too: the server's router takes it out at the end of the request's stage. It
 * never changes the answer. Thread-safe.
 */
public final class EnrollmentOutcomes implements EnrollmentStep {
    /** The log context key of the enrollment's request id. */
    public static final String MDC_KEY = "enrollmentId";

    /** How a request ended; the fields known at that point, no CSR and nothing secret. */
    public record Outcome(Kind kind, String requestId, String owner, String customerUri, String serial, String template,
                          String renewedSerial, ErrorCode code) {
    }

    /** Issued or renewed, pending, refused with a code, failed unexpectedly. */
    public enum Kind { ISSUED, RENEWED, PENDING, REFUSED, FAILED }

    /** Told each outcome; must be fast and not throw. */
    @FunctionalInterface
    public interface Listener {
        void finished(Outcome outcome);
    }

    private final List<Listener> listeners;

    public EnrollmentOutcomes(List<Listener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        MDC.put(MDC_KEY, context.requestId());
        try {
            EnrollmentResult result = chain.proceed();
            Kind kind = result.status() == EnrollmentResult.Status.PENDING ? Kind.PENDING
                    : context.renewing().isPresent() ? Kind.RENEWED : Kind.ISSUED;
            tell(context, kind, result.certificate().map(c -> Serials.format(c.serial())).orElse(null), null);
            return result;
        } catch (EnrollmentException e) {
            tell(context, Kind.REFUSED, null, e.code());
            throw e;
        } catch (RuntimeException e) {
            tell(context, Kind.FAILED, null, ErrorCode.ENROLLMENT_FAILED);
            throw e;
        }
    }

    private void tell(EnrollmentContext context, Kind kind, String serial, ErrorCode code) {
        String template = null;
        try {
            template = context.profile().name();
        } catch (RuntimeException notYetChosen) {
            template = context.requestedTemplate().orElse(null);
        }
        Outcome outcome = new Outcome(kind, context.requestId(), context.caller().principal(),
                context.request().customerUri(), serial, template,
                context.renewing().map(r -> Serials.format(r.serial())).orElse(null), code);
        for (Listener listener : listeners) {
            try {
                listener.finished(outcome);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(EnrollmentOutcomes.class)
                        .warn("outcome listener failed for request {}", context.requestId(), e);
            }
        }
    }

    /** A listener that writes each outcome to {@code audit} as event ISSUED, RENEWED, PENDING, REFUSED or FAILED. */
    public static Listener auditing(AuditTrail audit) {
        Objects.requireNonNull(audit, "audit");
        return outcome -> {
            java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("requestId", outcome.requestId());
            fields.put("owner", outcome.owner());
            fields.put("customerUri", outcome.customerUri());
            fields.put("serial", outcome.serial());
            fields.put("template", outcome.template());
            fields.put("renewedSerial", outcome.renewedSerial());
            if (outcome.code() != null) {
                fields.put("code", outcome.code().code());
                fields.put("codeName", outcome.code().name());
            }
            audit.record(outcome.kind().name(), fields);
        };
    }
}
