package org.autoenroll.server;

import org.autoenroll.server.internal.TlsContexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile client tried against the demo server (issue 12, items 1 and 8): slow bodies,
 * bodies of refused requests, over-limit chunked bodies, many connections from one address.
 * Raw sockets, so that the client misbehaves exactly as described; every read has a bound, so a
 * server that waits for the body fails the test instead of hanging it.
 */
class HostileClientTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = ServerHarness.start(dir, (world, tlsKeystore, tlsPassword, caKeystore, caPassword, db) ->
                ServerHarness.config(world, tlsKeystore, tlsPassword, caKeystore, caPassword, db)
                        .replace("  maxBodyBytes: 16384\n", "  maxBodyBytes: 16384\n  bodyTimeoutSeconds: 120\n"
                                + "  maxConnectionsPerAddress: 1000\n"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static Socket open(ServerHarness server) throws IOException {
        SSLSocket socket = (SSLSocket) tls(server).getSocketFactory().createSocket("localhost", server.base.getPort());
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    static SSLContext tls(ServerHarness server) {
        try {
            return TlsContexts.trusting(server.caPem);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the head of a request whose body is {@code declared} bytes long, and {@code sent} bytes of it. */
    static void sendHead(Socket socket, String method, String path, String headers, int declared, int sent) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
    }

    /** The status line and head of the answer, read up to the blank line. */
    static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static byte[] ocspRequest() throws Exception {
        X509Certificate ca = ServerHarness.certificate(java.nio.file.Files.readString(harness.caPem));
        return new OCSPReqBuilder().addRequest(new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(ca), BigInteger.valueOf(12345))).build().getEncoded();
    }

    @Test
    void slowBodies_200ConnectionsOpen_crlOcspAndHealthzStillAnswer() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = open(harness);
                slow.add(socket);
                // public routes that read a body, and authenticated ones: each declares 4,000 bytes and sends 1
                if (i % 2 == 0) {
                    sendHead(socket, "POST", "/ocsp", "", 4000, 1);
                } else {
                    sendHead(socket, "POST", "/api/v1/enroll", "", 4000, 1);
                }
            }
            for (int round = 0; round < 3; round++) {
                assertEquals(200, harness.get("/healthz", null).statusCode());
                assertEquals(200, harness.getBytes("/crl").statusCode());
                HttpResponse<byte[]> ocsp = harness.http.send(HttpRequest.newBuilder(harness.base.resolve("/ocsp"))
                        .timeout(java.time.Duration.ofSeconds(30))
                        .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest()))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, ocsp.statusCode());
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void refusedRequest_answered401WithoutWaitingForItsBody() throws Exception {
        try (Socket socket = open(harness)) {
            sendHead(socket, "POST", "/api/v1/enroll", "", 10_000, 10);
            String head = readHead(socket);
            assertTrue(head.startsWith("HTTP/1.1 401"), head);
            assertTrue(head.toLowerCase().contains("www-authenticate: negotiate"), head);
        }
    }

    @Test
    void declaredBodyOverTheLimit_answered413WithoutReadingIt() throws Exception {
        try (Socket socket = open(harness)) {
            sendHead(socket, "POST", "/api/v1/enroll", "", ServerHarness.MAX_BODY + 1, 0);
            String head = readHead(socket);
            assertTrue(head.startsWith("HTTP/1.1 413"), head);
        }
    }

    @Test
    void authenticatedSlowBody_answeredAfterTheDeadlineWith408() throws Exception {
        try (ServerHarness quick = ServerHarness.start(dir.resolve("quick"), (world, k, p, ck, cp, db) ->
                ServerHarness.config(world, k, p, ck, cp, db).replace("  maxBodyBytes: 16384\n",
                        "  maxBodyBytes: 16384\n  bodyTimeoutSeconds: 1\n"));
                Socket socket = open(quick)) {
            String token = Base64.getEncoder().encodeToString(TestWorld.get().token("alice"));
            sendHead(socket, "POST", "/api/v1/enroll", "Authorization: Negotiate " + token + "\r\n", 100, 1);
            String head = readHead(socket);
            assertTrue(head.startsWith("HTTP/1.1 408"), head);
        }
    }

    @Test
    void chunkedBodyOverTheLimit_413AndNothingIssued() {
        byte[] big = ("{\"customerUri\":\"" + "x".repeat(ServerHarness.MAX_BODY * 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = harness.send(harness.request("/api/v1/enroll", "alice")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(43, ServerHarness.parse(response).at("/error/code").asInt());
    }

    @Test
    void connectionsOverTheCapFromOneAddress_429() throws Exception {
        try (ServerHarness capped = ServerHarness.start(dir.resolve("capped"), (world, k, p, ck, cp, db) ->
                ServerHarness.config(world, k, p, ck, cp, db).replace("  maxBodyBytes: 16384\n",
                        "  maxBodyBytes: 16384\n  maxConnectionsPerAddress: 3\n"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = open(capped);
                    held.add(socket);
                    socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertTrue(readHead(socket).startsWith("HTTP/1.1 200"));
                }
                try (Socket fourth = open(capped)) {
                    fourth.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertTrue(readHead(fourth).startsWith("HTTP/1.1 429"));
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void everyAnswer_carriesNosniffAndHsts() {
        HttpResponse<String> response = harness.get("/healthz", null);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(response.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
    }

    @Test
    void tls12CbcSha1Suites_notOffered() throws Exception {
        SSLSocket socket = (SSLSocket) tls(harness).getSocketFactory().createSocket("localhost", harness.base.getPort());
        try (socket) {
            socket.setSoTimeout(30_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(java.util.Arrays.stream(socket.getSupportedCipherSuites())
                    .filter(s -> s.endsWith("_CBC_SHA")).toArray(String[]::new));
            assertThrows(javax.net.ssl.SSLHandshakeException.class, socket::startHandshake);
        }
    }

    @Test
    void tls12ClientInitiatedRenegotiation_refused() throws Exception {
        SSLSocket socket = (SSLSocket) tls(harness).getSocketFactory().createSocket("localhost", harness.base.getPort());
        try (socket) {
            socket.setSoTimeout(30_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            byte[] get = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(get);
            String first = readHead(socket);
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            socket.getInputStream().readNBytes(contentLength(first));
            boolean served;
            try {
                socket.startHandshake(); // the client asks for a new handshake on the open connection
                socket.getOutputStream().write(get);
                served = readHead(socket).startsWith("HTTP/1.1 200");
            } catch (IOException e) {
                served = false;
            }
            assertFalse(served, "a renegotiated connection was served");
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return 0;
    }

    @Test
    void preauthenticationDetail_staysInTheLog() {
        HttpResponse<String> response = harness.send(harness.request("/api/v1/enroll", null)
                .header("Authorization", "Negotiate " + Base64.getEncoder().encodeToString(new byte[] {0x60, 0x03, 0x06, 0x01, 0x00}))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(401, response.statusCode());
        assertEquals(37, ServerHarness.parse(response).at("/error/code").asInt());
        assertTrue(ServerHarness.parse(response).at("/error/detail").asText().contains("reference"), response.body());
        assertFalse(response.body().contains("EXAMPLE.COM"), response.body());
    }
}
