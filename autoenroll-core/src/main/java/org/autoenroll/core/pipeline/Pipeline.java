package org.autoenroll.core.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryPublisher;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.PersonStore;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.csr.CsrChecker;
import org.autoenroll.core.tenant.TenantRegistry;

/** An ordered list of steps run over one request. Immutable and thread-safe. */
public final class Pipeline {
    private final List<EnrollmentStep> steps;

    public Pipeline(List<EnrollmentStep> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one step");
        }
        this.steps = List.copyOf(steps);
    }

    /**
     * The checks of DESIGN.md in their order: who is calling, for which tenant, is the directory
     * of the same opinion, is the CSR sound and theirs, what the policy says, then sign and record.
     */
    public static Pipeline standard(TenantRegistry tenants, DirectoryLookup directory, EnrollmentPolicy policy,
                                    CertificateSigner signer, CertificateStore certificates, PersonStore persons,
                                    Clock clock) {
        return standard(tenants, directory, policy, signer, certificates, persons, clock, Optional.empty());
    }

    /** As above, and with a publisher, keeps the users' {@code userCertificate} in the directory current. */
    public static Pipeline standard(TenantRegistry tenants, DirectoryLookup directory, EnrollmentPolicy policy,
                                    CertificateSigner signer, CertificateStore certificates, PersonStore persons,
                                    Clock clock, Optional<DirectoryPublisher> publisher) {
        List<EnrollmentStep> steps = new ArrayList<>(List.of(
                new CallerCheck(),
                new CustomerCheck(tenants),
                new RequiredFieldsCheck(),
                new EmailDomainCheck(tenants),
                new OrganizationCheck(tenants),
                new AdServerSelection(tenants),
                new DirectoryCheck(directory),
                new PersonSync(persons, clock),
                new CsrCheck(new CsrChecker()),
                new RenewalCheck(certificates, clock),
                new PolicyStep(policy, certificates, clock)));
        publisher.ifPresent(p -> steps.add(new PublishToDirectory(p, signer, certificates, clock)));
        steps.add(new SignAndRecord(signer, certificates));
        return new Pipeline(steps);
    }

    public EnrollmentResult run(EnrollmentContext context) throws EnrollmentException {
        return new RealChain(steps, 0, context).proceed();
    }

    private record RealChain(List<EnrollmentStep> steps, int index, EnrollmentContext context) implements EnrollmentStep.Chain {
        @Override
        public EnrollmentResult proceed() throws EnrollmentException {
            if (index >= steps.size()) {
                throw new IllegalStateException("step " + steps.get(index - 1).getClass().getSimpleName()
                        + " proceeded past the end of the pipeline: the last step must answer");
            }
            EnrollmentStep step = steps.get(index);
            EnrollmentResult result = step.intercept(new RealChain(steps, index + 1, context));
            if (result == null) {
                throw new IllegalStateException("step " + step.getClass().getSimpleName() + " returned no result");
            }
            return result;
        }
    }
}
