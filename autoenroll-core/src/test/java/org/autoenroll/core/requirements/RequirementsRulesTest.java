package org.autoenroll.core.requirements;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.TemplateId;
import org.autoenroll.core.requirements.RequirementsRules.Holding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of seed 002's autoenrollment, as a table: what is offered, held and waiting, and the list that results. */
class RequirementsRulesTest {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final CertificateTemplate USER = template("User", 2, List.of());
    static final CertificateTemplate OLD = template("OldUser", 1, List.of());
    static final CertificateTemplate NEW = template("NewUser", 1, List.of("OldUser"));

    static CertificateTemplate template(String name, int major, List<String> supersedes) {
        return CertificateTemplate.builder(name).id(new TemplateId("1.3.6.1.4.1.99999." + Math.abs(name.hashCode() % 1000), major, 0))
                .validity(Duration.ofDays(365)).renewalWindow(Duration.ofDays(30)).supersedes(supersedes).build();
    }

    static Holding held(int serial, Duration left, int major) {
        return new Holding(BigInteger.valueOf(serial), NOW.plus(left), major);
    }

    static RequestRecord waiting(String id, String template, RequestRecord.State state) {
        RequestRecord pending = RequestRecord.pending(id, "cust", "alice@EXAMPLE.COM", NOW.minus(Duration.ofDays(1)),
                new RequestRecord.Submitted(template, null, "alice@example.com", null, "csr", null));
        return state == RequestRecord.State.PENDING ? pending : new RequestRecord(id, "cust", "alice@EXAMPLE.COM", state, null,
                pending.createdAt(), pending.submitted(), "officer", NOW);
    }

    static Stream<Arguments> cases() {
        Duration plenty = Duration.ofDays(200);
        Duration soon = Duration.ofDays(10);
        return Stream.of(
                Arguments.of("nothing held: enroll", List.of(USER), Map.of(), Map.of(), List.of(), "ENROLL User"),
                Arguments.of("held and current: nothing", List.of(USER), Map.of("user", List.of(held(1, plenty, 2))), Map.of(),
                        List.of(), ""),
                Arguments.of("inside the renewal window: renew", List.of(USER), Map.of("user", List.of(held(1, soon, 2))), Map.of(),
                        List.of(), "RENEW User 1"),
                Arguments.of("the newest decides", List.of(USER),
                        Map.of("user", List.of(held(1, soon, 2), held(2, plenty, 2))), Map.of(), List.of(), ""),
                Arguments.of("older major revision: replace", List.of(USER), Map.of("user", List.of(held(1, plenty, 1))),
                        Map.of(), List.of(), "REPLACE User 1"),
                Arguments.of("held one revoked, none valid: replace", List.of(USER), Map.of(),
                        Map.of("user", BigInteger.valueOf(0xAB)), List.of(), "REPLACE User AB"),
                Arguments.of("pending: collect, no second enrollment", List.of(USER), Map.of(), Map.of(),
                        List.of(waiting("r1", "User", RequestRecord.State.PENDING)), "COLLECT r1"),
                Arguments.of("approved: collect", List.of(USER), Map.of(), Map.of(),
                        List.of(waiting("r2", "User", RequestRecord.State.APPROVED)), "COLLECT r2"),
                Arguments.of("both due, X supersedes Y: only X", List.of(OLD, NEW), Map.of(), Map.of(), List.of(),
                        "ENROLL NewUser"),
                Arguments.of("hold only Y: still X, Y left alone", List.of(OLD, NEW), Map.of("olduser", List.of(held(1, plenty, 1))),
                        Map.of(), List.of(), "ENROLL NewUser"),
                Arguments.of("Y due for renewal, X held: nothing", List.of(OLD, NEW),
                        Map.of("olduser", List.of(held(1, soon, 1)), "newuser", List.of(held(2, plenty, 1))), Map.of(),
                        List.of(), ""),
                Arguments.of("X pending, Y not held: collect X only", List.of(OLD, NEW), Map.of(), Map.of(),
                        List.of(waiting("r3", "NewUser", RequestRecord.State.PENDING)), "COLLECT r3"),
                Arguments.of("supersede does not work backwards", List.of(OLD, NEW),
                        Map.of("olduser", List.of(held(1, plenty, 1)), "newuser", List.of(held(2, soon, 1))), Map.of(),
                        List.of(), "RENEW NewUser 2"),
                Arguments.of("order: collect, renew, replace, enroll", List.of(USER, OLD, NEW.toBuilder().supersedes(List.of()).build()),
                        Map.of("user", List.of(held(1, soon, 2)), "olduser", List.of(held(2, plenty, 0))), Map.of(),
                        List.of(waiting("r4", "Other", RequestRecord.State.PENDING)),
                        "COLLECT r4, RENEW User 1, REPLACE OldUser 2, ENROLL NewUser"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compute_case_listsTheseActions(String name, List<CertificateTemplate> offered, Map<String, List<Holding>> held,
                                        Map<String, BigInteger> revoked, List<RequestRecord> waiting, String expected) {
        List<Action> actions = RequirementsRules.compute(offered, held, revoked, waiting, NOW);
        assertEquals(expected, actions.stream().map(RequirementsRulesTest::describe).collect(Collectors.joining(", ")));
    }

    static String describe(Action action) {
        return switch (action.kind()) {
            case COLLECT -> "COLLECT " + action.requestId();
            case ENROLL -> "ENROLL " + action.template();
            default -> action.kind() + " " + action.template() + " " + action.serial();
        };
    }
}
