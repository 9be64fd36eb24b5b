package org.ironbridge.connector.sandbox.internal;

import static org.ironbridge.model.EntityType.ASSETS;
import static org.ironbridge.model.EntityType.ITEMS;
import static org.ironbridge.model.EntityType.LOCATIONS;
import static org.ironbridge.model.EntityType.PURCHASE_ORDERS;
import static org.ironbridge.model.EntityType.SERVICE_REQUESTS;
import static org.ironbridge.model.EntityType.STOCK_LEVELS;
import static org.ironbridge.model.EntityType.VENDORS;
import static org.ironbridge.model.EntityType.WORK_ORDERS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.model.EntityType;

/**
 * The canonical fields of each entity (MODEL.md), in order: used to give every record the same
 * shape and to validate create and update bodies.
 */
final class Schema {

    /** How a field's value is checked and normalized. */
    enum Kind {
        TEXT,
        CURRENCY,
        ENUM,
        DECIMAL,
        POSITIVE_DECIMAL,
        INTEGER,
        DATE,
        TIMESTAMP,
        REF,
        OBJECT,
        ARRAY,
        CUSTOM,
        READ_ONLY
    }

    /** One canonical field. */
    record Field(
            String name,
            Kind kind,
            boolean required,
            List<String> values,
            EntityType ref,
            List<Field> children) {}

    /** Whether a record with the given source id exists (and is not deleted). */
    interface References {
        boolean exists(EntityType entity, String remoteId);
    }

    /** Fields common to every record; a write may not set them. */
    static final Set<String> COMMON_READ_ONLY =
            Set.of("id", "remote_id", "created_at", "updated_at", "deleted_at", "remote_data");

    private static final Map<EntityType, List<Field>> FIELDS = new EnumMap<>(EntityType.class);

    private static final List<Field> ADDRESS =
            List.of(
                    text("street"),
                    text("city"),
                    text("postal_code"),
                    text("state"),
                    text("country"));

    static {
        FIELDS.put(
                VENDORS,
                List.of(
                        required(text("name")),
                        text("code"),
                        status(VENDORS),
                        text("tax_id"),
                        field("currency", Kind.CURRENCY),
                        text("email"),
                        text("phone"),
                        text("website"),
                        text("payment_terms"),
                        object("address", ADDRESS),
                        text("notes"),
                        custom()));
        FIELDS.put(
                ITEMS,
                List.of(
                        required(text("name")),
                        text("code"),
                        text("description"),
                        enumOf("type", "material", "part", "product", "service", "tool"),
                        text("unit"),
                        decimal("unit_cost"),
                        field("currency", Kind.CURRENCY),
                        status(ITEMS),
                        text("category"),
                        ref("vendor_id", VENDORS),
                        custom()));
        FIELDS.put(
                LOCATIONS,
                List.of(
                        required(text("name")),
                        text("code"),
                        required(
                                enumOf(
                                        "type",
                                        "site",
                                        "warehouse",
                                        "storeroom",
                                        "functional_location",
                                        "area",
                                        "bin")),
                        ref("parent_id", LOCATIONS),
                        status(LOCATIONS),
                        object("address", ADDRESS),
                        custom()));
        FIELDS.put(
                STOCK_LEVELS,
                List.of(
                        required(ref("item_id", ITEMS)),
                        required(ref("location_id", LOCATIONS)),
                        required(decimal("quantity_on_hand")),
                        decimal("quantity_reserved"),
                        decimal("quantity_available"),
                        decimal("quantity_on_order"),
                        decimal("reorder_point"),
                        text("unit"),
                        custom()));
        FIELDS.put(
                ASSETS,
                List.of(
                        required(text("name")),
                        text("code"),
                        text("description"),
                        status(ASSETS),
                        field("remote_status", Kind.READ_ONLY),
                        text("category"),
                        text("manufacturer"),
                        text("model"),
                        text("serial_number"),
                        enumOf("criticality", "low", "medium", "high"),
                        ref("location_id", LOCATIONS),
                        ref("parent_id", ASSETS),
                        field("install_date", Kind.DATE),
                        decimal("purchase_cost"),
                        field("currency", Kind.CURRENCY),
                        custom()));
        FIELDS.put(
                WORK_ORDERS,
                List.of(
                        text("number"),
                        required(text("title")),
                        text("description"),
                        status(WORK_ORDERS),
                        field("remote_status", Kind.READ_ONLY),
                        enumOf("priority", Generator.PRIORITIES),
                        enumOf("type", Generator.WO_TYPES),
                        ref("asset_id", ASSETS),
                        ref("location_id", LOCATIONS),
                        ref("service_request_id", SERVICE_REQUESTS),
                        text("assigned_to"),
                        text("requested_by"),
                        field("scheduled_start", Kind.TIMESTAMP),
                        field("scheduled_end", Kind.TIMESTAMP),
                        field("started_at", Kind.TIMESTAMP),
                        field("completed_at", Kind.TIMESTAMP),
                        field("due_date", Kind.DATE),
                        array(
                                "tasks",
                                List.of(
                                        field("sequence", Kind.INTEGER),
                                        text("description"),
                                        enumOf("status", "open", "done", "skipped"),
                                        decimal("estimated_hours"),
                                        decimal("actual_hours"))),
                        array(
                                "labor",
                                List.of(
                                        text("worker_name"),
                                        text("craft"),
                                        field("date", Kind.DATE),
                                        decimal("hours"),
                                        decimal("rate"),
                                        decimal("cost"))),
                        array(
                                "parts",
                                List.of(
                                        ref("item_id", ITEMS),
                                        text("description"),
                                        decimal("quantity"),
                                        text("unit"),
                                        decimal("unit_cost"),
                                        ref("location_id", LOCATIONS))),
                        custom()));
        FIELDS.put(
                SERVICE_REQUESTS,
                List.of(
                        text("number"),
                        required(text("title")),
                        text("description"),
                        status(SERVICE_REQUESTS),
                        field("remote_status", Kind.READ_ONLY),
                        enumOf("priority", Generator.PRIORITIES),
                        ref("asset_id", ASSETS),
                        ref("location_id", LOCATIONS),
                        text("requested_by"),
                        field("reported_at", Kind.TIMESTAMP),
                        ref("work_order_id", WORK_ORDERS),
                        custom()));
        FIELDS.put(
                PURCHASE_ORDERS,
                List.of(
                        text("number"),
                        required(ref("vendor_id", VENDORS)),
                        status(PURCHASE_ORDERS),
                        field("remote_status", Kind.READ_ONLY),
                        field("order_date", Kind.DATE),
                        field("expected_date", Kind.DATE),
                        field("currency", Kind.CURRENCY),
                        decimal("total_net"),
                        decimal("total_tax"),
                        decimal("total_gross"),
                        text("notes"),
                        required(
                                array(
                                        "lines",
                                        List.of(
                                                field("line_number", Kind.INTEGER),
                                                ref("item_id", ITEMS),
                                                text("description"),
                                                required(field("quantity", Kind.POSITIVE_DECIMAL)),
                                                decimal("received_quantity"),
                                                text("unit"),
                                                required(decimal("unit_price")),
                                                decimal("line_total"),
                                                ref("location_id", LOCATIONS)))),
                        custom()));
    }

    private Schema() {}

    static List<Field> fields(EntityType entity) {
        return FIELDS.get(entity);
    }

    private static Field field(String name, Kind kind) {
        return new Field(name, kind, false, List.of(), null, List.of());
    }

    private static Field text(String name) {
        return field(name, Kind.TEXT);
    }

    private static Field decimal(String name) {
        return field(name, Kind.DECIMAL);
    }

    private static Field enumOf(String name, String... values) {
        return new Field(name, Kind.ENUM, false, List.of(values), null, List.of());
    }

    private static Field status(EntityType entity) {
        return new Field("status", Kind.ENUM, false, Statuses.values(entity), null, List.of());
    }

    private static Field ref(String name, EntityType target) {
        return new Field(name, Kind.REF, false, List.of(), target, List.of());
    }

    private static Field object(String name, List<Field> children) {
        return new Field(name, Kind.OBJECT, false, List.of(), null, children);
    }

    private static Field array(String name, List<Field> children) {
        return new Field(name, Kind.ARRAY, false, List.of(), null, children);
    }

    private static Field custom() {
        return field("custom_fields", Kind.CUSTOM);
    }

    private static Field required(Field f) {
        return new Field(f.name(), f.kind(), true, f.values(), f.ref(), f.children());
    }

    // ---------------------------------------------------------------- shape

    /**
     * The record with exactly the entity's fields, in order: absent values become null, absent
     * arrays empty, absent {@code custom_fields} an empty object.
     */
    static ObjectNode shape(EntityType entity, ObjectNode fields) {
        return shape(FIELDS.get(entity), fields);
    }

    private static ObjectNode shape(List<Field> spec, JsonNode in) {
        ObjectNode out = Json.object();
        for (Field f : spec) {
            JsonNode v = in == null ? null : in.get(f.name());
            switch (f.kind()) {
                case ARRAY -> {
                    ArrayNode a = out.putArray(f.name());
                    if (v != null && v.isArray()) {
                        for (JsonNode el : v) {
                            a.add(shape(f.children(), el));
                        }
                    }
                }
                case OBJECT ->
                        out.set(
                                f.name(),
                                v != null && v.isObject()
                                        ? shape(f.children(), v)
                                        : NullNode.getInstance());
                case CUSTOM ->
                        out.set(f.name(), v != null && v.isObject() ? v.deepCopy() : Json.object());
                default -> out.set(f.name(), v == null ? NullNode.getInstance() : v.deepCopy());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks a create or update body and returns it normalized (decimals as plain decimal strings,
     * timestamps in UTC); problems are added to {@code errors} with their field paths.
     */
    static ObjectNode validate(
            EntityType entity,
            ObjectNode input,
            boolean create,
            References refs,
            List<FieldError> errors) {
        return validateObject(FIELDS.get(entity), input, "", create, refs, errors, true);
    }

    private static ObjectNode validateObject(
            List<Field> spec,
            JsonNode input,
            String prefix,
            boolean requireAll,
            References refs,
            List<FieldError> errors,
            boolean topLevel) {
        ObjectNode out = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = input.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            Field f = find(spec, e.getKey());
            if (f == null) {
                errors.add(
                        new FieldError(
                                path,
                                topLevel && COMMON_READ_ONLY.contains(e.getKey())
                                        ? "is read-only"
                                        : "unknown field"));
                continue;
            }
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) {
                if (f.required()) {
                    errors.add(new FieldError(path, "is required"));
                } else if (f.kind() == Kind.READ_ONLY) {
                    errors.add(new FieldError(path, "is read-only"));
                } else {
                    out.putNull(f.name());
                }
                continue;
            }
            JsonNode n = value(f, v, path, refs, errors);
            if (n != null) {
                out.set(f.name(), n);
            }
        }
        if (requireAll) {
            for (Field f : spec) {
                if (f.required() && !input.has(f.name())) {
                    errors.add(new FieldError(prefix + f.name(), "is required"));
                }
            }
        }
        return out;
    }

    private static Field find(List<Field> spec, String name) {
        for (Field f : spec) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The normalized value, or null after adding an error. */
    private static JsonNode value(
            Field f, JsonNode v, String path, References refs, List<FieldError> errors) {
        switch (f.kind()) {
            case READ_ONLY -> {
                errors.add(new FieldError(path, "is read-only"));
                return null;
            }
            case TEXT -> {
                if (!v.isTextual()) {
                    errors.add(new FieldError(path, "must be a string"));
                    return null;
                }
                return v;
            }
            case CURRENCY -> {
                if (!v.isTextual() || !v.asText().matches("[A-Z]{3}")) {
                    errors.add(new FieldError(path, "must be a 3-letter ISO 4217 currency code"));
                    return null;
                }
                return v;
            }
            case ENUM -> {
                if (!v.isTextual() || !f.values().contains(v.asText())) {
                    errors.add(
                            new FieldError(
                                    path, "must be one of: " + String.join(", ", f.values())));
                    return null;
                }
                return v;
            }
            case DECIMAL, POSITIVE_DECIMAL -> {
                BigDecimal d;
                try {
                    d = v.isNumber() || v.isTextual() ? Json.dec(v) : null;
                } catch (NumberFormatException e) {
                    d = null;
                }
                if (d == null) {
                    errors.add(new FieldError(path, "must be a decimal string"));
                    return null;
                }
                if (f.kind() == Kind.POSITIVE_DECIMAL && d.signum() <= 0) {
                    errors.add(new FieldError(path, "must be > 0"));
                    return null;
                }
                if (d.signum() < 0) {
                    errors.add(new FieldError(path, "must be >= 0"));
                    return null;
                }
                return Json.NODES.textNode(d.toPlainString());
            }
            case INTEGER -> {
                if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
                    errors.add(new FieldError(path, "must be an integer >= 1"));
                    return null;
                }
                return v;
            }
            case DATE -> {
                try {
                    if (!v.isTextual()) {
                        throw new DateTimeParseException("not text", "", 0);
                    }
                    return Json.NODES.textNode(LocalDate.parse(v.asText()).toString());
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError(path, "must be a date YYYY-MM-DD"));
                    return null;
                }
            }
            case TIMESTAMP -> {
                try {
                    if (!v.isTextual()) {
                        throw new DateTimeParseException("not text", "", 0);
                    }
                    return Json.NODES.textNode(
                            Json.ts(OffsetDateTime.parse(v.asText()).toInstant()));
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError(path, "must be an RFC 3339 timestamp"));
                    return null;
                }
            }
            case REF -> {
                if (!v.isTextual()) {
                    errors.add(new FieldError(path, "must be a string"));
                    return null;
                }
                if (!refs.exists(f.ref(), v.asText())) {
                    errors.add(
                            new FieldError(
                                    path,
                                    "no such "
                                            + f.ref().singular().replace('_', ' ')
                                            + " "
                                            + v.asText()));
                    return null;
                }
                return v;
            }
            case OBJECT -> {
                if (!v.isObject()) {
                    errors.add(new FieldError(path, "must be an object"));
                    return null;
                }
                return validateObject(f.children(), v, path + ".", false, refs, errors, false);
            }
            case ARRAY -> {
                if (!v.isArray()) {
                    errors.add(new FieldError(path, "must be an array"));
                    return null;
                }
                if (f.required() && v.isEmpty()) {
                    errors.add(new FieldError(path, "must have at least one element"));
                    return null;
                }
                ArrayNode out = Json.array();
                int i = 0;
                for (JsonNode el : v) {
                    String p = path + "[" + i++ + "]";
                    if (!el.isObject()) {
                        errors.add(new FieldError(p, "must be an object"));
                        continue;
                    }
                    out.add(validateObject(f.children(), el, p + ".", true, refs, errors, false));
                }
                return out;
            }
            case CUSTOM -> {
                if (!v.isObject()) {
                    errors.add(new FieldError(path, "must be an object"));
                    return null;
                }
                return v.deepCopy();
            }
        }
        return null;
    }

    /** Paths of errors, for messages. */
    static String summary(List<FieldError> errors) {
        List<String> parts = new ArrayList<>();
        for (FieldError e : errors) {
            parts.add(e.field() + " " + e.message());
            if (parts.size() == 3) {
                break;
            }
        }
        return String.join("; ", parts) + (errors.size() > 3 ? "; …" : "");
    }
}
