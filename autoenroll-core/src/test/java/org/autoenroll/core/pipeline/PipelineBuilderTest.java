package org.autoenroll.core.pipeline;

import static org.autoenroll.core.pipeline.PipelineTest.CSR;
import static org.autoenroll.core.pipeline.PipelineTest.CUST;
import static org.autoenroll.core.pipeline.PipelineTest.LOOKUP;
import static org.autoenroll.core.pipeline.PipelineTest.PROFILE;
import static org.autoenroll.core.pipeline.PipelineTest.TENANTS;
import static org.autoenroll.core.pipeline.PipelineTest.caller;
import static org.autoenroll.core.pipeline.PipelineTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentResult;
import org.autoenroll.core.EnrollmentService;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.junit.jupiter.api.Test;

class PipelineBuilderTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    final InMemoryStores stores = new InMemoryStores();
    static final EnrollmentContext.Attribute<String> TICKET_NUMBER = EnrollmentContext.Attribute.of("ticket", String.class);

    Pipeline.Builder standard() throws Exception {
        return Pipeline.builder().tenants(TENANTS).directory(LOOKUP).policy(new DefaultEnrollmentPolicy(PROFILE))
                .signer(new TestSigner(clock)).certificates(stores).persons(stores).clock(clock);
    }

    @Test
    void build_standard_readsAsTheChecklist() throws Exception {
        assertEquals(List.of("CALLER", "CUSTOMER", "REQUIRED_FIELDS", "EMAIL_DOMAIN", "ORGANIZATION", "AD_SERVER", "DIRECTORY",
                "PERSON", "CSR", "RENEWAL", "POLICY", "SIGN"), standard().build().stepNames());
    }

    @Test
    void build_missingCollaborators_namesThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Pipeline.builder().tenants(TENANTS).build());
        assertTrue(e.getMessage().contains("directory, policy, signer, certificates, persons"), e.getMessage());
    }

    @Test
    void addBeforeAndAfter_customStepsRunInPlaceAndShareTypedAttributes() throws Exception {
        List<String> seen = new ArrayList<>();
        EnrollmentStep stamp = chain -> {
            seen.add("stamp after CUSTOMER");
            chain.context().attribute(TICKET_NUMBER, "CHG-42");
            return chain.proceed();
        };
        EnrollmentStep audit = chain -> {
            seen.add("audit before SIGN: " + chain.context().attribute(TICKET_NUMBER).orElse("none")
                    + " for " + chain.context().profile().name());
            return chain.proceed();
        };
        Pipeline pipeline = standard().addAfter(StandardStep.CUSTOMER, stamp).addBefore(StandardStep.SIGN, audit).build();
        List<String> names = pipeline.stepNames();
        assertEquals(names.indexOf("CUSTOMER") + 1, names.indexOf(stamp.getClass().getName()));
        assertEquals(names.indexOf("SIGN") - 1, names.indexOf(audit.getClass().getName()));
        EnrollmentResult result = new EnrollmentService(pipeline, new TestSigner(clock), stores,
                new org.autoenroll.core.StatusReporting(TENANTS, stores, stores, clock))
                .enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR));
        assertEquals(EnrollmentResult.Status.ISSUED, result.status());
        assertEquals(List.of("stamp after CUSTOMER", "audit before SIGN: CHG-42 for user"), seen);
    }

    @Test
    void customStep_mayRefuseWithACode_andNothingIsSigned() throws Exception {
        EnrollmentStep freeze = chain -> {
            throw new EnrollmentException(ErrorCode.TEMPLATE_DENIED, "change freeze");
        };
        EnrollmentService service = EnrollmentService.builder().tenants(TENANTS).directory(LOOKUP)
                .policy(new DefaultEnrollmentPolicy(PROFILE)).signer(new TestSigner(clock)).certificates(stores).persons(stores)
                .clock(clock).pipeline(p -> p.addBefore(StandardStep.SIGN, freeze)).build();
        assertEquals(ErrorCode.TEMPLATE_DENIED, assertThrows(EnrollmentException.class,
                () -> service.enroll(caller("alice"), request(CUST, "1", "alice@example.com", null, CSR))).code());
        assertTrue(stores.certificates.isEmpty());
    }

    record Seen(String step, StepObserver.Outcome outcome, Optional<ErrorCode> code) {
    }

    @Test
    void observer_seesEachStepOnceWithItsOutcome() throws Exception {
        List<Seen> seen = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        StepObserver observer = (id, step, outcome, code, self) -> {
            seen.add(new Seen(step, outcome, code));
            nanos.add(self.toNanos());
        };
        Pipeline pipeline = standard().observer(observer).build();
        StatusReportingHolder.run(pipeline, stores, clock, request(CUST, "1", "alice@example.com", null, CSR));
        assertEquals(12, seen.size());
        assertEquals(new Seen("SIGN", StepObserver.Outcome.ANSWERED, Optional.empty()), seen.get(0), "innermost first");
        assertTrue(seen.stream().skip(1).allMatch(s -> s.outcome() == StepObserver.Outcome.PROCEEDED), seen.toString());
        assertTrue(nanos.stream().allMatch(n -> n >= 0));

        seen.clear();
        assertThrows(EnrollmentException.class, () -> StatusReportingHolder.run(pipeline, stores, clock,
                request(CUST, "1", "alice@unknown.test", null, CSR)));
        assertEquals(new Seen("EMAIL_DOMAIN", StepObserver.Outcome.REFUSED, Optional.of(ErrorCode.NO_MATCHED_DOMAIN)), seen.get(0));
        assertEquals(4, seen.size(), "the steps after the refusal never ran: " + seen);
    }

    @Test
    void observer_thatThrows_doesNotBreakEnrollment() throws Exception {
        Pipeline pipeline = standard().observer((id, step, outcome, code, self) -> {
            throw new IllegalStateException("broken metrics");
        }).build();
        assertEquals(EnrollmentResult.Status.ISSUED, StatusReportingHolder.run(pipeline, stores, clock,
                request(CUST, "1", "alice@example.com", null, CSR)).status());
    }

    /** Runs a pipeline through a service, as an embedding product would. */
    static final class StatusReportingHolder {
        static EnrollmentResult run(Pipeline pipeline, InMemoryStores stores, Clock clock,
                                    org.autoenroll.core.EnrollmentRequest request) throws Exception {
            return new EnrollmentService(pipeline, new TestSigner(clock), stores,
                    new org.autoenroll.core.StatusReporting(TENANTS, stores, stores, clock)).enroll(caller("alice"), request);
        }
    }
}
