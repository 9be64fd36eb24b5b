package ${package}.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.SourceRecord;

/**
 * Maps the source's work orders to canonical work orders (see the Ironbridge model's
 * work-orders.json) and canonical create and update bodies back. Pure functions: the golden-file
 * test feeds it recorded source answers.
 *
 * <p>The source's work order: {@code id} (a number), {@code number}, {@code summary}, {@code
 * details}, {@code state} ({@link #STATUS}), {@code priority} (1 = low … 4 = urgent), {@code
 * due_on}, {@code assignee}, {@code created_at} and {@code updated_at} (RFC 3339, UTC).
 */
final class WorkOrderMapper {
    /** The source's states and the canonical status of each; {@code remote_status} keeps both. */
    static final Map<String, String> STATUS =
            Map.of(
                    "NEW", "requested",
                    "APPROVED", "approved",
                    "IN_PROGRESS", "in_progress",
                    "ON_HOLD", "on_hold",
                    "DONE", "completed",
                    "CLOSED", "closed",
                    "CANCELLED", "cancelled");

    /** Canonical priorities in the order of the source's 1 to 4. */
    private static final List<String> PRIORITIES = List.of("low", "medium", "high", "urgent");

    /** The canonical fields the connector writes, and the source's name for each. */
    private static final Map<String, String> WRITABLE =
            Map.of(
                    "title", "summary",
                    "description", "details",
                    "status", "state",
                    "priority", "priority",
                    "due_date", "due_on",
                    "assigned_to", "assignee");

    /** Canonical fields the source has no value for: present and null, as the model asks. */
    private static final List<String> UNKNOWN =
            List.of(
                    "type",
                    "asset_id",
                    "location_id",
                    "service_request_id",
                    "requested_by",
                    "scheduled_start",
                    "scheduled_end",
                    "started_at",
                    "completed_at");

    private WorkOrderMapper() {}

    /**
     * The canonical record of a source work order.
     *
     * @throws ConnectorException {@code SOURCE_ERROR} when the source answered without an id or
     *     with a malformed timestamp
     */
    static SourceRecord toRecord(JsonNode raw) throws ConnectorException {
        String id = raw.path("id").asText("");
        if (id.isEmpty()) {
            throw ConnectorException.sourceError(
                    ConnectorFactoryComponent.SYSTEM_NAME + " answered a work order without id");
        }
        ObjectNode f = RestClient.JSON.createObjectNode();
        f.put("number", text(raw, "number"));
        f.put("title", raw.path("summary").asText(""));
        f.put("description", text(raw, "details"));
        String state = text(raw, "state");
        f.put("status", state == null ? null : STATUS.get(state));
        f.put("remote_status", state);
        int priority = raw.path("priority").asInt(0);
        f.put(
                "priority",
                priority >= 1 && priority <= PRIORITIES.size()
                        ? PRIORITIES.get(priority - 1)
                        : null);
        f.put("assigned_to", text(raw, "assignee"));
        f.put("due_date", text(raw, "due_on"));
        UNKNOWN.forEach(f::putNull);
        f.putArray("tasks");
        f.putArray("labor");
        f.putArray("parts");
        f.putObject("custom_fields");
        return new SourceRecord(
                id, instant(raw, id, "created_at"), instant(raw, id, "updated_at"), f, raw);
    }

    /**
     * The source's body for a canonical create or update body (fields that passed the model's
     * validation, so types and enum values are right).
     *
     * @throws ConnectorException {@code VALIDATION_FAILED} with one field error per field the
     *     source cannot take
     */
    static ObjectNode toSource(ObjectNode canonical) throws ConnectorException {
        ObjectNode body = RestClient.JSON.createObjectNode();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : canonical.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String target = WRITABLE.get(name);
            if (target == null) {
                errors.add(new FieldError(name, "cannot be written to " + system()));
            } else if (value.isNull()) {
                body.putNull(target);
            } else if (name.equals("status")) {
                String state = stateOf(value.asText());
                if (state == null) {
                    errors.add(
                            new FieldError(
                                    name, value.asText() + " does not exist in " + system()));
                } else {
                    body.put(target, state);
                }
            } else if (name.equals("priority")) {
                body.put(target, PRIORITIES.indexOf(value.asText()) + 1);
            } else {
                body.set(target, value);
            }
        }
        if (!errors.isEmpty()) {
            throw ConnectorException.validationFailed(
                    "The work order cannot be written to " + system(), errors);
        }
        return body;
    }

    /**
     * A {@code VALIDATION_FAILED} failure with the source's field names replaced by the canonical
     * ones, so that the API client sees the fields it sent; other failures unchanged.
     */
    static ConnectorException canonicalFieldNames(ConnectorException e) {
        if (e.kind() != ConnectorException.Kind.VALIDATION_FAILED) {
            return e;
        }
        List<FieldError> errors = new ArrayList<>();
        for (FieldError error : e.fieldErrors()) {
            String canonical =
                    WRITABLE.entrySet().stream()
                            .filter(w -> w.getValue().equals(error.field()))
                            .map(Map.Entry::getKey)
                            .findFirst()
                            .orElse(error.field());
            errors.add(new FieldError(canonical, error.message()));
        }
        return new ConnectorException(e.kind(), e.getMessage(), null, errors, e);
    }

    private static String stateOf(String status) {
        return STATUS.entrySet().stream()
                .filter(s -> s.getValue().equals(status))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    private static String text(JsonNode raw, String field) {
        JsonNode v = raw.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode raw, String id, String field)
            throws ConnectorException {
        String v = text(raw, field);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ConnectorException.sourceError(
                    system() + " answered work order " + id + " with " + field + " " + v);
        }
    }

    private static String system() {
        return ConnectorFactoryComponent.SYSTEM_NAME;
    }
}
