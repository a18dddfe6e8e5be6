package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Reads a request body of at most {@code maxBytes} on a blocking exchange: the declared
 * Content-Length is checked before anything is read, and a chunked body is cut off one byte past
 * the limit. Too large is {@link ErrorCode#REQUEST_TOO_LARGE} (43). Immutable; thread-safe.
 */
final class BodyReader {
    private final int maxBytes;

    BodyReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    byte[] read(HttpServerExchange exchange) throws EnrollmentException, IOException {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge(exchange);
        }
        InputStream in = exchange.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > maxBytes) {
                    throw tooLarge(exchange);
                }
                out.write(buffer, 0, n);
            }
        } catch (RequestTooBigException e) {
            throw tooLarge(exchange);
        }
        return out.toByteArray();
    }

    private EnrollmentException tooLarge(HttpServerExchange exchange) {
        // The rest of the body is not read: close the connection after the answer rather than drain it.
        exchange.setPersistent(false);
        return new EnrollmentException(ErrorCode.REQUEST_TOO_LARGE, "the body exceeds " + maxBytes + " bytes");
    }
}
