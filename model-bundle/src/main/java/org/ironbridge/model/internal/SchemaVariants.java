package org.ironbridge.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Derives the schemas that create and update bodies are validated against from the schema of a
 * served record.
 *
 * <ul>
 *   <li>Create: an object schema's {@code required} becomes its writable required fields plus its
 *       {@code x-required-on-create} fields, and those may not be null; {@code
 *       x-min-items-on-create} becomes {@code minItems}.
 *   <li>Update (PATCH): no {@code required} anywhere.
 * </ul>
 *
 * Read-only fields stay in both, so that sending one is reported as read-only (not as unknown).
 */
final class SchemaVariants {

    static final String REQUIRED_ON_CREATE = "x-required-on-create";
    static final String MIN_ITEMS_ON_CREATE = "x-min-items-on-create";

    private SchemaVariants() {}

    /** The schema for create bodies; {@code record} is not changed. */
    static ObjectNode forCreate(ObjectNode record) {
        ObjectNode copy = record.deepCopy();
        copy.put("$id", copy.path("$id").asText() + ":create");
        toCreate(copy);
        return copy;
    }

    /** The schema for update bodies; {@code record} is not changed. */
    static ObjectNode forUpdate(ObjectNode record) {
        ObjectNode copy = record.deepCopy();
        copy.put("$id", copy.path("$id").asText() + ":update");
        toUpdate(copy);
        return copy;
    }

    private static void toCreate(ObjectNode schema) {
        JsonNode properties = schema.path("properties");
        if (schema.has(MIN_ITEMS_ON_CREATE)) {
            schema.set("minItems", schema.get(MIN_ITEMS_ON_CREATE));
        }
        if (properties.isObject()) {
            Set<String> required = new LinkedHashSet<>();
            for (JsonNode name : schema.path("required")) {
                if (!properties.path(name.asText()).path("readOnly").asBoolean(false)) {
                    required.add(name.asText());
                }
            }
            for (JsonNode name : schema.path(REQUIRED_ON_CREATE)) {
                required.add(name.asText());
            }
            for (String name : required) {
                if (properties.get(name) instanceof ObjectNode property) {
                    notNull(property);
                }
            }
            if (required.isEmpty()) {
                schema.remove("required");
            } else {
                ArrayNode array = schema.putArray("required");
                required.forEach(array::add);
            }
        }
        forEachSubschema(schema, SchemaVariants::toCreate);
    }

    private static void toUpdate(ObjectNode schema) {
        schema.remove("required");
        forEachSubschema(schema, SchemaVariants::toUpdate);
    }

    /** Removes {@code null} from a property schema's {@code type} and {@code enum}. */
    private static void notNull(ObjectNode property) {
        JsonNode type = property.get("type");
        if (type instanceof ArrayNode types) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            types.forEach(
                    t -> {
                        if (!t.asText().equals("null")) {
                            kept.add(t);
                        }
                    });
            property.set("type", kept.size() == 1 ? kept.get(0) : kept);
        }
        if (property.get("enum") instanceof ArrayNode values) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            values.forEach(
                    v -> {
                        if (!v.isNull()) {
                            kept.add(v);
                        }
                    });
            property.set("enum", kept);
        }
    }

    private static void forEachSubschema(
            ObjectNode schema, java.util.function.Consumer<ObjectNode> action) {
        if (schema.get("properties") instanceof ObjectNode properties) {
            for (Map.Entry<String, JsonNode> property : properties.properties()) {
                if (property.getValue() instanceof ObjectNode sub) {
                    action.accept(sub);
                }
            }
        }
        if (schema.get("items") instanceof ObjectNode items) {
            action.accept(items);
        }
    }
}
