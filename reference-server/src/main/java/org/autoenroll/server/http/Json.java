package org.autoenroll.server.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * The JSON mappers of the protocol: a strict reader (unknown field, duplicate key, trailing data or
 * a body that is not the expected object is {@link ErrorCode#MALFORMED_REQUEST}) and a writer.
 * Thread-safe (Jackson mappers are, once configured).
 */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {
    }

    /** Reads {@code body} as one {@code type}; anything else is code 44 with what went wrong. */
    static <T> T read(byte[] body, Class<T> type) throws EnrollmentException {
        if (body.length == 0) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "the request has no body; a JSON object is expected");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "the body is null; a JSON object is expected");
            }
            return value;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "unknown field \"" + bounded(e.getPropertyName())
                    + "\"; known fields: " + e.getKnownPropertyIds());
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, field == null
                    ? "the body is not the JSON object expected"
                    : "field \"" + bounded(field) + "\" has the wrong type");
        } catch (IOException e) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "the body is not valid JSON"
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                        ? " (at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")" : ""));
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Client-chosen names are echoed only in part, so a response never carries much of its input. */
    private static String bounded(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
