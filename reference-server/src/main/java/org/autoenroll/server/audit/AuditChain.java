package org.autoenroll.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The format of the audit log's lines and its verification. A line is one JSON object
 * {@code {"seq":N, "time", "event", ...fields, "prev":P, "hash":H}}: {@code seq} counts lines from
 * 1, {@code prev} is the {@code hash} of the line before ({@link #GENESIS} for the first), and
 * {@code hash} is the SHA-256 (lower-case hex) of the line's own text up to {@code ,"hash"} closed
 * with {@code }}. Editing a line breaks its own hash; removing, inserting or reordering lines
 * breaks the next line's {@code prev}. (Cutting lines off the end leaves a valid shorter chain: keep
 * the last {@code seq} and {@code hash} somewhere else too to detect that.) Stateless.
 */
public final class AuditChain {
    /** The {@code prev} of the first line. */
    public static final String GENESIS = "0".repeat(64);
    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /** The result of a verification: how many lines held, and the first that did not (0 when none). */
    public record Verdict(long validLines, long brokenLine, String reason) {
        public boolean intact() {
            return brokenLine == 0;
        }
    }

    /** {@code object} (a JSON object's text, without {@code hash}) with its hash appended. */
    static String seal(String object) {
        if (!object.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return object.substring(0, object.length() - 1) + HASH_FIELD + sha256(object) + "\"}";
    }

    /** A sealed line's own content, or null when the line carries no well-formed hash. */
    record Sealed(String content, String hash) {
    }

    static Sealed unseal(String line) {
        int at = line.lastIndexOf(HASH_FIELD);
        if (at < 0 || !line.endsWith("\"}") || line.length() != at + HASH_FIELD.length() + 64 + 2) {
            return null;
        }
        return new Sealed(line.substring(0, at) + "}", line.substring(at + HASH_FIELD.length(), line.length() - 2));
    }

    /** Checks every line of {@code file} in order; stops at the first broken one. */
    public static Verdict verify(Path file) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return verify(lines);
        }
    }

    static Verdict verify(BufferedReader lines) throws IOException {
        String prev = GENESIS;
        long n = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            n++;
            Sealed sealed = unseal(line);
            if (sealed == null) {
                return new Verdict(n - 1, n, "no well-formed \"hash\" at the end of the line");
            }
            if (!sha256(sealed.content()).equals(sealed.hash())) {
                return new Verdict(n - 1, n, "the line's content does not match its hash: the line was changed");
            }
            JsonNode object;
            try {
                object = JSON.readTree(sealed.content());
            } catch (IOException e) {
                return new Verdict(n - 1, n, "not a JSON object");
            }
            if (object == null || !object.path("prev").asText().equals(prev)) {
                return new Verdict(n - 1, n, n == 1 ? "the first line does not start the chain: lines before it were removed"
                        : "the line does not follow line " + (n - 1) + ": lines were removed, inserted or reordered");
            }
            if (object.path("seq").asLong() != n) {
                return new Verdict(n - 1, n, "seq is " + object.path("seq").asText() + " where " + n + " was expected");
            }
            prev = sealed.hash();
        }
        return new Verdict(n, 0, null);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
