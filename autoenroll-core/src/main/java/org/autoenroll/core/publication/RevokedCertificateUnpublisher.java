package org.autoenroll.core.publication;

import org.autoenroll.core.internal.CertificateCleanup;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryPublisher;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.core.internal.Serials;
import org.autoenroll.core.internal.SharedChecks;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.TenantRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After an operator revokes a certificate, takes it (and this CA's other revoked ones, but no
 * expired ones: no new certificate comes in this step) out of the owner's {@code userCertificate}
 * in the directory, as Windows autoenrollment does (docs/ARCHITECTURE.md, Sources). Best effort: the revocation stands whatever the directory
 * says; a failure is logged and the owner's next enrollment cleans up again. Thread-safe.
 */
public final class RevokedCertificateUnpublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RevokedCertificateUnpublisher.class);

    private final TenantRegistry tenants;
    private final DirectoryLookup directory;
    private final DirectoryPublisher publisher;
    private final CertificateSigner signer;
    private final CertificateStore certificates;
    private final Clock clock;

    public RevokedCertificateUnpublisher(TenantRegistry tenants, DirectoryLookup directory, DirectoryPublisher publisher,
                                         CertificateSigner signer, CertificateStore certificates, Clock clock) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param revoked the certificate as it was recorded before its revocation */
    public void afterRevocation(CertificateRecord revoked) {
        try {
            int at = revoked.owner().lastIndexOf('@');
            String name = revoked.owner().substring(0, at);
            String realm = revoked.owner().substring(at + 1);
            Customer customer = SharedChecks.customer(tenants, revoked.customerUri());
            DirectoryRef server = SharedChecks.adServerForRealm(tenants, customer, realm);
            // the owner is not calling: the lookup is the operator's, for the principal the certificate was issued to
            DirectoryEntry entry = directory.findUser(server, AuthenticatedPrincipal.of(name, realm, null));
            List<byte[]> remove = CertificateCleanup.of(signer).toRemove(entry.certificates(),
                    CertificateCleanup.revokedIn(certificates), null, clock.instant());
            if (!remove.isEmpty()) {
                publisher.updateCertificates(server, entry.dn(), List.of(), remove);
            }
        } catch (EnrollmentException | RuntimeException e) {
            LOG.warn("certificate {} of {} revoked, but its directory entry was not cleaned: {}",
                    Serials.format(revoked.serial()), revoked.owner(),
                    e instanceof EnrollmentException ee ? ee.code() + ": " + ee.detail() : e.toString());
        }
    }
}
