package org.ironbridge.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Reference;

/** Finds the reference fields ({@code x-reference}) of a schema. */
final class References {

    /** The schema keyword naming the collection a field refers to. */
    static final String KEYWORD = "x-reference";

    private References() {}

    /** The reference fields of a schema, in schema order. */
    static List<Reference> of(JsonNode schema) {
        List<Reference> references = new ArrayList<>();
        collect(schema, "", references);
        return List.copyOf(references);
    }

    private static void collect(JsonNode schema, String prefix, List<Reference> out) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String path = prefix + property.getKey();
            JsonNode sub = property.getValue();
            if (sub.has(KEYWORD)) {
                String collection = sub.get(KEYWORD).asText();
                EntityType target =
                        EntityType.ofCollection(collection)
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        path
                                                                + " refers to unknown collection "
                                                                + collection));
                out.add(new Reference(path, target));
            }
            if (sub.path("items").isObject()) {
                collect(sub.get("items"), path + "[].", out);
            }
            if (sub.path("properties").isObject()) {
                collect(sub, path + ".", out);
            }
        }
    }
}
