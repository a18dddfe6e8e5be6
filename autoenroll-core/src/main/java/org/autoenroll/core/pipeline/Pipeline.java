package org.autoenroll.core.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ordered list of named steps run over one request, with an optional {@link StepObserver}.
 * Immutable and thread-safe. {@link #builder()} assembles the standard one, open to extension.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final List<NamedStep> steps;
    private final StepObserver observer;

    private Pipeline(List<NamedStep> steps, StepObserver observer) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one step");
        }
        this.steps = List.copyOf(steps);
        this.observer = observer;
    }

    /** A pipeline of exactly these steps, named by their class. */
    public Pipeline(List<EnrollmentStep> steps) {
        this(steps.stream().map(s -> new NamedStep(s.getClass().getSimpleName(), s)).toList(), null);
    }

    /** The standard pipeline; set its collaborators, then add, replace and observe as needed. */
    public static Builder builder() {
        return new Builder();
    }

    /** The step names in order, for logs and tests. */
    public List<String> stepNames() {
        return steps.stream().map(NamedStep::name).toList();
    }

    public EnrollmentResult run(EnrollmentContext context) throws EnrollmentException {
        return new RealChain(this, 0, context).proceed();
    }

    private record NamedStep(String name, EnrollmentStep step) {
    }

    private static final class RealChain implements EnrollmentStep.Chain {
        private final Pipeline pipeline;
        private final int index;
        private final EnrollmentContext context;
        private boolean proceeded;
        private long downstreamNanos;

        RealChain(Pipeline pipeline, int index, EnrollmentContext context) {
            this.pipeline = pipeline;
            this.index = index;
            this.context = context;
        }

        @Override
        public EnrollmentContext context() {
            return context;
        }

        @Override
        public EnrollmentResult proceed() throws EnrollmentException {
            List<NamedStep> steps = pipeline.steps;
            if (index >= steps.size()) {
                throw new IllegalStateException("step " + steps.get(index - 1).name()
                        + " proceeded past the end of the pipeline: the last step must answer");
            }
            if (proceeded) {
                throw new IllegalStateException("step " + steps.get(index - 1).name() + " proceeded twice");
            }
            proceeded = true;
            NamedStep step = steps.get(index);
            RealChain next = new RealChain(pipeline, index + 1, context);
            long start = System.nanoTime();
            try {
                EnrollmentResult result = step.step().intercept(next);
                if (result == null) {
                    throw new IllegalStateException("step " + step.name() + " returned no result");
                }
                observe(step, next, next.proceeded ? StepObserver.Outcome.PROCEEDED : StepObserver.Outcome.ANSWERED,
                        null, start);
                return result;
            } catch (EnrollmentException e) {
                observe(step, next, next.proceeded ? StepObserver.Outcome.PROCEEDED : StepObserver.Outcome.REFUSED,
                        next.proceeded ? null : e.code(), start);
                throw e;
            } catch (RuntimeException e) {
                observe(step, next, next.proceeded ? StepObserver.Outcome.PROCEEDED : StepObserver.Outcome.FAILED,
                        null, start);
                throw e;
            } finally {
                downstreamNanos = System.nanoTime() - start;
            }
        }

        private void observe(NamedStep step, RealChain next, StepObserver.Outcome outcome,
                             org.autoenroll.api.ErrorCode code, long start) {
            if (pipeline.observer == null) {
                return;
            }
            Duration self = Duration.ofNanos(Math.max(0, System.nanoTime() - start - next.downstreamNanos));
            try {
                pipeline.observer.stepFinished(context.requestId(), step.name(), outcome, Optional.ofNullable(code), self);
            } catch (RuntimeException e) {
                LOG.warn("step observer failed on step {} of request {}", step.name(), context.requestId(), e);
            }
        }
    }

    /**
     * Assembles the standard pipeline (docs/ARCHITECTURE.md's checks in order, see {@link StandardStep}) from
     * its collaborators; custom steps go before or after a named standard step, the policy may be
     * replaced, and an observer sees every step. {@link #build()} names what is missing. Not
     * thread-safe.
     */
    public static final class Builder {
        private TenantRegistry tenants;
        private DirectoryLookup directory;
        private EnrollmentPolicy policy;
        private CertificateSigner signer;
        private CertificateStore certificates;
        private PersonStore persons;
        private Clock clock = Clock.systemUTC();
        private DirectoryPublisher publisher;
        private StepObserver observer;
        private java.security.Provider csrVerificationProvider;
        private final Map<StandardStep, List<EnrollmentStep>> before = new EnumMap<>(StandardStep.class);
        private final Map<StandardStep, List<EnrollmentStep>> after = new EnumMap<>(StandardStep.class);

        private Builder() {
        }

        public Builder tenants(TenantRegistry value) {
            tenants = value;
            return this;
        }

        public Builder directory(DirectoryLookup value) {
            directory = value;
            return this;
        }

        /** The policy; setting it again replaces it. */
        public Builder policy(EnrollmentPolicy value) {
            policy = value;
            return this;
        }

        public Builder signer(CertificateSigner value) {
            signer = value;
            return this;
        }

        public Builder certificates(CertificateStore value) {
            certificates = value;
            return this;
        }

        public Builder persons(PersonStore value) {
            persons = value;
            return this;
        }

        /** Default: the system clock in UTC. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Keeps users' {@code userCertificate} current (the {@link StandardStep#PUBLISH} step). */
        public Builder publisher(DirectoryPublisher value) {
            publisher = value;
            return this;
        }

        public Builder observer(StepObserver value) {
            observer = value;
            return this;
        }

        /**
         * The JCA provider instance that decodes CSR keys and verifies CSR signatures (the
         * {@link StandardStep#CSR} step); never registered globally. Default (or null): a Bouncy
         * Castle instance of the step's own. The built-in CA offers its choice as {@code ca.cryptoProvider()}.
         *
         * @since 0.1
         */
        public Builder csrVerificationProvider(java.security.Provider value) {
            csrVerificationProvider = value;
            return this;
        }

        /** Runs {@code step} just before the standard step {@code anchor}. */
        public Builder addBefore(StandardStep anchor, EnrollmentStep step) {
            before.computeIfAbsent(Objects.requireNonNull(anchor, "anchor"), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(step, "step"));
            return this;
        }

        /** Runs {@code step} just after the standard step {@code anchor} (and after steps added there before it). */
        public Builder addAfter(StandardStep anchor, EnrollmentStep step) {
            after.computeIfAbsent(Objects.requireNonNull(anchor, "anchor"), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(step, "step"));
            return this;
        }

        CertificateSigner signer() {
            return signer;
        }

        CertificateStore certificates() {
            return certificates;
        }

        TenantRegistry tenants() {
            return tenants;
        }

        PersonStore persons() {
            return persons;
        }

        Clock clock() {
            return clock;
        }

        /**
         * @throws IllegalStateException naming the collaborators not set
         */
        public Pipeline build() {
            List<String> missing = new ArrayList<>();
            if (tenants == null) missing.add("tenants");
            if (directory == null) missing.add("directory");
            if (policy == null) missing.add("policy");
            if (signer == null) missing.add("signer");
            if (certificates == null) missing.add("certificates");
            if (persons == null) missing.add("persons");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the pipeline needs " + String.join(", ", missing));
            }
            if (publisher == null && (before.containsKey(StandardStep.PUBLISH) || after.containsKey(StandardStep.PUBLISH))) {
                throw new IllegalStateException("steps were added around PUBLISH, but no publisher is set");
            }
            Map<StandardStep, EnrollmentStep> standard = new EnumMap<>(StandardStep.class);
            standard.put(StandardStep.CALLER, new CallerCheck());
            standard.put(StandardStep.CUSTOMER, new CustomerCheck(tenants));
            standard.put(StandardStep.REQUIRED_FIELDS, new RequiredFieldsCheck());
            standard.put(StandardStep.EMAIL_DOMAIN, new EmailDomainCheck(tenants));
            standard.put(StandardStep.ORGANIZATION, new OrganizationCheck(tenants));
            standard.put(StandardStep.AD_SERVER, new AdServerSelection(tenants));
            standard.put(StandardStep.DIRECTORY, new DirectoryCheck(directory, clock));
            standard.put(StandardStep.PERSON, new PersonSync(persons, clock));
            standard.put(StandardStep.CSR, new CsrCheck(new CsrChecker(csrVerificationProvider)));
            standard.put(StandardStep.RENEWAL, new RenewalCheck(certificates, clock));
            standard.put(StandardStep.POLICY, new PolicyStep(policy, certificates, clock));
            if (publisher != null) {
                standard.put(StandardStep.PUBLISH, new PublishToDirectory(publisher, signer, certificates, clock));
            }
            standard.put(StandardStep.SIGN, new SignAndRecord(signer, certificates));
            List<NamedStep> steps = new ArrayList<>();
            standard.forEach((name, step) -> {
                before.getOrDefault(name, List.of()).forEach(s -> steps.add(custom(s)));
                steps.add(new NamedStep(name.name(), step));
                after.getOrDefault(name, List.of()).forEach(s -> steps.add(custom(s)));
            });
            if (!(steps.get(steps.size() - 1).step() instanceof SignAndRecord)) {
                throw new IllegalStateException("no step may follow SIGN: it answers with the certificate");
            }
            return new Pipeline(steps, observer);
        }

        private static NamedStep custom(EnrollmentStep step) {
            return new NamedStep(step.getClass().getName(), step);
        }
    }
}
