package org.autoenroll.wstep;

import java.util.List;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.EnrollmentException;

/**
 * Which templates a caller may enroll in, or autoenroll, under a customer: what CEP offers in
 * GetPolicies. Samba's client enrolls in every template it is offered, so an implementation
 * returns only templates the caller has a right to. Implemented by the core's template service;
 * thread-safe.
 */
public interface CallerTemplates {
    /**
     * @param caller the authenticated caller, with its PAC SIDs when the ticket had a PAC
     * @param customerUri the customer the CEP endpoint serves
     * @return the offered templates, each with at least one of its rights
     * @throws EnrollmentException with the code of the catalogue (13 when the directory is down)
     */
    List<OfferedTemplate> offeredTo(AuthenticatedPrincipal caller, String customerUri) throws EnrollmentException;

    /**
     * A template and the caller's rights on it.
     *
     * @param enroll the caller holds Certificate-Enrollment
     * @param autoenroll the caller holds Certificate-AutoEnrollment (and the template allows it)
     */
    record OfferedTemplate(CertificateTemplate template, boolean enroll, boolean autoenroll) {
        public OfferedTemplate {
            java.util.Objects.requireNonNull(template, "template");
        }
    }
}
