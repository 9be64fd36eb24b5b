package org.ironbridge.connector.tryton.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Tryton's typed JSON values ({@code {"__class__":"Decimal","decimal":"0.20"}}, dates, datetimes)
 * to and from Java values. Numbers are parsed as {@link BigDecimal} so that no amount or quantity
 * passes through a float.
 */
final class TrytonValues {
    static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .build();

    private TrytonValues() {}

    /** A Tryton Decimal or JSON number as a BigDecimal; null for null/absent/false. */
    static BigDecimal decimal(JsonNode v) {
        if (v == null || v.isNull() || v.isBoolean()) {
            return null;
        }
        if (v.isObject() && "Decimal".equals(v.path("__class__").asText())) {
            return new BigDecimal(v.get("decimal").asText());
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        return new BigDecimal(v.asText());
    }

    /** A decimal as the canonical string: plain notation, trailing zeros of floats removed. */
    static String quantity(JsonNode v) {
        BigDecimal d = decimal(v);
        if (d == null) {
            return null;
        }
        d = d.stripTrailingZeros();
        return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
    }

    /** A Tryton Decimal as the canonical string, keeping the source's scale exactly. */
    static String money(JsonNode v) {
        BigDecimal d = decimal(v);
        return d == null ? null : d.toPlainString();
    }

    static LocalDate date(JsonNode v) {
        if (v == null || !v.isObject()) {
            return null;
        }
        return LocalDate.of(v.get("year").asInt(), v.get("month").asInt(), v.get("day").asInt());
    }

    /** A Tryton datetime (naive UTC, microseconds) as an Instant. */
    static Instant datetime(JsonNode v) {
        if (v == null || !v.isObject()) {
            return null;
        }
        return LocalDateTime.of(
                        v.get("year").asInt(),
                        v.get("month").asInt(),
                        v.get("day").asInt(),
                        v.path("hour").asInt(),
                        v.path("minute").asInt(),
                        v.path("second").asInt(),
                        v.path("microsecond").asInt() * 1000)
                .toInstant(ZoneOffset.UTC);
    }

    static ObjectNode toDecimal(BigDecimal d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("__class__", "Decimal");
        n.put("decimal", d.toPlainString());
        return n;
    }

    static ObjectNode toDate(LocalDate d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("__class__", "date");
        n.put("year", d.getYear());
        n.put("month", d.getMonthValue());
        n.put("day", d.getDayOfMonth());
        return n;
    }

    static ObjectNode toDatetime(Instant t) {
        LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("__class__", "datetime");
        n.put("year", d.getYear());
        n.put("month", d.getMonthValue());
        n.put("day", d.getDayOfMonth());
        n.put("hour", d.getHour());
        n.put("minute", d.getMinute());
        n.put("second", d.getSecond());
        n.put("microsecond", d.getNano() / 1000);
        return n;
    }

    /** A many2one value (an id, or null/false) as a source id string. */
    static String ref(JsonNode v) {
        return v == null || v.isNull() || v.isBoolean() ? null : v.asText();
    }

    /** Text or null (Tryton sends null or false for empty). */
    static String text(JsonNode v) {
        return v == null || v.isNull() || v.isBoolean() || v.asText().isEmpty() ? null : v.asText();
    }

    /** A boolean that SQLite may return as 1/0. */
    static boolean bool(JsonNode v) {
        return v != null && (v.isBoolean() ? v.asBoolean() : v.asInt() != 0);
    }
}
