package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.Person;
import org.autoenroll.api.PersonStore;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.tenant.TenantRegistry;
import org.autoenroll.server.config.ServerConfig;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codes that only a fault can reach, injected at an interface: a database that stops answering
 * (14, 23, 30, health DOWN), a CA that fails (25) or throws (30), an AD server record gone from
 * the registry (12), a person store that returns nothing (28). Each answers with its code, its
 * HTTP status, no stack trace, and stores no certificate.
 */
class FaultInjectionTest {
    @TempDir
    static Path dir;

    static final AtomicBoolean databaseDown = new AtomicBoolean();
    static final AtomicReference<Exception> signerFault = new AtomicReference<>();
    static final AtomicBoolean personStoreReturnsNull = new AtomicBoolean();
    static final AtomicBoolean policyPends = new AtomicBoolean();

    static ServerHarness failingDatabase;
    static ServerHarness failingParts;

    @BeforeAll
    static void start() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:fault-injection;DB_CLOSE_DELAY=-1");
        DataSource dataSource = mock(DataSource.class, delegatesTo(h2));
        doAnswer(call -> {
            if (databaseDown.get()) {
                throw new SQLException("injected: database down");
            }
            return h2.getConnection();
        }).when(dataSource).getConnection();
        JdbcCertificateStore store = new JdbcCertificateStore(dataSource, Clock.systemUTC());
        failingDatabase = ServerHarness.start(dir.resolve("db-faults"), new AbstractModule() {
            @Override
            protected void configure() {
                bind(JdbcCertificateStore.class).toInstance(store);
            }
        });

        failingParts = ServerHarness.start(dir.resolve("part-faults"), new AbstractModule() {
            @Provides
            @Singleton
            CertificateSigner signer(BuiltInCa ca) {
                return new CertificateSigner() {
                    @Override
                    public IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
                        Exception fault = signerFault.get();
                        if (fault instanceof EnrollmentException e) {
                            throw e;
                        }
                        if (fault instanceof RuntimeException e) {
                            throw e;
                        }
                        return ca.sign(request);
                    }

                    @Override
                    public java.util.List<byte[]> caChain() {
                        return ca.caChain();
                    }
                };
            }

            @Provides
            @Singleton
            TenantRegistry tenants(ServerConfig config) {
                TenantRegistry real = ServerModule.tenantRegistry(config);
                TenantRegistry registry = mock(TenantRegistry.class, delegatesTo(real));
                // the record of ad-dead is gone, while organization 6 still names it
                doReturn(Optional.empty()).when(registry).directory("ad-dead");
                return registry;
            }

            @Provides
            @Singleton
            EnrollmentPolicy policy(CertificateProfile profile) {
                EnrollmentPolicy issue = new DefaultEnrollmentPolicy(profile);
                return request -> policyPends.get() ? new EnrollmentPolicy.Pend(profile, "needs approval") : issue.decide(request);
            }

            @Provides
            @Singleton
            PersonStore persons(JdbcCertificateStore real) throws EnrollmentException {
                PersonStore persons = mock(PersonStore.class, delegatesTo(real));
                doAnswer(call -> personStoreReturnsNull.get() ? null : real.sync(call.getArgument(0, Person.class)))
                        .when(persons).sync(any());
                return persons;
            }
        });
    }

    @AfterAll
    static void stop() {
        failingDatabase.close();
        failingParts.close();
    }

    @AfterEach
    void heal() {
        databaseDown.set(false);
        signerFault.set(null);
        personStoreReturnsNull.set(false);
        policyPends.set(false);
    }

    @Test
    void enroll_policyPends_202ThenCollectStillPending() {
        policyPends.set(true);
        int before = failingParts.certificates("alice");

        HttpResponse<String> response = failingParts.postJson("/api/v1/enroll", "alice", ServerHarness.alice());

        assertEquals(202, response.statusCode(), response.body());
        JsonNode pending = ServerHarness.parse(response);
        assertEquals("PENDING", pending.get("status").asText());
        assertFalse(pending.has("certificate"));
        assertEquals(before, failingParts.certificates("alice"));
        HttpResponse<String> collected = failingParts.get("/api/v1/requests/" + pending.get("requestId").asText(), "alice");
        assertEquals(202, collected.statusCode(), collected.body());
        assertEquals("PENDING", ServerHarness.parse(collected).get("status").asText());
        ErrorCodesTest.assertError(failingParts.get("/api/v1/requests/" + pending.get("requestId").asText(), "bob"),
                ErrorCode.REQUEST_NOT_FOUND);
    }

    @Test
    void enroll_databaseDownAtPersonSync_14() {
        int before = failingDatabase.certificates("alice");
        databaseDown.set(true);
        HttpResponse<String> response = failingDatabase.postJson("/api/v1/enroll", "alice", ServerHarness.alice());
        databaseDown.set(false);

        ErrorCodesTest.assertError(response, ErrorCode.PERSON_SYNC_FAILED);
        assertEquals(before, failingDatabase.certificates("alice"));
    }

    @Test
    void status_databaseDown_23() {
        JsonNode issued = failingDatabase.enrollOk("alice", ServerHarness.alice());
        databaseDown.set(true);

        HttpResponse<String> response = failingDatabase.postJson("/api/v1/status", "alice", Map.of(
                "customerUri", ServerHarness.CUSTOMER, "serial", issued.get("serial").asText(), "status", "INSTALLED"));

        ErrorCodesTest.assertError(response, ErrorCode.STATUS_PROCESSING_FAILED);
    }

    @Test
    void collect_databaseDown_30() {
        JsonNode issued = failingDatabase.enrollOk("alice", ServerHarness.alice());
        databaseDown.set(true);

        HttpResponse<String> response = failingDatabase.get("/api/v1/requests/" + issued.get("requestId").asText(), "alice");

        ErrorCodesTest.assertError(response, ErrorCode.ENROLLMENT_FAILED);
    }

    @Test
    void healthz_databaseDown_503() {
        databaseDown.set(true);

        HttpResponse<String> response = failingDatabase.get("/healthz", null);

        assertEquals(503, response.statusCode());
        assertEquals("DOWN", ServerHarness.parse(response).get("status").asText());
    }

    @Test
    void enroll_signerFails_25() {
        signerFault.set(new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, "injected: CA down"));
        int before = failingParts.certificates("alice");

        HttpResponse<String> response = failingParts.postJson("/api/v1/enroll", "alice", ServerHarness.alice());

        ErrorCodesTest.assertError(response, ErrorCode.CERTIFICATE_ISSUANCE_FAILED);
        assertEquals(before, failingParts.certificates("alice"));
    }

    @Test
    void enroll_signerRaisesAnIntegratorsCode_bodyShowsItAndWhatItRefines() {
        org.autoenroll.api.ExtensionCode quota = org.autoenroll.api.ExtensionCode.of(1500, "CA_QUOTA_EXHAUSTED",
                "CA quota exhausted..", ErrorCode.CERTIFICATE_ISSUANCE_FAILED, "The CA account's monthly quota is used up.")
                .withHttpStatus(429);
        signerFault.set(new EnrollmentException(quota, "injected: 500 of 500 certificates this month"));

        HttpResponse<String> response = failingParts.postJson("/api/v1/enroll", "alice", ServerHarness.alice());

        assertEquals(429, response.statusCode());
        com.fasterxml.jackson.databind.JsonNode error = ServerHarness.parse(response).get("error");
        assertEquals(1500, error.get("code").asInt());
        assertEquals("CA_QUOTA_EXHAUSTED", error.get("name").asText());
        assertEquals("CA quota exhausted..", error.get("message").asText());
        assertEquals(25, error.get("refines").asInt());
        assertEquals("The CA account's monthly quota is used up.", error.get("hints").get(0).asText());
    }

    @Test
    void enroll_signerThrowsUnexpectedly_30WithoutStackTrace() {
        signerFault.set(new IllegalStateException("injected: secret internals at com.example.Foo"));
        int before = failingParts.certificates("alice");

        HttpResponse<String> response = failingParts.postJson("/api/v1/enroll", "alice", ServerHarness.alice());

        ErrorCodesTest.assertError(response, ErrorCode.ENROLLMENT_FAILED);
        assertFalse(response.body().contains("injected"), response.body());
        assertEquals(before, failingParts.certificates("alice"));
    }

    @Test
    void enroll_adServerRecordMissing_12() {
        Map<String, Object> body = ServerHarness.alice();
        body.put("customerUri", "https://test.example/dead-ad");
        body.put("orgId", "6");
        int before = failingParts.certificates("alice");

        ErrorCodesTest.assertError(failingParts.postJson("/api/v1/enroll", "alice", body), ErrorCode.NO_MATCHED_AD_SERVER);
        assertEquals(before, failingParts.certificates("alice"));
    }

    @Test
    void enroll_personStoreReturnsNone_28() {
        personStoreReturnsNull.set(true);
        int before = failingParts.certificates("alice");

        ErrorCodesTest.assertError(failingParts.postJson("/api/v1/enroll", "alice", ServerHarness.alice()),
                ErrorCode.NO_SYNCHRONIZED_PERSON);
        assertEquals(before, failingParts.certificates("alice"));
    }
}
