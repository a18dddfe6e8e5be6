package org.autoenroll.core;

import java.time.Clock;
import java.util.Objects;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.core.internal.SharedChecks;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * Takes a client's report about a certificate it received, in the seed guide's order: the customer
 * (1, 2, 3), the status (21), the person (22), the serial (24), then records it (23 on failure).
 * Thread-safe.
 */
public final class StatusReporting {
    private final TenantRegistry tenants;
    private final CertificateStore certificates;
    private final PersonStore persons;
    private final Clock clock;

    public StatusReporting(TenantRegistry tenants, CertificateStore certificates, PersonStore persons, Clock clock) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.persons = Objects.requireNonNull(persons, "persons");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void report(AuthenticatedPrincipal caller, StatusReport report) throws EnrollmentException {
        String customerUri = SharedChecks.customer(tenants, report.customerUri()).uri();
        ReportedStatus status = ReportedStatus.parse(report.status()).orElseThrow(() -> new EnrollmentException(
                ErrorCode.INVALID_STATUS, "status must be one of INSTALLED, INSTALL_FAILED"));
        if (persons.find(customerUri, caller.principal()).isEmpty()) {
            throw new EnrollmentException(ErrorCode.UNKNOWN_PERSON_FOR_STATUS, "the caller is not a person of this customer");
        }
        CertificateRecord certificate = SharedChecks.usableCertificateOf(certificates, customerUri, caller.principal(),
                report.serial(), clock);
        try {
            certificates.recordStatus(certificate.serial(), status, clock.instant());
        } catch (EnrollmentException e) {
            throw new EnrollmentException(ErrorCode.STATUS_PROCESSING_FAILED, "the status could not be recorded", e);
        }
    }
}
