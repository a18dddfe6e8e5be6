package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} answers an auditor with the Prometheus text of the server's own meters:
 * after one enrollment and one refusal, the counts by outcome and code, the steps' and the CA's
 * timings, the replay cache, the CRL. Nobody else gets it.
 */
class MetricsServerTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path auditor = Files.writeString(serverDir.resolve("auditor.token"), AuditServerTest.AUDITOR_TOKEN);
        harness = ServerHarness.start(serverDir, (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db) + """
                          operators:
                            - {name: audrey, token: "file:%s", role: auditor}
                        """.formatted(auditor));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** The value of the sample {@code name{labels}} exactly as Prometheus text writes it, if present. */
    static OptionalDouble sample(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
            }
        }
        return OptionalDouble.empty();
    }

    private static double value(String text, String series) {
        OptionalDouble value = sample(text, series);
        assertTrue(value.isPresent(), series + " missing from\n" + text);
        return value.getAsDouble();
    }

    @Test
    void metrics_afterOneEnrollmentAndOneRefusal_countAndTimeThem() {
        harness.enrollOk("alice", ServerHarness.alice());
        Map<String, Object> disabled = ServerHarness.alice();
        disabled.put("customerUri", "https://test.example/disabled");
        assertEquals(403, harness.postJson("/api/v1/enroll", "alice", disabled).statusCode());

        HttpResponse<String> response = AuditServerTest.admin(harness, "GET", "/metrics", AuditServerTest.AUDITOR_TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = response.body();

        assertEquals(1.0, value(text, "autoenroll_enrollments_total{code=\"none\",outcome=\"issued\"}"));
        assertEquals(1.0, value(text, "autoenroll_enrollments_total{code=\"3\",outcome=\"refused\"}"));
        assertEquals(1.0, value(text, "autoenroll_pipeline_step_seconds_count{outcome=\"refused\",step=\"CUSTOMER\"}"));
        assertEquals(1.0, value(text, "autoenroll_pipeline_step_seconds_count{outcome=\"answered\",step=\"SIGN\"}"));
        assertEquals(2.0, value(text, "autoenroll_pipeline_step_seconds_count{outcome=\"proceeded\",step=\"CALLER\"}"));
        assertTrue(value(text, "autoenroll_pipeline_step_seconds_sum{outcome=\"answered\",step=\"SIGN\"}") > 0);
        assertTrue(text.contains("autoenroll_pipeline_step_seconds_bucket{outcome=\"answered\",step=\"SIGN\",le=\"+Inf\"} 1"),
                "the step timings are a histogram");
        assertEquals(1.0, value(text, "autoenroll_ca_sign_seconds_count{outcome=\"signed\"}"));
        assertTrue(value(text, "autoenroll_ca_sign_seconds_sum{outcome=\"signed\"}") > 0);
        assertTrue(value(text, "autoenroll_kerberos_replay_cache_entries") >= 2, "two tickets were accepted");
        assertTrue(value(text, "autoenroll_crl_size_bytes") > 100);
        double age = value(text, "autoenroll_crl_age_seconds");
        assertTrue(age >= 0 && age < 3600, "age " + age);
        assertTrue(value(text, "autoenroll_crl_next_update_seconds") > 0);
        // the enrollment looked alice up in ad1: its pool is built and idle again; ad-dead was never asked
        double max = value(text, "autoenroll_ldap_pool_max_connections{ad_server=\"ad1\"}");
        double available = value(text, "autoenroll_ldap_pool_available_connections{ad_server=\"ad1\"}");
        assertTrue(max >= 1 && available >= 1 && available <= max, available + " of " + max);
        assertEquals(0.0, value(text, "autoenroll_ldap_pool_failed_checkouts{ad_server=\"ad1\"}"));
        assertTrue(sample(text, "autoenroll_ldap_pool_max_connections{ad_server=\"ad-dead\"}").isEmpty());
    }

    @Test
    void metrics_needAnOperatorsToken() {
        HttpResponse<String> none = AuditServerTest.admin(harness, "GET", "/metrics", null);
        assertEquals(401, none.statusCode());
        assertEquals(48, ServerHarness.parse(none).path("error").path("code").asInt());
        assertEquals(401, AuditServerTest.admin(harness, "GET", "/metrics", "someone-elses-token-0123456789").statusCode());
    }
}
