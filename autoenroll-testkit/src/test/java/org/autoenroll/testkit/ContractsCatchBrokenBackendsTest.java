package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.ReportedStatus;
import org.autoenroll.api.RequestRecord;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.api.TicketValidator;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.TestExecutionResult;

/**
 * The suites fail backends that are wrong: each broken backend below runs its contract through
 * the JUnit launcher, and exactly the tests about its fault fail. (The broken runs are static
 * nested classes, which the build's own test discovery skips.)
 */
class ContractsCatchBrokenBackendsTest {
    private static Set<String> failedTests(Class<?> suite) {
        Set<String> failed = new TreeSet<>();
        Set<String> passed = new TreeSet<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            String name = test.getDisplayName().replaceAll("\\(.*", "");
                            (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? passed : failed).add(name);
                        }
                    }
                });
        assertTrue(!passed.isEmpty(), "the suite ran");
        return failed;
    }

    @Test
    void storeThatIgnoresSupersedes_failsExactlyTheSupersedeTests() {
        assertEquals(Set.of("recordIssued_supersedes_oldRevokedAsSupersededAtTheStoresTime",
                "recordIssued_secondSupersedeOfTheSameSerial_invalidSerialAndNothingRecorded",
                "recordIssued_supersedesUnknownSerial_invalidSerial",
                "recordIssued_supersedesAnotherOwnersCertificate_invalidSerialAndItStaysValid",
                "recordIssued_twentyConcurrentRenewalsOfOneSerial_exactlyOneWins",
                "revokedAmong_mixedUnknownAndSupersededSerials_exactlyTheRevokedOnes"), failedTests(IgnoresSupersedes.class));
    }

    @Test
    void minimalCorrectSigner_passesTheWholeSuite() {
        assertEquals(Set.of(), failedTests(MinimalCorrect.class));
    }

    @Test
    void signerThatSwapsTheKey_failsTheKeyTests() {
        Set<String> failed = failedTests(SwapsTheKey.class);
        assertTrue(failed.containsAll(List.of("sign_ecKey_certificateCarriesTheRequestedKey",
                "sign_rsaKey_certificateCarriesTheRequestedKey")), failed.toString());
    }

    @Test
    void validatorThatAcceptsAnything_failsTheRefusalTests() {
        Set<String> failed = failedTests(AcceptsAnything.class);
        assertTrue(failed.containsAll(List.of("validate_garbage_refusedWith37", "validate_ntlmToken_refusedWith37",
                "validate_sameTokenTwice_secondIsAReplayRefusedWith37")), failed.toString());
    }

    /** Records renewals but never revokes or checks what they supersede. */
    static final class IgnoresSupersedes extends CertificateStoreContract {
        @Override
        protected CertificateStore newStore(Clock clock) {
            InMemoryCertificateStore real = new InMemoryCertificateStore(clock);
            return new CertificateStore() {
                @Override
                public void recordIssued(CertificateRecord certificate, Optional<BigInteger> supersedes) throws EnrollmentException {
                    real.recordIssued(certificate, Optional.empty());
                }

                @Override
                public void recordPending(RequestRecord request) throws EnrollmentException {
                    real.recordPending(request);
                }

                @Override
                public Optional<RequestRecord> findRequest(String requestId) {
                    return real.findRequest(requestId);
                }

                @Override
                public Optional<CertificateRecord> find(BigInteger serial) {
                    return real.find(serial);
                }

                @Override
                public List<CertificateRecord> findByOwner(String customerUri, String owner) {
                    return real.findByOwner(customerUri, owner);
                }

                @Override
                public boolean revoke(BigInteger serial, RevocationReason reason, Instant at) {
                    return real.revoke(serial, reason, at);
                }

                @Override
                public void forEachRevoked(Consumer<CertificateRecord> sink) {
                    real.forEachRevoked(sink);
                }

                @Override
                public void recordStatus(BigInteger serial, ReportedStatus status, Instant at) throws EnrollmentException {
                    real.recordStatus(serial, status, at);
                }

                @Override
                public boolean decide(String requestId, RequestRecord.State decision, String officer, Instant at) {
                    return real.decide(requestId, decision, officer, at);
                }

                @Override
                public List<RequestRecord> findPending(String customerUri, Instant after, String afterId, int limit) {
                    return real.findPending(customerUri, after, afterId, limit);
                }

                @Override
                public List<CertificateRecord> findUsable(String customerUri, String owner, String profile, Instant now,
                                                          int limit) {
                    return real.findUsable(customerUri, owner, profile, now, limit);
                }

                @Override
                public List<RequestRecord> findWaiting(String customerUri, String owner, int limit) {
                    return real.findWaiting(customerUri, owner, limit);
                }
            };
        }
    }

    /** A CA that answers with a certificate for a key of its own instead of the requested one. */
    static final class SwapsTheKey extends CertificateSignerContract {
        @Override
        protected CertificateSigner signer() throws Exception {
            KeyPair caKey = ecKey();
            KeyPair otherKey = ecKey();
            SelfSignedCa ca = new SelfSignedCa(caKey);
            return new CertificateSigner() {
                @Override
                public IssuedCertificate sign(SigningRequest request) {
                    return ca.issue(request, otherKey.getPublic());
                }

                @Override
                public List<byte[]> caChain() {
                    return List.of(ca.der());
                }
            };
        }
    }

    /** The smallest signer that does it right: the suite asks for nothing more than the contract. */
    static final class MinimalCorrect extends CertificateSignerContract {
        @Override
        protected CertificateSigner signer() throws Exception {
            SelfSignedCa ca = new SelfSignedCa(ecKey());
            return new CertificateSigner() {
                @Override
                public IssuedCertificate sign(SigningRequest request) {
                    return ca.issue(request, request.publicKey());
                }

                @Override
                public List<byte[]> caChain() {
                    return List.of(ca.der());
                }
            };
        }
    }

    /** Believes every token. */
    static final class AcceptsAnything extends TicketValidatorContract {
        @Override
        protected TicketValidator validator() {
            return token -> AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);
        }

        @Override
        protected byte[] freshToken() {
            return new byte[] {0x60, 0x01, 0x00};
        }

        @Override
        protected String expectedPrincipal() {
            return "alice@EXAMPLE.COM";
        }
    }
}
