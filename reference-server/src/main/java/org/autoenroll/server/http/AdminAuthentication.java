package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Authenticates operators on the administration routes with a bearer token of their own,
 * separate from the enrollment users' Kerberos: {@code Authorization: Bearer <token>}. Only a
 * SHA-256 digest of the token is kept, and digests are compared in constant time. Anything else
 * is {@link ErrorCode#ADMIN_AUTHENTICATION_REQUIRED} (48). Thread-safe.
 */
public final class AdminAuthentication {
    private static final int MAX_TOKEN_CHARS = 512;
    private final byte[] tokenDigest;

    /** @param token the configured token; the caller clears its array afterwards */
    public AdminAuthentication(char[] token) {
        this.tokenDigest = digest(token);
    }

    void authenticate(HttpServerExchange exchange) throws EnrollmentException {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.AUTHORIZATION);
        if (values == null || values.size() != 1) {
            throw refused("the request needs exactly one Authorization: Bearer header");
        }
        String value = values.getFirst().strip();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.length() > 7 + MAX_TOKEN_CHARS) {
            throw refused("only the Bearer scheme with the admin token is accepted here");
        }
        char[] presented = value.substring(7).strip().toCharArray();
        boolean match = MessageDigest.isEqual(tokenDigest, digest(presented));
        Arrays.fill(presented, '\0');
        if (!match) {
            throw refused("the admin token does not match");
        }
    }

    private static EnrollmentException refused(String detail) {
        return new EnrollmentException(ErrorCode.ADMIN_AUTHENTICATION_REQUIRED, detail);
    }

    private static byte[] digest(char[] token) {
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(token));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(encoded);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        } finally {
            Arrays.fill(encoded.array(), (byte) 0);
        }
    }
}
