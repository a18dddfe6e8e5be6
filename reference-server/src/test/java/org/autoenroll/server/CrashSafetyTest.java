package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.ca.JdbcCertificateStore;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate is returned only after it is durably recorded: the server runs in its own process,
 * clients enroll and renew under load, the process is killed with SIGKILL, and after a restart every
 * certificate any client received is in the store, no serial was used twice, and the CRL and OCSP
 * answers agree with the store.
 */
class CrashSafetyTest {
    private static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)");

    @TempDir
    Path dir;

    /** The server in a child JVM on the test class path; returns it once it listens, with its port. */
    private static Map.Entry<Process, Integer> launch(Path config) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath, "org.autoenroll.server.Main", "--config", config.toString())
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        output.lines().forEach(ignored -> { });
                    } catch (java.io.UncheckedIOException killed) {
                        // the process was killed: its output ends here
                    }
                }, "child-output");
                drain.setDaemon(true);
                drain.start();
                return Map.entry(process, Integer.parseInt(listening.group(1)));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start:\n" + seen);
    }

    @Test
    void killDashNineUnderLoad_everyReturnedCertificateIsRecordedAndPublished() throws Exception {
        ServerHarness.Prepared prepared = ServerHarness.prepare(dir, ServerHarness::config);
        Map.Entry<Process, Integer> running = launch(prepared.configFile());
        ServerHarness client = ServerHarness.external(dir, prepared, running.getValue());

        Set<String> received = ConcurrentHashMap.newKeySet();
        Set<String> supersededByClients = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(30);
        List<Thread> workers = new ArrayList<>();
        String[][] users = {{"alice", "alice@example.com", "Alice Demo"}, {"bob", "bob@example.com", "Bob Example"},
            {"frank", "frank@example.com", "Frank Two"}};
        for (String[] user : users) {
            Thread worker = new Thread(() -> {
                String last = null;
                Instant until = Instant.now().plus(Duration.ofSeconds(60));
                while (!stop.get() && Instant.now().isBefore(until)) {
                    Map<String, Object> body = ServerHarness.enrollment(user[0], user[1], user[2]);
                    if (last != null) {
                        body.put("renewSerial", last);
                    }
                    try {
                        HttpResponse<String> response = client.postJson("/api/v1/enroll", user[0], body);
                        if (response.statusCode() == 200) {
                            String serial = ServerHarness.parse(response).get("serial").asText();
                            received.add(serial);
                            if (last != null) {
                                supersededByClients.add(last);
                            }
                            last = serial;
                            enough.countDown();
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            }, "load-" + user[0]);
            workers.add(worker);
            worker.start();
        }
        assertTrue(enough.await(90, TimeUnit.SECONDS), "the load got too few answers");
        running.getKey().destroyForcibly();   // SIGKILL: no shutdown hook, no graceful close
        assertTrue(running.getKey().waitFor(30, TimeUnit.SECONDS));
        stop.set(true);
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        }

        Map.Entry<Process, Integer> restarted = launch(prepared.configFile());
        try {
            ServerHarness after = ServerHarness.external(dir, prepared, restarted.getValue());
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(after.getBytes("/crl").body()));
            Set<BigInteger> onCrl = new HashSet<>();
            if (crl.getRevokedCertificates() != null) {
                for (X509CRLEntry entry : crl.getRevokedCertificates()) {
                    onCrl.add(entry.getSerialNumber());
                }
            }
            Map<BigInteger, Boolean> ocspRevoked = new ConcurrentHashMap<>();
            for (String serial : received) {
                ocspRevoked.put(new BigInteger(serial, 16), ocspSaysRevoked(after, prepared, new BigInteger(serial, 16)));
            }
            restarted.getKey().destroy();
            assertTrue(restarted.getKey().waitFor(30, TimeUnit.SECONDS));

            try (JdbcCertificateStore store = JdbcCertificateStore.h2(dir.resolve("db"))) {
                Set<BigInteger> revokedInStore = new HashSet<>();
                store.forEachRevoked(record -> revokedInStore.add(record.serial()));
                for (String serial : received) {
                    BigInteger number = new BigInteger(serial, 16);
                    CertificateRecord record = store.find(number).orElseThrow(
                            () -> new AssertionError("certificate " + serial + " was returned but is not in the store"));
                    boolean revoked = record.state() == CertificateState.REVOKED;
                    assertEquals(revoked, onCrl.contains(number), "CRL and store disagree on " + serial);
                    assertEquals(revoked, ocspRevoked.get(number), "OCSP and store disagree on " + serial);
                    if (supersededByClients.contains(serial)) {
                        assertTrue(revoked, "a renewed certificate must be revoked: " + serial);
                    }
                }
                assertEquals(revokedInStore, onCrl, "the CRL lists exactly the store's revoked certificates");
                int recorded = 0;
                for (String[] user : users) {
                    recorded += store.findByOwner(ServerHarness.CUSTOMER, user[0] + "@" + TestWorld.REALM).size();
                }
                assertTrue(recorded >= received.size(), "no serial reused: " + recorded + " records for " + received.size());
            }
        } finally {
            restarted.getKey().destroyForcibly();
        }
    }

    private static boolean ocspSaysRevoked(ServerHarness server, ServerHarness.Prepared prepared, BigInteger serial)
            throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(prepared.caCertificate().getEncoded()), serial);
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        HttpResponse<byte[]> answer = server.http.send(HttpRequest.newBuilder(server.base.resolve("/ocsp"))
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        OCSPResp response = new OCSPResp(answer.body());
        assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
        SingleResp single = ((BasicOCSPResp) response.getResponseObject()).getResponses()[0];
        assertTrue(single.getCertStatus() == null || single.getCertStatus() instanceof RevokedStatus,
                "OCSP knows every recorded certificate: " + serial.toString(16));
        return single.getCertStatus() instanceof RevokedStatus;
    }
}
