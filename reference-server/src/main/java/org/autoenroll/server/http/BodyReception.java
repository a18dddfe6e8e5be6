package org.autoenroll.server.http;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Receives a request body without holding a worker thread: Undertow's non-blocking receiver
 * collects it on the connection's I/O thread, under a deadline for the whole body. A slow client
 * costs a connection and a buffer, never a worker, so slow bodies cannot starve the CRL, OCSP and
 * health routes. Exactly one of the outcomes is delivered: the body; more than {@code maxBytes}
 * ({@link ErrorCode#REQUEST_TOO_LARGE}, 43, also for a chunked body); the deadline passed first
 * ({@link ErrorCode#REQUEST_TIMEOUT}, 62); or the client went away (null: nothing to answer,
 * the connection is closed and one line without stack trace is logged). Stateless.
 */
final class BodyReception {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReception.class);

    private BodyReception() {
    }

    interface Received {
        void body(HttpServerExchange exchange, byte[] body);
    }

    interface Failed {
        /** @param failure what to answer, or null when the client is gone */
        void failure(HttpServerExchange exchange, EnrollmentException failure);
    }

    static void receive(HttpServerExchange exchange, int maxBytes, Duration deadline, Received received, Failed failed) {
        AtomicBoolean settled = new AtomicBoolean();
        XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> {
            if (settled.compareAndSet(false, true)) {
                failed.failure(exchange, new EnrollmentException(ErrorCode.REQUEST_TIMEOUT,
                        "the body did not arrive in full within " + deadline.toSeconds() + " s"));
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        Receiver receiver = exchange.getRequestReceiver();
        receiver.setMaxBufferSize(maxBytes);
        receiver.receiveFullBytes((ex, body) -> {
            if (settled.compareAndSet(false, true)) {
                timer.remove();
                received.body(ex, body);
            }
        }, (ex, e) -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            timer.remove();
            if (tooLarge(e)) {
                failed.failure(ex, BodyReader.tooLarge(maxBytes));
            } else {
                // once per connection: the connection is closed now; no stack trace, it is the client's doing
                LOG.info("request body from {} aborted: {}", ex.getSourceAddress() == null ? "-"
                        : ex.getSourceAddress().getAddress().getHostAddress(), Router.loggable(String.valueOf(e.getMessage())));
                IoUtils.safeClose(ex.getConnection());
                failed.failure(ex, null);
            }
        });
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Receiver.RequestToLargeException || t instanceof RequestTooBigException) {
                return true;
            }
        }
        return false;
    }

    /** How long an early answer's connection stays open for the client to read it before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(2);

    /** Closes the connection {@link #LINGER} from now, unless it is closed before. */
    static void closeSoon(HttpServerExchange exchange) {
        var connection = exchange.getConnection();
        exchange.getIoThread().executeAfter(() -> IoUtils.safeClose(connection), LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }
}
