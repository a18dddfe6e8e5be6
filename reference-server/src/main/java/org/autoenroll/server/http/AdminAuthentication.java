package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Authenticates operators on the administration routes, each with a bearer token of their own,
 * separate from the enrollment users' Kerberos: {@code Authorization: Bearer <token>} names one
 * {@link Operator} with a {@link Role}; optionally also Kerberos principals in configured AD
 * groups ({@link KerberosOperators}, {@code Authorization: Negotiate}). Only a SHA-256 digest of each token is kept; the presented
 * token is compared with every operator's digest in constant time, so the answer takes as long
 * whichever operator (if any) matches. Anything else is
 * {@link ErrorCode#ADMIN_AUTHENTICATION_REQUIRED} (48). Immutable; thread-safe.
 */
public final class AdminAuthentication {
    /** The most characters of a token presented; longer is refused before it is hashed. */
    private static final int MAX_TOKEN_CHARS = 512;
    /** Operator names: they appear in logs and in the store's decidedBy, so plain and short. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    /** What an operator may do: an auditor reads; an officer also approves, denies and revokes. */
    public enum Role {
        AUDITOR, OFFICER;

        /** True when this role may do what {@code required} may. */
        public boolean includes(Role required) {
            return this == OFFICER || required == AUDITOR;
        }

        /** {@code auditor} or {@code officer}, in any case. */
        public static Role parse(String name) {
            if (name != null) {
                for (Role role : values()) {
                    if (role.name().equalsIgnoreCase(name.strip())) {
                        return role;
                    }
                }
            }
            throw new IllegalArgumentException("a role is auditor or officer");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An authenticated operator: a name for the logs and the records, and a role. */
    public record Operator(String name, Role role) {
        public Operator {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("an operator name is 1-64 letters, digits, '.', '_', '@' or '-'");
            }
            Objects.requireNonNull(role, "role");
        }

        /**
         * @throws EnrollmentException {@link ErrorCode#ADMIN_FORBIDDEN} (58) when this operator's
         *     role does not include {@code required}
         */
        public void require(Role required) throws EnrollmentException {
            if (!role.includes(required)) {
                throw new EnrollmentException(ErrorCode.ADMIN_FORBIDDEN,
                        "operator " + name + " is an " + role + "; this needs an " + required);
            }
        }
    }

    private record Entry(Operator operator, byte[] digest) {
    }

    private final List<Entry> entries;
    private final KerberosOperators kerberos;

    private AdminAuthentication(List<Entry> entries, KerberosOperators kerberos) {
        this.entries = List.copyOf(entries);
        this.kerberos = kerberos;
    }

    /** Collects operators and their tokens. Not thread-safe. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private KerberosOperators kerberos;

        private Builder() {
        }

        /** Also accepts operators who authenticate with Kerberos, their role from their AD groups. */
        public Builder kerberos(KerberosOperators operators) {
            this.kerberos = Objects.requireNonNull(operators, "operators");
            return this;
        }

        /**
         * Adds an operator; only the digest of {@code token} is kept, and the caller clears its array.
         *
         * @throws IllegalArgumentException when the name or the token is already taken, or the
         *     name is not a valid operator name
         */
        public Builder operator(String name, Role role, char[] token) {
            Operator operator = new Operator(name, role);
            byte[] digest = tokenDigest(token);
            for (Entry entry : entries) {
                if (entry.operator().name().equals(name)) {
                    throw new IllegalArgumentException("operator " + name + " is given twice");
                }
                if (MessageDigest.isEqual(entry.digest(), digest)) {
                    throw new IllegalArgumentException("operators " + entry.operator().name() + " and " + name
                            + " have the same token");
                }
            }
            entries.add(new Entry(operator, digest));
            return this;
        }

        /** @throws IllegalStateException without any operator (token or Kerberos) */
        public AdminAuthentication build() {
            if (entries.isEmpty() && kerberos == null) {
                throw new IllegalStateException("the administration routes need at least one operator");
            }
            return new AdminAuthentication(entries, kerberos);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The operators, without their tokens. */
    public List<Operator> operators() {
        return entries.stream().map(Entry::operator).toList();
    }

    /** True when operators may also authenticate with Kerberos (the 401 then offers Negotiate too). */
    boolean acceptsKerberos() {
        return kerberos != null;
    }

    /** The operator whose token (or, when Kerberos operators are configured, whose Kerberos ticket) the request carries. */
    Operator authenticate(HttpServerExchange exchange) throws EnrollmentException {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.AUTHORIZATION);
        if (values == null || values.size() != 1) {
            throw refused("the request needs exactly one Authorization header");
        }
        String value = values.getFirst().strip();
        if (kerberos != null && value.regionMatches(true, 0, "Negotiate ", 0, 10)) {
            return kerberos.authenticate(exchange);
        }
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.length() > 7 + MAX_TOKEN_CHARS) {
            throw refused("only the Bearer scheme with an operator's token is accepted here");
        }
        char[] presented = value.substring(7).strip().toCharArray();
        byte[] digest = tokenDigest(presented);
        Arrays.fill(presented, '\0');
        Operator match = null;
        for (Entry entry : entries) {
            // every digest is compared, so the time taken does not tell which operator matched
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.operator();
            }
        }
        if (match == null) {
            throw refused("the token is no operator's");
        }
        return match;
    }

    private static EnrollmentException refused(String detail) {
        return new EnrollmentException(ErrorCode.ADMIN_AUTHENTICATION_REQUIRED, detail);
    }

    /**
     * The SHA-256 of a token's UTF-8 bytes: what is kept of an operator's token (the encoded
     * bytes are wiped); also how the configuration check tells two tokens apart without keeping them.
     */
    public static byte[] tokenDigest(char[] token) {
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
