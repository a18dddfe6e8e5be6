package org.autoenroll.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;

/**
 * Finds where in a YAML text a key path ({@code adServers[0].ssl}) is written, reading it again as a
 * stream of tokens: the value's first token, its text and its location, or the key's own location.
 * Stateless.
 */
final class YamlLocator {
    /** A value (or key) found: its first token, its text when a scalar, and where it starts. */
    record Found(JsonToken token, String text, JsonLocation location) {
    }

    private YamlLocator() {
    }

    /** @param key true for the location of the last key itself (an unknown key), false for its value */
    static Found find(YAMLFactory factory, byte[] yaml, List<JsonMappingException.Reference> path, boolean key) {
        try (JsonParser parser = factory.createParser(yaml)) {
            parser.nextToken();
            return find(parser, path, 0, key);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code parser} is at the first token of the value that {@code path[depth..]} is relative to. */
    private static Found find(JsonParser parser, List<JsonMappingException.Reference> path, int depth, boolean key)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (depth == path.size()) {
            return new Found(token, token != null && token.isScalarValue() ? parser.getText() : null,
                    parser.currentTokenLocation());
        }
        JsonMappingException.Reference step = path.get(depth);
        if (token == JsonToken.START_OBJECT && step.getFieldName() != null) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonLocation at = parser.currentTokenLocation();
                parser.nextToken();
                if (name.equals(step.getFieldName())) {
                    if (key && depth == path.size() - 1) {
                        return new Found(JsonToken.FIELD_NAME, name, at);
                    }
                    return find(parser, path, depth + 1, key);
                }
                parser.skipChildren();
            }
            return null;
        }
        if (token == JsonToken.START_ARRAY && step.getIndex() >= 0) {
            int index = 0;
            for (JsonToken element = parser.nextToken(); element != null && element != JsonToken.END_ARRAY;
                 element = parser.nextToken()) {
                if (index++ == step.getIndex()) {
                    return find(parser, path, depth + 1, key);
                }
                parser.skipChildren();
            }
        }
        return null;
    }
}
