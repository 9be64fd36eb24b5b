package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Reference;

/**
 * The canonical form of records: builds the stored JSON from a connector's {@link SourceRecord}
 * (with reference fields translated from source ids to Ironbridge ids), its content hash and its
 * filter values. Thread-safe; caches what it derives from the model.
 */
final class Canonical {
    /** The fields every record has, in the order records show them. */
    static final Set<String> COMMON =
            Set.of(
                    "id",
                    "remote_id",
                    "created_at",
                    "updated_at",
                    "deleted_at",
                    "custom_fields",
                    "remote_data");

    private static final List<String> SCALAR_FILTERS = List.of("status", "number", "code");

    private final CanonicalModel model;
    private final Map<EntityType, List<Reference>> references = new EnumMap<>(EntityType.class);
    private final Map<EntityType, Set<String>> filterable = new EnumMap<>(EntityType.class);

    Canonical(CanonicalModel model) {
        this.model = model;
        for (EntityType t : model.entityTypes()) {
            List<Reference> refs = model.references(t);
            references.put(t, refs);
            Set<String> f = new LinkedHashSet<>();
            f.add("remote_id");
            JsonNode props = model.schema(t).path("properties");
            for (String s : SCALAR_FILTERS) {
                if (props.has(s)) {
                    f.add(s);
                }
            }
            for (Reference r : refs) {
                if (!r.path().contains(".") && !r.inArray()) {
                    f.add(r.path());
                }
            }
            filterable.put(t, Collections.unmodifiableSet(f));
        }
    }

    CanonicalModel model() {
        return model;
    }

    List<Reference> references(EntityType type) {
        List<Reference> r = references.get(type);
        return r == null ? List.of() : r;
    }

    Set<String> filterable(EntityType type) {
        Set<String> f = filterable.get(type);
        return f == null ? Set.of("remote_id") : f;
    }

    /** A record built for the store. */
    record Built(ObjectNode data, String json, String hash, Map<String, String> filters) {}

    /**
     * Builds the canonical record of a source record.
     *
     * @param createdAt the creation time to show (the source's, or a fallback)
     * @param updatedAt the update time to show; not part of the content hash
     */
    Built build(
            String connectionId,
            EntityType type,
            SourceRecord source,
            Instant createdAt,
            Instant updatedAt,
            Instant deletedAt) {
        ObjectNode out = Json.NODES.objectNode();
        out.put("id", RecordIds.of(connectionId, type, source.remoteId()));
        out.put("remote_id", source.remoteId());
        out.put("created_at", Json.time(createdAt));
        out.putNull("updated_at"); // set after hashing
        if (deletedAt == null) {
            out.putNull("deleted_at");
        } else {
            out.put("deleted_at", Json.time(deletedAt));
        }
        JsonNode custom = source.fields().get("custom_fields");
        out.set(
                "custom_fields",
                custom instanceof ObjectNode o ? o.deepCopy() : Json.NODES.objectNode());
        for (Map.Entry<String, JsonNode> f : source.fields().properties()) {
            if (!COMMON.contains(f.getKey())) {
                out.set(
                        f.getKey(),
                        f.getValue() == null ? NullNode.getInstance() : f.getValue().deepCopy());
            }
        }
        for (Reference r : references(type)) {
            replace(
                    out,
                    segments(r.path()),
                    0,
                    "",
                    (path, value) ->
                            value.isTextual() || value.isNumber()
                                    ? TextNode.valueOf(
                                            RecordIds.of(connectionId, r.target(), value.asText()))
                                    : value);
        }
        return seal(type, out, updatedAt);
    }

    /**
     * Finishes a record: hashes it without {@code updated_at}, then sets {@code updated_at}, and
     * extracts its filter values.
     */
    Built seal(EntityType type, ObjectNode record, Instant updatedAt) {
        record.putNull("updated_at");
        String hash = sha256(Json.write(record));
        record.put("updated_at", Json.time(updatedAt));
        Map<String, String> filters = new LinkedHashMap<>();
        for (String f : filterable(type)) {
            JsonNode v = record.get(f);
            if (v != null && (v.isTextual() || v.isNumber() || v.isBoolean())) {
                filters.put(f, v.asText());
            }
        }
        return new Built(record, Json.write(record), hash, filters);
    }

    /** A reference value found in a body: where, and the id it holds. */
    record Found(String path, EntityType target, String id) {}

    /** The reference values (Ironbridge ids) of a write body, with their concrete paths. */
    List<Found> referencesIn(EntityType type, ObjectNode body) {
        List<Found> found = new ArrayList<>();
        for (Reference r : references(type)) {
            replace(
                    body,
                    segments(r.path()),
                    0,
                    "",
                    (path, value) -> {
                        if (value.isTextual()) {
                            found.add(new Found(path, r.target(), value.asText()));
                        }
                        return value;
                    });
        }
        return found;
    }

    /** Replaces the reference values of a body (Ironbridge ids) by the given remote ids. */
    void toRemote(EntityType type, ObjectNode body, Map<String, String> remoteByPath) {
        for (Reference r : references(type)) {
            replace(
                    body,
                    segments(r.path()),
                    0,
                    "",
                    (path, value) -> {
                        String remote = remoteByPath.get(path);
                        return remote == null ? value : TextNode.valueOf(remote);
                    });
        }
    }

    @FunctionalInterface
    interface Replacer {
        JsonNode apply(String concretePath, JsonNode value);
    }

    private static List<String> segments(String path) {
        return List.of(path.split("\\."));
    }

    /** Walks a reference path ({@code lines[].item_id}) and replaces each non-null value. */
    private static void replace(
            ObjectNode node, List<String> segments, int i, String prefix, Replacer replacer) {
        String seg = segments.get(i);
        boolean array = seg.endsWith("[]");
        String name = array ? seg.substring(0, seg.length() - 2) : seg;
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            return;
        }
        String here = prefix.isEmpty() ? name : prefix + "." + name;
        boolean last = i == segments.size() - 1;
        if (array) {
            if (!(child instanceof ArrayNode arr)) {
                return;
            }
            for (int k = 0; k < arr.size(); k++) {
                String at = here + "[" + k + "]";
                JsonNode el = arr.get(k);
                if (last) {
                    if (el != null && !el.isNull()) {
                        arr.set(k, replacer.apply(at, el));
                    }
                } else if (el instanceof ObjectNode o) {
                    replace(o, segments, i + 1, at, replacer);
                }
            }
        } else if (last) {
            node.set(name, replacer.apply(here, child));
        } else if (child instanceof ObjectNode o) {
            replace(o, segments, i + 1, here, replacer);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Words for "no such …" messages: {@code stock_level} → {@code stock level}. */
    static String words(EntityType type) {
        return type.singular().replace('_', ' ');
    }
}
