package org.autoenroll.ca.cmp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIHeaderBuilder;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;

/**
 * A scripted peer between the signer and openssl's CMP mock: forwards, or answers with a fault
 * (a replayed answer of another transaction, an unprotected error, HTML, HTTP 500, a huge body).
 */
final class FaultProxy implements AutoCloseable {
    enum Mode { FORWARD, REPLAY_FIRST_ANSWER, UNPROTECTED_ERROR, HTML, HTTP_500, HUGE }

    final AtomicReference<Mode> mode = new AtomicReference<>(Mode.FORWARD);
    private final AtomicReference<byte[]> firstAnswer = new AtomicReference<>();
    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    FaultProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        try {
            switch (mode.get()) {
                case FORWARD -> {
                    byte[] answer = client.send(HttpRequest.newBuilder(target).header("Content-Type", "application/pkixcmp")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).body();
                    firstAnswer.compareAndSet(null, answer);
                    reply(exchange, 200, "application/pkixcmp", answer);
                }
                case REPLAY_FIRST_ANSWER -> reply(exchange, 200, "application/pkixcmp", firstAnswer.get());
                case UNPROTECTED_ERROR -> reply(exchange, 200, "application/pkixcmp", unprotectedError(request));
                case HTML -> reply(exchange, 200, "text/html", "<html>login</html>".getBytes());
                case HTTP_500 -> reply(exchange, 500, "text/plain", "boom".getBytes());
                case HUGE -> reply(exchange, 200, "application/pkixcmp", new byte[300 * 1024]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 502, "text/plain", new byte[0]);
        }
    }

    /** An error answer for this very transaction and nonce, only without protection. */
    private static byte[] unprotectedError(byte[] request) throws IOException {
        PKIHeader header = new GeneralPKIMessage(request).getHeader();
        PKIHeader answer = new PKIHeaderBuilder(PKIHeader.CMP_2000, new GeneralName(new X500Name("CN=Mock")), header.getSender())
                .setTransactionID(header.getTransactionID()).setRecipNonce(header.getSenderNonce())
                .setSenderNonce(new byte[16]).build();
        PKIBody body = new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(
                new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText("forged"))));
        return new PKIMessage(answer, body).getEncoded();
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
