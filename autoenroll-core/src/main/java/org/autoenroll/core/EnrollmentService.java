package org.autoenroll.core;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryPublisher;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.core.pipeline.EnrollmentContext;
import org.autoenroll.core.pipeline.Pipeline;
import org.autoenroll.core.internal.Serials;
import org.autoenroll.core.tenant.TenantRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrollment service an HTTP layer (or any embedding product) calls once the caller is
 * authenticated: enroll, collect a request, take a status report. Every refusal is an
 * {@link EnrollmentException} with a code of the catalogue; an unexpected fault becomes
 * {@link ErrorCode#ENROLLMENT_FAILED} (30) and is logged here, never shown to the client.
 * Thread-safe.
 */
public final class EnrollmentService {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentService.class);

    private final Pipeline pipeline;
    private final CertificateSigner signer;
    private final CertificateStore certificates;
    private final StatusReporting statusReporting;
    private final Clock clock;

    /** The standard service; set its collaborators, customize its pipeline, then {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** For products that assemble their own pipeline of steps. */
    public EnrollmentService(Pipeline pipeline, CertificateSigner signer, CertificateStore certificates,
                             StatusReporting statusReporting) {
        this(pipeline, signer, certificates, statusReporting, Clock.systemUTC());
    }

    /** As above, with the clock that decides when pending requests expire. */
    public EnrollmentService(Pipeline pipeline, CertificateSigner signer, CertificateStore certificates,
                             StatusReporting statusReporting, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.statusReporting = Objects.requireNonNull(statusReporting, "statusReporting");
    }

    /** Runs the request through the pipeline: issued, pending, or refused with a code. */
    public EnrollmentResult enroll(AuthenticatedPrincipal caller, EnrollmentRequest request) throws EnrollmentException {
        return run(new EnrollmentContext(UUID.randomUUID().toString(), caller, request));
    }

    private EnrollmentResult run(EnrollmentContext context) throws EnrollmentException {
        String requestId = context.requestId();
        AuthenticatedPrincipal caller = context.caller();
        try {
            EnrollmentResult result = pipeline.run(context);
            LOG.info("request {} of {}: {}{}", requestId, caller, result.status(),
                    result.certificate().map(c -> " serial " + Serials.format(c.serial())).orElse(""));
            return result;
        } catch (EnrollmentException e) {
            LOG.info("request {} of {} refused: {} ({}): {}", requestId, caller, e.code(), e.code().code(), e.detail());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("request {} of {} failed", requestId, caller, e);
            throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "internal error; see the server log for request " + requestId);
        }
    }

    /**
     * Collects a request made earlier by the same caller: still pending, refused because an
     * officer denied it (55) or nobody decided within {@link RequestRecord#PENDING_LIFETIME} (56),
     * issued, or approved. An approved request runs through the whole pipeline again with what the
     * client sent (the account may have been disabled meanwhile), is signed and recorded, and
     * answers issued.
     *
     * @throws EnrollmentException {@link ErrorCode#REQUEST_NOT_FOUND} (46) when no request of
     *     this caller has the id; any code of the pipeline for an approved request
     */
    public EnrollmentResult collect(AuthenticatedPrincipal caller, String requestId) throws EnrollmentException {
        if (requestId == null || requestId.length() > 64) {
            throw notFound();
        }
        RequestRecord request;
        try {
            request = certificates.findRequest(requestId)
                    .filter(r -> r.owner().equals(caller.principal()))
                    .orElseThrow(EnrollmentService::notFound);
        } catch (RuntimeException e) {
            LOG.error("collecting request {} of {} failed", requestId, caller, e);
            throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "internal error; see the server log");
        }
        if (request.isExpiredAt(clock.instant())) {
            throw new EnrollmentException(ErrorCode.REQUEST_EXPIRED, "the request waited more than "
                    + RequestRecord.PENDING_LIFETIME.toDays() + " days");
        }
        switch (request.state()) {
            case PENDING:
                return EnrollmentResult.pending(request.id());
            case DENIED:
                throw new EnrollmentException(ErrorCode.REQUEST_DENIED, "request " + request.id() + " was denied");
            case APPROVED:
                return issueApproved(caller, request);
            default:
                return issued(caller, request);
        }
    }

    private EnrollmentResult issueApproved(AuthenticatedPrincipal caller, RequestRecord request) throws EnrollmentException {
        RequestRecord.Submitted sent = request.submitted();
        EnrollmentRequest again = new EnrollmentRequest(request.customerUri(), sent.orgId(), sent.email(), sent.commonName(),
                sent.csrPem(), sent.renewSerial(), sent.template());
        return run(new EnrollmentContext(request.id(), caller, again, true));
    }

    private EnrollmentResult issued(AuthenticatedPrincipal caller, RequestRecord request) throws EnrollmentException {
        try {
            CertificateRecord record = certificates.find(request.serial()).orElseThrow(() -> new EnrollmentException(
                    ErrorCode.ENROLLMENT_FAILED, "the request's certificate is missing from the store"));
            return EnrollmentResult.issued(request.id(), reissue(record));
        } catch (RuntimeException e) {
            LOG.error("collecting request {} of {} failed", request.id(), caller, e);
            throw new EnrollmentException(ErrorCode.ENROLLMENT_FAILED, "internal error; see the server log");
        }
    }

    /** Records what the client says about a certificate of its own. Codes 1-3, 21-24. */
    public void reportStatus(AuthenticatedPrincipal caller, StatusReport report) throws EnrollmentException {
        try {
            statusReporting.report(caller, report);
        } catch (RuntimeException e) {
            LOG.error("status report of {} failed", caller, e);
            throw new EnrollmentException(ErrorCode.STATUS_PROCESSING_FAILED, "internal error; see the server log");
        }
    }

    private IssuedCertificate reissue(CertificateRecord record) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(record.der()));
            return new IssuedCertificate(record.serial(), record.der(), signer.caChain(),
                    certificate.getSubjectX500Principal().getName(), record.notBefore(), record.notAfter());
        } catch (CertificateException e) {
            throw new IllegalStateException("stored certificate " + Serials.format(record.serial()) + " does not parse", e);
        }
    }

    private static EnrollmentException notFound() {
        return new EnrollmentException(ErrorCode.REQUEST_NOT_FOUND, "no request of the caller has this id");
    }


    /**
     * Assembles an {@link EnrollmentService} over the standard {@link Pipeline}: the collaborators,
     * then {@link #pipeline} to add steps, replace the policy or observe steps. Not thread-safe.
     */
    public static final class Builder {
        private final Pipeline.Builder pipeline = Pipeline.builder();
        private TenantRegistry tenants;
        private CertificateSigner signer;
        private CertificateStore certificates;
        private PersonStore persons;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder tenants(TenantRegistry value) {
            tenants = value;
            pipeline.tenants(value);
            return this;
        }

        public Builder directory(DirectoryLookup value) {
            pipeline.directory(value);
            return this;
        }

        public Builder policy(EnrollmentPolicy value) {
            pipeline.policy(value);
            return this;
        }

        public Builder signer(CertificateSigner value) {
            signer = value;
            pipeline.signer(value);
            return this;
        }

        public Builder certificates(CertificateStore value) {
            certificates = value;
            pipeline.certificates(value);
            return this;
        }

        public Builder persons(PersonStore value) {
            persons = value;
            pipeline.persons(value);
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            pipeline.clock(value);
            return this;
        }

        /** Keeps users' {@code userCertificate} in the directory current. */
        public Builder publisher(DirectoryPublisher value) {
            pipeline.publisher(value);
            return this;
        }

        /** Customizes the pipeline: {@code p -> p.addBefore(StandardStep.SIGN, myStep).observer(metrics)}. */
        public Builder pipeline(java.util.function.Consumer<Pipeline.Builder> customizer) {
            customizer.accept(pipeline);
            return this;
        }

        /**
         * @throws IllegalStateException naming the collaborators not set
         */
        public EnrollmentService build() {
            Pipeline built = pipeline.build();
            return new EnrollmentService(built, signer, certificates, new StatusReporting(tenants, certificates, persons, clock),
                    clock);
        }
    }
}
