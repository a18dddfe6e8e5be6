package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TicketValidator;

/**
 * HTTP Negotiate (RFC 4559) on the server side: takes the token of {@code Authorization: Negotiate},
 * has the {@link TicketValidator} check it, and on success puts the mutual-authentication answer
 * (when there is one) into {@code WWW-Authenticate: Negotiate <token>}. No header is
 * {@link ErrorCode#AUTHENTICATION_REQUIRED} (42); a bad header or token is
 * {@link ErrorCode#AUTHENTICATION_ERROR} (37). Works for clients that send the token at once
 * (curl 7.88 --negotiate) and for those that wait for the 401 challenge: each request stands
 * alone, there is no connection-bound state.
 *
 * <p>The token itself is never logged nor echoed. Thread-safe.
 */
final class NegotiateAuthentication {
    /** Windows' MaxTokenSize is 48,000 bytes by default, 65,535 at most: 64 Ki base64 characters is ample. */
    static final int MAX_TOKEN_CHARS = 64 * 1024;
    private static final String SCHEME = "negotiate";

    private final TicketValidator validator;

    NegotiateAuthentication(TicketValidator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    AuthenticatedPrincipal authenticate(HttpServerExchange exchange) throws EnrollmentException {
        String token = negotiateToken(exchange.getRequestHeaders().get(Headers.AUTHORIZATION));
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR,
                    "the Negotiate token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the Negotiate token is not valid base64");
        }
        if (bytes.length == 0) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the Negotiate token is empty");
        }
        AuthenticatedPrincipal principal = validator.validate(bytes);
        principal.responseToken().ifPresent(answer -> exchange.getResponseHeaders()
                .put(Headers.WWW_AUTHENTICATE, "Negotiate " + Base64.getEncoder().encodeToString(answer)));
        return principal;
    }

    private static String negotiateToken(HeaderValues values) throws EnrollmentException {
        if (values == null || values.isEmpty()) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_REQUIRED, "the request has no Authorization header");
        }
        if (values.size() > 1) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the request has more than one Authorization header");
        }
        String value = values.getFirst().strip();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!SCHEME.equals(scheme)) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "only the Negotiate authentication scheme is accepted");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the Negotiate header carries no token");
        }
        return token;
    }
}
