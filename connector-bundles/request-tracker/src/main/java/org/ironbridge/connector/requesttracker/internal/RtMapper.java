package org.ironbridge.connector.requesttracker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * REST2 search results (as requested with {@link #fieldParams}) to canonical records, and the
 * status and priority vocabularies in both directions. Pure functions: the golden-file tests feed
 * it recorded responses.
 */
final class RtMapper {
    private RtMapper() {}

    /** RT's "not set" date. */
    private static final String UNSET = "1970-01-01T00:00:00Z";

    /** How RT stores and compares dates: UTC, whole seconds. */
    static final DateTimeFormatter RT_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    static final String TICKET_FIELDS =
            "Subject,Status,Priority,Queue,Owner,Requestor,Created,LastUpdated,Due,Starts,Started,"
                    + "Resolved,TimeEstimated,TimeWorked,TimeLeft,_hyperlinks";
    static final String ASSET_FIELDS =
            "Name,Description,Status,Catalog,Owner,HeldBy,Contact,Created,LastUpdated";

    /** The {@code fields} parameters of a search, nested ones included, for the entity. */
    static List<Map.Entry<String, String>> fieldParams(EntityType type) {
        if (type == EntityType.ASSETS) {
            return List.of(
                    Map.entry("fields", ASSET_FIELDS),
                    Map.entry("fields[Catalog]", "Name"),
                    Map.entry("fields[Owner]", "Name"),
                    Map.entry("fields[HeldBy]", "Name,EmailAddress"),
                    Map.entry("fields[Contact]", "Name,EmailAddress"));
        }
        return List.of(
                Map.entry("fields", TICKET_FIELDS),
                Map.entry("fields[Queue]", "Name"),
                Map.entry("fields[Owner]", "Name"),
                Map.entry("fields[Requestor]", "Name,EmailAddress"));
    }

    // ---- statuses and priorities --------------------------------------------------------------

    /** RT's default ticket lifecycle to canonical work-order statuses. */
    static String workOrderStatus(String rt) {
        return switch (rt) {
            case "new" -> "requested";
            case "open" -> "in_progress";
            case "stalled" -> "on_hold";
            case "resolved" -> "completed";
            case "rejected", "deleted" -> "cancelled";
            default -> "in_progress"; // a status of a custom lifecycle: remote_status tells
        };
    }

    /** Canonical work-order status to the RT status it is written as. */
    static String rtWorkOrderStatus(String canonical) {
        return switch (canonical) {
            case "requested" -> "new";
            case "approved", "scheduled", "in_progress" -> "open";
            case "on_hold" -> "stalled";
            case "completed", "closed" -> "resolved";
            case "cancelled" -> "rejected";
            default -> throw new IllegalArgumentException(canonical);
        };
    }

    /** RT's default ticket lifecycle to canonical service-request statuses. */
    static String serviceRequestStatus(String rt) {
        return switch (rt) {
            case "new" -> "open";
            case "open", "stalled" -> "in_progress";
            case "resolved" -> "resolved";
            case "rejected", "deleted" -> "cancelled";
            default -> "in_progress";
        };
    }

    /** The RT asset statuses that count as active (RT's default assets lifecycle). */
    static final Set<String> ACTIVE_ASSET = Set.of("new", "allocated", "in-use");

    /** RT's default assets lifecycle to canonical asset statuses. */
    static String assetStatus(String rt) {
        return switch (rt) {
            case "new", "allocated", "in-use" -> "active";
            case "stolen" -> "inactive";
            case "recycled", "deleted" -> "decommissioned";
            default -> "active";
        };
    }

    /** RT priorities (RT 5: Low 0, Medium 50, High 100) to canonical priorities. */
    static String priority(long p) {
        if (p < 25) {
            return "low";
        }
        if (p < 75) {
            return "medium";
        }
        return p <= 100 ? "high" : "urgent";
    }

    /** Canonical priority to the RT priority it is written as. */
    static int rtPriority(String canonical) {
        return switch (canonical) {
            case "low" -> 0;
            case "medium" -> 50;
            case "high" -> 100;
            case "urgent" -> 120;
            default -> throw new IllegalArgumentException(canonical);
        };
    }

    // ---- records ------------------------------------------------------------------------------

    /** Maps one search result item of the entity's kind. */
    static SourceRecord map(EntityType type, JsonNode item) {
        return switch (type) {
            case ASSETS -> asset(item);
            case WORK_ORDERS -> workOrder(item);
            case SERVICE_REQUESTS -> serviceRequest(item);
            default -> throw new IllegalArgumentException(type.collection());
        };
    }

    static SourceRecord asset(JsonNode a) {
        ObjectNode f = RtClient.MAPPER.createObjectNode();
        f.put("name", a.path("Name").asText(""));
        putText(f, "description", a.path("Description").asText(""));
        String status = a.path("Status").asText("");
        f.put("status", assetStatus(status));
        f.put("remote_status", status);
        putText(f, "category", a.path("Catalog").path("Name").asText(""));
        ObjectNode custom = f.putObject("custom_fields");
        String owner = user(a.path("Owner"));
        if (owner != null) {
            custom.put("owner", owner);
        }
        putUsers(custom, "held_by", a.path("HeldBy"));
        putUsers(custom, "contacts", a.path("Contact"));
        return record(a, f);
    }

    static SourceRecord workOrder(JsonNode t) {
        ObjectNode f = ticket(t);
        String status = t.path("Status").asText("");
        f.put("status", workOrderStatus(status));
        f.put("remote_status", status);
        putText(f, "assigned_to", user(t.path("Owner")));
        putInstant(f, "scheduled_start", t.path("Starts"));
        putInstant(f, "started_at", t.path("Started"));
        putInstant(f, "completed_at", t.path("Resolved"));
        Instant due = instant(t.path("Due"));
        if (due != null) {
            f.put("due_date", LocalDate.ofInstant(due, ZoneOffset.UTC).toString());
        }
        ObjectNode custom = (ObjectNode) f.get("custom_fields");
        if (due != null) {
            custom.put("due_at", due.toString());
        }
        for (String[] m :
                new String[][] {
                    {"TimeEstimated", "time_estimated_minutes"},
                    {"TimeWorked", "time_worked_minutes"},
                    {"TimeLeft", "time_left_minutes"}
                }) {
            long minutes = t.path(m[0]).asLong(0);
            if (minutes != 0) {
                custom.put(m[1], minutes);
            }
        }
        return record(t, f);
    }

    static SourceRecord serviceRequest(JsonNode t) {
        ObjectNode f = ticket(t);
        String status = t.path("Status").asText("");
        f.put("status", serviceRequestStatus(status));
        f.put("remote_status", status);
        putInstant(f, "reported_at", t.path("Created"));
        ObjectNode custom = (ObjectNode) f.get("custom_fields");
        String owner = user(t.path("Owner"));
        if (owner != null) {
            custom.put("owner", owner);
        }
        return record(t, f);
    }

    /** What work orders and service requests share. */
    private static ObjectNode ticket(JsonNode t) {
        ObjectNode f = RtClient.MAPPER.createObjectNode();
        f.put("number", t.path("id").asText());
        f.put("title", t.path("Subject").asText(""));
        f.put("priority", priority(t.path("Priority").asLong(0)));
        String asset = assetId(t);
        if (asset != null) {
            f.put("asset_id", asset);
        }
        JsonNode requestors = t.path("Requestor");
        if (requestors.isArray() && !requestors.isEmpty()) {
            JsonNode r = requestors.get(0);
            String email = r.path("EmailAddress").asText("");
            f.put("requested_by", email.isEmpty() ? r.path("id").asText() : email);
        }
        ObjectNode custom = f.putObject("custom_fields");
        putText(custom, "queue", t.path("Queue").path("Name").asText(""));
        custom.put("priority_value", t.path("Priority").asLong(0));
        return f;
    }

    /** The id of the first asset the ticket refers to ({@code RefersTo asset:N}), or null. */
    static String assetId(JsonNode ticket) {
        for (JsonNode h : ticket.path("_hyperlinks")) {
            if ("refers-to".equals(h.path("ref").asText())
                    && "asset".equals(h.path("type").asText())) {
                return h.path("id").asText();
            }
        }
        return null;
    }

    /** Every asset id the ticket refers to. */
    static List<String> assetIds(JsonNode ticket) {
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode h : ticket.path("_hyperlinks")) {
            if ("refers-to".equals(h.path("ref").asText())
                    && "asset".equals(h.path("type").asText())) {
                ids.add(h.path("id").asText());
            }
        }
        return ids;
    }

    private static SourceRecord record(JsonNode raw, ObjectNode fields) {
        return new SourceRecord(
                raw.path("id").asText(),
                instant(raw.path("Created")),
                instant(raw.path("LastUpdated")),
                fields,
                raw);
    }

    /** A user reference's name, or null for RT's "Nobody". */
    private static String user(JsonNode u) {
        String name = u.path("Name").asText(u.path("id").asText(""));
        return name.isEmpty() || name.equals("Nobody") ? null : name;
    }

    private static void putUsers(ObjectNode target, String field, JsonNode users) {
        if (users.isArray() && !users.isEmpty()) {
            var arr = target.putArray(field);
            users.forEach(u -> arr.add(u.path("Name").asText(u.path("id").asText())));
        }
    }

    private static void putText(ObjectNode f, String field, String value) {
        if (value != null && !value.isEmpty()) {
            f.put(field, value);
        }
    }

    private static void putInstant(ObjectNode f, String field, JsonNode v) {
        Instant i = instant(v);
        if (i != null) {
            f.put(field, i.toString());
        }
    }

    /** An RT REST2 timestamp ({@code 2026-11-22T08:47:31Z}, always UTC); null when not set. */
    static Instant instant(JsonNode v) {
        if (v == null || !v.isTextual() || v.asText().isEmpty() || UNSET.equals(v.asText())) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An instant as RT's SQL datetime text, truncated to the second. */
    static String rtDatetime(Instant i) {
        return RT_DATETIME.format(i.truncatedTo(ChronoUnit.SECONDS));
    }
}
