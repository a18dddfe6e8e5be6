package org.autoenroll.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The subset of OpenAPI 3.0 schema objects that openapi.json uses, checked against a JSON value:
 * {@code $ref} (to {@code #/components/schemas}), {@code allOf}, {@code type} with
 * {@code nullable}, {@code properties}, {@code required}, {@code additionalProperties} (false or a
 * schema), {@code enum}, {@code items}, {@code format: date-time}, {@code pattern} (unanchored, as
 * JSON Schema says), {@code minimum} and {@code maximum}. A schema keyword outside this subset is
 * itself a problem, so the description cannot quietly use what nothing checks. Stateless.
 */
final class SchemaValidator {
    private static final List<String> KNOWN = List.of("$ref", "allOf", "type", "nullable", "properties", "required",
            "additionalProperties", "enum", "items", "format", "pattern", "minimum", "maximum", "description", "example");

    private final JsonNode document;

    SchemaValidator(JsonNode document) {
        this.document = document;
    }

    /** Every way {@code value} breaks {@code schema}, each with its JSON path; empty when it fits. */
    List<String> problems(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "$", problems);
        return problems;
    }

    JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local references: " + ref);
            }
            JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("no such schema: " + ref);
            }
            schema = target;
        }
        return schema;
    }

    private void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        schema = resolve(schema);
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!KNOWN.contains(keyword)) {
                problems.add(path + ": the schema uses " + keyword + ", which this validator does not check");
            }
        }
        for (JsonNode part : schema.path("allOf")) {
            check(part, value, path, problems);
        }
        if (value.isNull()) {
            if (schema.has("type") && !schema.path("nullable").asBoolean()) {
                problems.add(path + ": null, but not nullable");
            }
            return;
        }
        String type = schema.path("type").asText(null);
        if (type != null && !hasType(value, type)) {
            problems.add(path + ": " + value.getNodeType() + " is not " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
                problems.add(path + ": " + abbreviated(value.asText()) + " does not match " + schema.get("pattern").asText());
            }
            if ("date-time".equals(schema.path("format").asText())) {
                try {
                    Instant.parse(value.asText());
                } catch (DateTimeParseException e) {
                    problems.add(path + ": " + abbreviated(value.asText()) + " is not a date-time");
                }
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                problems.add(path + ": below the minimum");
            }
            if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                problems.add(path + ": above the maximum");
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(path + ": " + required.asText() + " is missing");
                }
            }
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    check(properties.get(field.getKey()), field.getValue(), path + "." + field.getKey(), problems);
                } else if (schema.has("additionalProperties")) {
                    JsonNode additional = schema.get("additionalProperties");
                    if (additional.isBoolean()) {
                        if (!additional.asBoolean()) {
                            problems.add(path + ": " + field.getKey() + " is not a documented property");
                        }
                    } else {
                        check(additional, field.getValue(), path + "." + field.getKey(), problems);
                    }
                }
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
