package org.ironbridge.connector.sandbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** JSON and canonical-value helpers: decimal strings, RFC 3339 UTC timestamps, ISO dates. */
final class Json {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The array field of an object, created empty when absent. */
    static ArrayNode arr(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        return n instanceof ArrayNode a ? a : o.putArray(name);
    }

    /** A money amount as a decimal string with two decimals. */
    static String money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** A quantity as a decimal string without trailing zeros ({@code "12.5"}, {@code "100"}). */
    static String qty(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        if (s.scale() < 0) {
            s = s.setScale(0);
        }
        return s.toPlainString();
    }

    /** An RFC 3339 UTC timestamp, or null. */
    static String ts(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** The UTC date of an instant as {@code YYYY-MM-DD}, or null. */
    static String date(Instant t) {
        return t == null ? null : LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
    }

    /** The decimal value of a text or number node; null when absent or null. */
    static BigDecimal dec(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return new BigDecimal(n.asText().trim());
    }

    /** The text of a field, or null when absent or null. */
    static String text(JsonNode object, String field) {
        JsonNode n = object == null ? null : object.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A decimal node for the raw (source-shaped) record, or null for null. */
    static JsonNode rawNumber(JsonNode canonical) {
        BigDecimal d = dec(canonical);
        return d == null ? NullNode.getInstance() : DecimalNode.valueOf(d);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
