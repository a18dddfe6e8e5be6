package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.util.Locale;
import java.util.Set;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * What a route accepts as its request body: at most {@code maxBytes} bytes of one of its media
 * types (any, when none is named). The {@link Router} receives the body without holding a worker
 * thread ({@link BodyReception}) before the endpoint runs; {@link #read} hands it to the endpoint.
 * Too large is {@link ErrorCode#REQUEST_TOO_LARGE} (43). Immutable; thread-safe.
 */
final class BodyReader {
    /** The body as received, attached to the exchange by the {@link Router}. */
    static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);
    static final String JSON = "application/json";

    private final int maxBytes;
    private final Set<String> mediaTypes;

    /**
     * @param mediaTypes the accepted {@code Content-Type} media types, lower case (parameters such
     *        as {@code charset} are ignored); none for any
     */
    BodyReader(int maxBytes, String... mediaTypes) {
        this.maxBytes = maxBytes;
        this.mediaTypes = Set.of(mediaTypes);
    }

    /** A JSON body: {@code Content-Type: application/json} is required (a browser cannot send it cross-site without a CORS preflight). */
    static BodyReader json(int maxBytes) {
        return new BodyReader(maxBytes, JSON);
    }

    int maxBytes() {
        return maxBytes;
    }

    /** True when the request's {@code Content-Type} is one this route accepts. */
    boolean acceptsContentType(HttpServerExchange exchange) {
        if (mediaTypes.isEmpty()) {
            return true;
        }
        String value = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (value == null) {
            return false;
        }
        int semicolon = value.indexOf(';');
        String mediaType = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return mediaTypes.contains(mediaType);
    }

    /** The accepted media types, for the refusal's detail. */
    String mediaTypes() {
        return String.join(" or ", mediaTypes.stream().sorted().toList());
    }

    /** The body the {@link Router} received for this exchange. */
    byte[] read(HttpServerExchange exchange) throws EnrollmentException {
        byte[] body = exchange.getAttachment(BODY);
        if (body == null) {
            throw new IllegalStateException("the route was registered without a body");
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return body;
    }

    static EnrollmentException tooLarge(int maxBytes) {
        return new EnrollmentException(ErrorCode.REQUEST_TOO_LARGE, "the body exceeds " + maxBytes + " bytes");
    }
}
