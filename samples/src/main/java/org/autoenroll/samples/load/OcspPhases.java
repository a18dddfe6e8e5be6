package org.autoenroll.samples.load;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The timed phases of {@link OcspLoad}: client threads, each on its own keep-alive connection,
 * share a request counter and stop at the request limit or the time limit. Requests are made
 * before the clock starts. Not thread-safe: one phase at a time.
 */
final class OcspPhases {
    private static final String OCSP_TYPE = "application/ocsp-response";
    /** One answer in this many (and each thread's first) is parsed and verified in full. */
    private static final int FULL_CHECK_EVERY = 100;

    private final OcspLoad.Options options;
    private final int port;
    private final X509CertificateHolder ca;

    OcspPhases(OcspLoad.Options options, int port, X509CertificateHolder ca) {
        this.options = options;
        this.port = port;
        this.ca = ca;
    }

    /** {@code GET /ca.crt}: the baseline. */
    Phase baseline(String name) throws InterruptedException {
        return timed(name, options.requests(), (http, n, full) -> {
            KeepAliveHttp.Response response = http.get("/ca.crt");
            if (response.status() != 200 || response.body().length < 100) {
                return "GET /ca.crt: HTTP " + response.status();
            }
            return null;
        });
    }

    /** OCSP requests about the certificates of {@code requests} in turn: GETs, or POSTs each with its own nonce. */
    Phase run(String name, int count, List<byte[]> requests, boolean postWithNonce) throws Exception {
        List<String> paths = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        if (postWithNonce) {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < count; i++) {
                BigInteger serial = new OCSPReq(requests.get(i % requests.size())).getRequestList()[0].getCertID()
                        .getSerialNumber();
                byte[] nonce = new byte[16];
                random.nextBytes(nonce);
                bodies.add(OcspRequests.request(ca, serial, nonce));
            }
        } else {
            requests.forEach(request -> paths.add(OcspRequests.getPath(request)));
        }
        return timed(name, count, (http, n, full) -> {
            byte[] request = postWithNonce ? bodies.get(n) : requests.get(n % requests.size());
            KeepAliveHttp.Response response = postWithNonce ? http.post("/ocsp", "application/ocsp-request", request)
                    : http.get(paths.get(n % paths.size()));
            if (response.status() != 200 || !response.contentType().startsWith(OCSP_TYPE)) {
                return "HTTP " + response.status() + " " + response.contentType();
            }
            if (!successful(response.body())) {
                return "OCSP response status not successful";
            }
            return full ? fullCheck(request, response.body()) : null;
        });
    }

    /** responseStatus successful: OCSPResponse ::= SEQUENCE { ENUMERATED 0, ... }, read without parsing all. */
    private static boolean successful(byte[] der) {
        if (der.length < 5 || der[0] != 0x30) {
            return false;
        }
        int at = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7f);
        return der.length > at + 2 && der[at] == 0x0a && der[at + 1] == 1 && der[at + 2] == 0;
    }

    /** Signature (by the CA, or by a delegated signer the CA certified), status good, the CertID and nonce echoed. */
    private String fullCheck(byte[] requestDer, byte[] responseDer) {
        try {
            OCSPReq request = new OCSPReq(requestDer);
            BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(responseDer).getResponseObject();
            X509CertificateHolder signer = ca;
            X509CertificateHolder[] certs = basic.getCerts();
            if (certs.length > 0 && !certs[0].equals(ca)) {
                if (!certs[0].isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))) {
                    return "the delegated signer is not certified by the CA";
                }
                signer = certs[0];
            }
            if (!basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))) {
                return "bad signature";
            }
            SingleResp[] answers = basic.getResponses();
            if (answers.length != 1 || !answers[0].getCertID().equals(request.getRequestList()[0].getCertID())) {
                return "not the CertID asked about";
            }
            if (answers[0].getCertStatus() != null) {
                return "status not good";
            }
            var asked = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            var echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (asked != null && (echoed == null || !asked.getExtnValue().equals(echoed.getExtnValue()))) {
                return "nonce not echoed";
            }
            return null;
        } catch (Exception e) {
            return "unparsable answer: " + e;
        }
    }

    /** One request: null when it succeeded, else what failed. */
    private interface Call {
        String send(KeepAliveHttp http, int n, boolean fullCheck) throws Exception;
    }

    private Phase timed(String name, int count, Call call) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long[][] latencies = new long[options.threads()][];
        int[] done = new int[options.threads()];
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.maxSeconds());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            int slot = t;
            latencies[t] = new long[count];
            Thread thread = new Thread(() -> {
                boolean first = true;
                try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", port)) {
                    for (int n = next.getAndIncrement(); n < count && System.nanoTime() < deadline; n = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        String failure;
                        try {
                            // each thread's first answer is verified in full too
                            failure = call.send(http, n, first || n % FULL_CHECK_EVERY == 0);
                        } catch (Exception e) {
                            failure = e.toString();
                        }
                        first = false;
                        latencies[slot][done[slot]++] = System.nanoTime() - sent;
                        if (failure == null) {
                            succeeded.incrementAndGet();
                        } else {
                            firstFailure.compareAndSet(null, failure);
                        }
                    }
                }
            }, "ocsp-load-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int sent = Arrays.stream(done).sum();
        long[] all = new long[sent];
        int at = 0;
        for (int t = 0; t < latencies.length; t++) {
            System.arraycopy(latencies[t], 0, all, at, done[t]);
            at += done[t];
        }
        return new Phase(name, sent, succeeded.get(), seconds, all, firstFailure.get());
    }
}
