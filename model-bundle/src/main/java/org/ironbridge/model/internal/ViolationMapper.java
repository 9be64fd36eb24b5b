package org.ironbridge.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ironbridge.model.Violation;

/**
 * Turns the validator's messages into {@link Violation}s worded for API clients, with field paths
 * in the dotted form ({@code lines[0].quantity}).
 */
final class ViolationMapper {

    /** The pattern of decimal strings (amounts, quantities) in the schemas. */
    static final String DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$";

    /** The pattern of decimal strings greater than 0 in the schemas. */
    static final String POSITIVE_DECIMAL = "^(0*[1-9][0-9]*(\\.[0-9]+)?|0+\\.[0-9]*[1-9][0-9]*)$";

    /** The pattern of ISO 4217 currency codes in the schemas. */
    static final String CURRENCY = "^[A-Z]{3}$";

    static final String DECIMAL_MESSAGE = "must be a decimal string such as \"12.50\"";

    private static final Pattern DECIMAL_PATTERN = Pattern.compile(DECIMAL);
    private static final Pattern ID_PATTERN = Pattern.compile("\\^([a-z]+)_\\.\\+\\$");

    private ViolationMapper() {}

    /**
     * Maps one message of the validator.
     *
     * @param message the validator's message
     * @param schema the schema the body was validated against, to look up the offending field's
     *     property schema
     */
    static Violation map(ValidationMessage message, JsonNode schema) {
        List<Object> path = elements(message.getInstanceLocation());
        String keyword = message.getType();
        switch (keyword) {
            case "required" -> {
                path.add(propertyName(message));
                return new Violation(format(path), "is required");
            }
            case "additionalProperties" -> {
                // the instance location is the object that has the unknown property
                path.add(propertyName(message));
                return new Violation(format(path), "is not a known field");
            }
            case "readOnly" -> {
                return new Violation(format(path), "is read-only");
            }
            default -> {
                JsonNode property = propertySchema(schema, path);
                return new Violation(format(path), describe(keyword, message, property));
            }
        }
    }

    private static String describe(String keyword, ValidationMessage message, JsonNode property) {
        JsonNode value = message.getInstanceNode();
        return switch (keyword) {
            case "type" -> typeMessage(property, value);
            case "enum" -> enumMessage(property);
            case "pattern" -> patternMessage(property, value);
            case "format" -> formatMessage(property.path("format").asText());
            case "minimum" -> "must be at least " + property.path("minimum").asText();
            case "maximum" -> "must be at most " + property.path("maximum").asText();
            case "minItems" -> {
                int min = property.path("minItems").asInt();
                yield "must contain at least " + min + (min == 1 ? " entry" : " entries");
            }
            case "maxItems" ->
                    "must contain at most " + property.path("maxItems").asText() + " entries";
            case "minLength" ->
                    "must be at least " + property.path("minLength").asText() + " characters long";
            case "maxLength" ->
                    "must be at most " + property.path("maxLength").asText() + " characters long";
            default -> fallback(message);
        };
    }

    static String typeMessage(JsonNode property, JsonNode value) {
        if (value != null && value.isNull()) {
            return "must not be null";
        }
        String pattern = property.path("pattern").asText("");
        if (pattern.equals(DECIMAL) || pattern.equals(POSITIVE_DECIMAL)) {
            return DECIMAL_MESSAGE;
        }
        List<String> kinds = new ArrayList<>();
        JsonNode type = property.path("type");
        if (type.isArray()) {
            type.forEach(
                    t -> {
                        if (!t.asText().equals("null")) {
                            kinds.add(t.asText());
                        }
                    });
        } else if (type.isTextual()) {
            kinds.add(type.asText());
        }
        if (kinds.size() != 1) {
            return "must be of type " + String.join(" or ", kinds);
        }
        return switch (kinds.get(0)) {
            case "string" -> "must be a string";
            case "integer" -> "must be an integer";
            case "number" -> "must be a number";
            case "boolean" -> "must be true or false";
            case "object" -> "must be an object";
            case "array" -> "must be an array";
            default -> "must be of type " + kinds.get(0);
        };
    }

    private static String enumMessage(JsonNode property) {
        List<String> values = new ArrayList<>();
        property.path("enum")
                .forEach(
                        v -> {
                            if (!v.isNull()) {
                                values.add(v.asText());
                            }
                        });
        return "must be one of: " + String.join(", ", values);
    }

    private static String patternMessage(JsonNode property, JsonNode value) {
        String pattern = property.path("pattern").asText("");
        if (pattern.equals(DECIMAL)) {
            return DECIMAL_MESSAGE;
        }
        if (pattern.equals(POSITIVE_DECIMAL)) {
            return value != null && DECIMAL_PATTERN.matcher(value.asText()).matches()
                    ? "must be greater than 0"
                    : DECIMAL_MESSAGE;
        }
        if (pattern.equals(CURRENCY)) {
            return "must be a three-letter ISO 4217 currency code such as \"EUR\"";
        }
        var id = ID_PATTERN.matcher(pattern);
        if (id.matches()) {
            return "must be an Ironbridge id starting with \"" + id.group(1) + "_\"";
        }
        return "must match the pattern " + pattern;
    }

    private static String formatMessage(String format) {
        return switch (format) {
            case "date" -> "must be a date such as \"2026-11-22\"";
            case "date-time" -> "must be a timestamp such as \"2026-11-22T10:15:30Z\"";
            case "email" -> "must be an email address";
            default -> "must be a valid " + format;
        };
    }

    /**
     * The library's own wording without its location prefix, for keywords our schemas rarely use.
     */
    private static String fallback(ValidationMessage message) {
        String text = message.getError();
        if (text != null && !text.isBlank()) {
            return text;
        }
        text = message.getMessage();
        int colon = text.indexOf(": ");
        return colon >= 0 ? text.substring(colon + 2) : text;
    }

    /** The property a {@code required} or {@code additionalProperties} message is about. */
    private static String propertyName(ValidationMessage message) {
        if (message.getProperty() != null) {
            return message.getProperty();
        }
        Object[] arguments = message.getArguments();
        return arguments != null && arguments.length > 0 ? String.valueOf(arguments[0]) : "";
    }

    /**
     * The property schema at an instance path: {@code properties} for names, {@code items} for
     * indexes.
     */
    static JsonNode propertySchema(JsonNode schema, List<Object> path) {
        JsonNode node = schema;
        for (Object element : path) {
            node =
                    element instanceof Integer
                            ? node.path("items")
                            : node.path("properties").path(element.toString());
        }
        return node;
    }

    static List<Object> elements(JsonNodePath path) {
        List<Object> elements = new ArrayList<>();
        if (path != null) {
            for (int i = 0; i < path.getNameCount(); i++) {
                elements.add(path.getElement(i));
            }
        }
        return elements;
    }

    /** The dotted form of a path: {@code lines[0].quantity}. */
    static String format(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object element : path) {
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(element);
            }
        }
        return sb.toString();
    }
}
