package org.autoenroll.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a secret (a bind password, a keystore password) is kept: {@code env:NAME} or
 * {@code file:/path}. The value is read only when needed, and {@link #toString()} shows the
 * reference, never the secret. A literal value is possible only through {@link #literal}, for
 * demos and tests: configuration files cannot hold one.
 *
 * @since 0.1
 */
public final class SecretRef {
    private final String reference;
    private final char[] literal;

    private SecretRef(String reference, char[] literal) {
        this.reference = reference;
        this.literal = literal;
    }

    /**
     * @param reference {@code env:NAME} or {@code file:/path}
     * @throws IllegalArgumentException for any other form, naming the accepted ones
     */
    public static SecretRef parse(String reference) {
        Objects.requireNonNull(reference, "reference");
        if ((reference.startsWith("env:") || reference.startsWith("file:")) && reference.indexOf(':') < reference.length() - 1) {
            return new SecretRef(reference, null);
        }
        throw new IllegalArgumentException("a secret reference is env:NAME or file:/path");
    }

    /** A secret held in memory: for demos and tests, never read from configuration. */
    public static SecretRef literal(char[] secret) {
        return new SecretRef("literal:(hidden)", secret.clone());
    }

    /** Reads the secret now; the caller should clear the array after use. */
    public char[] resolve(Map<String, String> environment) throws IOException {
        if (literal != null) {
            return literal.clone();
        }
        String target = reference.substring(reference.indexOf(':') + 1);
        if (reference.startsWith("env:")) {
            String value = environment.get(target);
            if (value == null) {
                throw new IOException("environment variable " + target + " is not set");
            }
            return value.toCharArray();
        }
        String value = Files.readString(Path.of(target), StandardCharsets.UTF_8);
        return value.strip().toCharArray();
    }

    /** Reads the secret from the process environment or file system. */
    public char[] resolve() throws IOException {
        return resolve(System.getenv());
    }

    @Override
    public String toString() {
        return reference;
    }
}
