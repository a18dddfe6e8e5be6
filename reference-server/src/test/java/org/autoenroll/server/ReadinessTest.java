package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.autoenroll.ca.JdbcCertificateStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness and readiness apart: {@code /healthz/live} answers while the process runs;
 * {@code /healthz/ready} names each component (database, ca, crl) and goes DOWN naming the
 * database when the store's database stops answering; {@code /healthz} keeps its answer.
 */
class ReadinessTest {
    @TempDir
    static Path dir;
    static final AtomicBoolean databaseDown = new AtomicBoolean();
    static ServerHarness harness;

    @BeforeAll
    static void start() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:readiness;DB_CLOSE_DELAY=-1");
        DataSource dataSource = mock(DataSource.class, delegatesTo(h2));
        doAnswer(call -> {
            if (databaseDown.get()) {
                throw new SQLException("injected: database down");
            }
            return h2.getConnection();
        }).when(dataSource).getConnection();
        JdbcCertificateStore store = new JdbcCertificateStore(dataSource, Clock.systemUTC());
        harness = ServerHarness.start(dir.resolve("server"), new AbstractModule() {
            @Override
            protected void configure() {
                bind(JdbcCertificateStore.class).toInstance(store);
            }
        });
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @AfterEach
    void heal() {
        databaseDown.set(false);
    }

    @Test
    void ready_whenEveryComponentIsUp_namesThem() {
        HttpResponse<String> ready = harness.get("/healthz/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode body = ServerHarness.parse(ready);
        assertEquals("UP", body.path("status").asText());
        for (String component : new String[] {"database", "ca", "crl"}) {
            assertEquals("UP", body.path("components").path(component).path("status").asText(), component);
        }
        assertEquals(200, harness.get("/healthz/live", null).statusCode());
        assertEquals(200, harness.get("/healthz", null).statusCode());
    }

    @Test
    void databaseDown_readinessDownNamingTheDatabase_livenessStillUp() {
        databaseDown.set(true);
        HttpResponse<String> ready = harness.get("/healthz/ready", null);
        assertEquals(503, ready.statusCode(), ready.body());
        JsonNode body = ServerHarness.parse(ready);
        assertEquals("DOWN", body.path("status").asText());
        assertEquals("DOWN", body.path("components").path("database").path("status").asText());
        assertEquals("UP", body.path("components").path("ca").path("status").asText());
        HttpResponse<String> live = harness.get("/healthz/live", null);
        assertEquals(200, live.statusCode());
        assertEquals("UP", ServerHarness.parse(live).path("status").asText());
        assertEquals(503, harness.get("/healthz", null).statusCode());
    }
}
