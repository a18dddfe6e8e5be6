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

    public EnrollmentService(TenantRegistry tenants, DirectoryLookup directory, EnrollmentPolicy policy,
                             CertificateSigner signer, CertificateStore certificates, PersonStore persons, Clock clock) {
        this(Pipeline.standard(tenants, directory, policy, signer, certificates, persons, clock), signer, certificates,
                new StatusReporting(tenants, certificates, persons, clock));
    }

    /** The standard pipeline that also keeps users' {@code userCertificate} current through {@code publisher}. */
    public EnrollmentService(TenantRegistry tenants, DirectoryLookup directory, DirectoryPublisher publisher,
                             EnrollmentPolicy policy, CertificateSigner signer, CertificateStore certificates,
                             PersonStore persons, Clock clock) {
        this(Pipeline.standard(tenants, directory, policy, signer, certificates, persons, clock, Optional.of(publisher)),
                signer, certificates, new StatusReporting(tenants, certificates, persons, clock));
    }

    /** For products that assemble their own pipeline of steps. */
    public EnrollmentService(Pipeline pipeline, CertificateSigner signer, CertificateStore certificates,
                             StatusReporting statusReporting) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.statusReporting = Objects.requireNonNull(statusReporting, "statusReporting");
    }

    /** Runs the request through the pipeline: issued, pending, or refused with a code. */
    public EnrollmentResult enroll(AuthenticatedPrincipal caller, EnrollmentRequest request) throws EnrollmentException {
        String requestId = UUID.randomUUID().toString();
        try {
            EnrollmentResult result = pipeline.run(new EnrollmentContext(requestId, caller, request));
            LOG.info("request {} of {}: {}{}", requestId, caller, result.status(),
                    result.certificate().map(c -> " serial " + c.serial().toString(16)).orElse(""));
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
     * Collects a request made earlier by the same caller.
     *
     * @throws EnrollmentException {@link ErrorCode#REQUEST_NOT_FOUND} (46) when no request of
     *     this caller has the id
     */
    public EnrollmentResult collect(AuthenticatedPrincipal caller, String requestId) throws EnrollmentException {
        if (requestId == null || requestId.length() > 64) {
            throw notFound();
        }
        try {
            RequestRecord request = certificates.findRequest(requestId)
                    .filter(r -> r.owner().equals(caller.principal()))
                    .orElseThrow(EnrollmentService::notFound);
            if (request.state() == RequestRecord.State.PENDING) {
                return EnrollmentResult.pending(request.id());
            }
            CertificateRecord record = certificates.find(request.serial()).orElseThrow(() -> new EnrollmentException(
                    ErrorCode.ENROLLMENT_FAILED, "the request's certificate is missing from the store"));
            return EnrollmentResult.issued(request.id(), reissue(record));
        } catch (RuntimeException e) {
            LOG.error("collecting request {} of {} failed", requestId, caller, e);
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
            throw new IllegalStateException("stored certificate " + record.serial().toString(16) + " does not parse", e);
        }
    }

    private static EnrollmentException notFound() {
        return new EnrollmentException(ErrorCode.REQUEST_NOT_FOUND, "no request of the caller has this id");
    }

}
