package org.autoenroll.core.pipeline;

import org.autoenroll.core.internal.Serials;
import java.time.Clock;
import java.util.List;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryPublisher;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.internal.CertificateCleanup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the certificate is issued and recorded, brings the user's {@code userCertificate} in the
 * directory up to date as Windows autoenrollment does (docs/ARCHITECTURE.md, Sources): adds the new certificate when
 * the profile publishes, and removes this CA's revoked, superseded and (now that a new one exists)
 * expired certificates. The certificate is already the caller's: a directory that cannot be
 * written is logged and the answer stays issued; the next enrollment cleans up again.
 */
final class PublishToDirectory implements EnrollmentStep {
    private static final Logger LOG = LoggerFactory.getLogger(PublishToDirectory.class);

    private final DirectoryPublisher publisher;
    private final CertificateSigner signer;
    private final CertificateStore certificates;
    private final Clock clock;
    /** Kept across requests: it remembers what the entries' values are (see CertificateCleanup). */
    private volatile CertificateCleanup cleanup;

    PublishToDirectory(DirectoryPublisher publisher, CertificateSigner signer, CertificateStore certificates, Clock clock) {
        this.publisher = publisher;
        this.signer = signer;
        this.certificates = certificates;
        this.clock = clock;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentResult result = chain.proceed();
        if (result.certificate().isEmpty()) {
            return result;
        }
        EnrollmentContext context = chain.context();
        IssuedCertificate issued = result.certificate().get();
        try {
            CertificateCleanup current = CertificateCleanup.of(signer, cleanup);
            cleanup = current;
            List<byte[]> remove = current.toRemove(context.entry().certificates(),
                    CertificateCleanup.revokedIn(certificates), issued.certificate(), signer.signsWithHeldKey(),
                    clock.instant());
            List<byte[]> add = context.profile().publishToDirectory() ? List.of(issued.certificate()) : List.of();
            if (!add.isEmpty() || !remove.isEmpty()) {
                publisher.updateCertificates(context.adServer(), context.entry().dn(), add, remove);
            }
        } catch (EnrollmentException | RuntimeException e) {
            LOG.warn("request {}: certificate {} issued, but the directory entry {} was not updated: {}", context.requestId(),
                    Serials.format(issued.serial()), context.entry().dn(),
                    e instanceof EnrollmentException ee ? ee.code() + ": " + ee.detail() : e.toString());
        }
        return result;
    }
}
