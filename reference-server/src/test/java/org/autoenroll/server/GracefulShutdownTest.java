package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.ca.BuiltInCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server lets a request in flight finish and refuses new ones. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void stop_requestInFlight_completesAndNewRequestsAreRefused() throws Exception {
        CountDownLatch signing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ServerHarness harness = ServerHarness.start(dir, new AbstractModule() {
            @Provides
            @Singleton
            CertificateSigner slowSigner(BuiltInCa ca) {
                return new CertificateSigner() {
                    @Override
                    public IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
                        signing.countDown();
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return ca.sign(request);
                    }

                    @Override
                    public List<byte[]> caChain() {
                        return ca.caChain();
                    }
                };
            }
        });
        CompletableFuture<HttpResponse<String>> inFlight = harness.http.sendAsync(harness.request("/api/v1/enroll", "alice")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ServerHarness.json(ServerHarness.alice()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(signing.await(20, TimeUnit.SECONDS), "request reached the signer");

        Thread stopper = new Thread(harness.server::stop, "stopper");
        stopper.start();
        Thread.sleep(300);
        assertTrue(stopper.isAlive(), "stop waits for the request in flight");
        HttpResponse<String> late = harness.get("/healthz", null);
        assertEquals(503, late.statusCode());

        release.countDown();
        HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        stopper.join(20_000);
        assertFalse(stopper.isAlive());
    }
}
