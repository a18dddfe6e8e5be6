package org.autoenroll.ca.cmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * CMP over HTTP (RFC 6712): one POST of a DER {@code PKIMessage} with content type
 * {@code application/pkixcmp}, one answer of the same type. Connecting and the whole exchange are
 * bounded in time, and the answer in size. Thread-safe.
 */
final class CmpHttpTransport {
    static final String CONTENT_TYPE = "application/pkixcmp";
    /** A CMP answer with a certificate and its chain is a few kilobytes; more is not a CMP answer. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final URI server;
    private final Duration exchangeTimeout;
    private final HttpClient client;

    CmpHttpTransport(URI server, Duration connectTimeout, Duration exchangeTimeout, SSLContext tls) {
        this.server = Objects.requireNonNull(server, "server");
        this.exchangeTimeout = Objects.requireNonNull(exchangeTimeout, "exchangeTimeout");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // CMP servers speak HTTP/1.x; no h2c upgrade attempts
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /** Sends one message and returns the answer's DER; the whole exchange ends within the exchange timeout. */
    byte[] exchange(byte[] request) throws CmpFailure {
        HttpRequest post = HttpRequest.newBuilder(server).timeout(exchangeTimeout)
                .header("Content-Type", CONTENT_TYPE).header("Cache-Control", "no-cache")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(post, info -> new Limited());
        HttpResponse<byte[]> response;
        try {
            response = pending.get(exchangeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new CmpFailure("the CMP server " + server + " did not answer within " + exchangeTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new CmpFailure("the CMP server " + server + " did not accept a connection in time", cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw new CmpFailure("the CMP server " + server + " did not answer within " + exchangeTimeout.toMillis() + " ms", cause);
            }
            throw new CmpFailure("cannot exchange with the CMP server " + server + ": " + cause, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new CmpFailure("interrupted while waiting for the CMP server " + server, e);
        }
        if (response.statusCode() != 200) {
            throw new CmpFailure("the CMP server " + server + " answered HTTP " + response.statusCode());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE)) {
            throw new CmpFailure("the CMP server " + server + " answered content type '" + type + "', not " + CONTENT_TYPE);
        }
        return response.body();
    }

    /** Collects the body, failing as soon as it exceeds {@link #MAX_ANSWER_BYTES}. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            subscription = value;
            value.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.size() + buffer.remaining() > MAX_ANSWER_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("the answer exceeds " + MAX_ANSWER_BYTES + " bytes"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.write(bytes, 0, bytes.length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }

    URI server() {
        return server;
    }
}
