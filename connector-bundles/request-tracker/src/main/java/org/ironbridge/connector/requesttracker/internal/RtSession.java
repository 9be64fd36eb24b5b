package org.ironbridge.connector.requesttracker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * One connection to a Request Tracker 5 instance over REST2.
 *
 * <p><b>Reads.</b> Every read is one search ({@code GET /tickets} with TicketSQL, {@code GET
 * /assets} with AssetSQL) ordered by {@code LastUpdated, id}, with the nested fields the mapping
 * needs, so a page costs one call. {@link #get} is the same search restricted to one id, so a live
 * read and a synced record have exactly the same shape.
 *
 * <p><b>Time zones.</b> RT parses a date literal in TicketSQL ({@code LastUpdated > '2026-11-22
 * 10:00:00'}) in the <em>time zone of the RT user</em> (their preference, else the server's {@code
 * $Timezone}), and ignores a zone suffix; REST2 itself answers in UTC. Neither zone is visible
 * through REST2. The connector therefore compares {@code LastUpdated.DateTime}, the SQL function
 * over the stored UTC value, which RT leaves unconverted (unless {@code $ChartsTimezonesInDB} is
 * set on MySQL/PostgreSQL): the comparison is exact in UTC whatever the zones.
 *
 * <p><b>Incremental reads.</b> {@code LastUpdated} has whole seconds and many records share one, so
 * the cursor is {@code (LastUpdated, id)} of the last record returned and the next page asks for
 * {@code LastUpdated > T OR (LastUpdated = T AND id > N)}: nothing is returned twice within a sync
 * and nothing is skipped. The runtime moves a finished sync's watermark back by its overlap window
 * (which clears the id), and the next sync asks for {@code LastUpdated >= T}; records seen again
 * then are skipped by the runtime's content hash. Records are de-duplicated by id within a page.
 *
 * <p><b>Deletions.</b> RT never returns deleted tickets or assets from a search, so the sync cannot
 * see them: the runtime's id-set reconciliation finds them.
 */
final class RtSession extends ConnectorSession {
    /** REST2 serves at most this many records per page. */
    static final int MAX_PAGE = 100;

    private static final Set<String> WORK_ORDER_CREATE =
            Set.of(
                    "title",
                    "description",
                    "status",
                    "priority",
                    "due_date",
                    "scheduled_start",
                    "assigned_to",
                    "requested_by",
                    "asset_id");
    private static final Set<String> WORK_ORDER_UPDATE =
            Set.of(
                    "title",
                    "status",
                    "priority",
                    "due_date",
                    "scheduled_start",
                    "assigned_to",
                    "requested_by",
                    "asset_id");
    private static final Set<String> ASSET_WRITABLE =
            Set.of("name", "description", "status", "category");

    private final RtClient client;
    private final RtSettings settings;

    RtSession(RtClient client, RtSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Proves the credentials ({@code GET /rt}) and that the configured queues (and catalog) exist,
     * so that a typo in a queue name fails at connect time rather than as an empty sync.
     */
    @Override
    public void verify() throws ConnectorException {
        client.verify();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, String> q :
                List.of(
                        Map.entry("work_order_queue", settings.workOrderQueue()),
                        Map.entry("service_request_queue", settings.serviceRequestQueue()))) {
            if (client.find("queue/" + RtClient.encode(q.getValue())).isEmpty()) {
                errors.add(
                        new FieldError(
                                "credentials." + q.getKey(),
                                "Request Tracker has no queue named \"" + q.getValue() + "\""));
            }
        }
        if (settings.assetCatalog() != null
                && client.find("catalog/" + RtClient.encode(settings.assetCatalog())).isEmpty()) {
            errors.add(
                    new FieldError(
                            "credentials.asset_catalog",
                            "Request Tracker has no asset catalog named \""
                                    + settings.assetCatalog()
                                    + "\""));
        }
        if (!errors.isEmpty()) {
            throw ConnectorException.validationFailed(
                    errors.get(0).message() + (errors.size() > 1 ? " (and more)" : ""), errors);
        }
    }

    // ---- reads ------------------------------------------------------------------------------

    @Override
    public ChangePage read(ReadRequest request) throws ConnectorException {
        EntityType type = checkEntity(request.entity(), "list");
        Cursor cursor = request.cursor();
        boolean hasMark = cursor != null && cursor.watermark().isPresent();
        Instant from = hasMark ? cursor.watermark().get() : request.since();
        String afterId = hasMark && !cursor.state().isEmpty() ? cursor.state() : null;
        String query = scope(type);
        if (from != null) {
            String t = quote(RtMapper.rtDatetime(from));
            if (afterId != null && afterId.matches("\\d+")) {
                query +=
                        " AND (LastUpdated.DateTime > "
                                + t
                                + " OR (LastUpdated.DateTime = "
                                + t
                                + " AND id > "
                                + afterId
                                + "))";
            } else {
                query += " AND LastUpdated.DateTime >= " + t;
            }
        }
        int perPage = Math.min(request.pageSize(), MAX_PAGE);
        JsonNode page = search(type, query, perPage);
        Map<String, SourceRecord> records = new LinkedHashMap<>();
        for (JsonNode item : page.path("items")) {
            SourceRecord r = RtMapper.map(type, item);
            records.putIfAbsent(r.remoteId(), r);
        }
        JsonNode items = page.path("items");
        if (records.isEmpty()) {
            Cursor same = hasMark ? cursor : Cursor.of(from, null);
            return new ChangePage(List.of(), List.of(), same, false);
        }
        JsonNode last = items.get(items.size() - 1);
        Instant lastUpdated = RtMapper.instant(last.path("LastUpdated"));
        boolean more =
                page.has("total")
                        ? page.path("total").asLong() > page.path("count").asLong()
                        : items.size() >= perPage;
        return new ChangePage(
                new ArrayList<>(records.values()),
                List.of(),
                Cursor.of(lastUpdated, last.path("id").asText()),
                more);
    }

    @Override
    public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
        EntityType type = checkEntity(entity, "get");
        long id = parseId(type, remoteId);
        JsonNode items = search(type, scope(type) + " AND id = " + id, 1).path("items");
        if (items.isEmpty()) {
            throw ConnectorException.notFound(notFound(type, remoteId));
        }
        return RtMapper.map(type, items.get(0));
    }

    private JsonNode search(EntityType type, String query, int perPage) throws ConnectorException {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("query", query));
        params.add(Map.entry("orderby", "LastUpdated"));
        params.add(Map.entry("order", "ASC"));
        params.add(Map.entry("orderby", "id"));
        params.add(Map.entry("order", "ASC"));
        params.add(Map.entry("per_page", Integer.toString(perPage)));
        params.add(Map.entry("page", "1"));
        params.addAll(RtMapper.fieldParams(type));
        String collection = type == EntityType.ASSETS ? "assets" : "tickets";
        return client.get(RtClient.path(collection, params));
    }

    /** The TicketSQL/AssetSQL clause that restricts RT's records to the entity's. */
    private String scope(EntityType type) {
        return switch (type) {
            case WORK_ORDERS -> "Queue = " + quote(settings.workOrderQueue());
            case SERVICE_REQUESTS -> "Queue = " + quote(settings.serviceRequestQueue());
            case ASSETS ->
                    settings.assetCatalog() == null
                            ? "id > 0"
                            : "Catalog = " + quote(settings.assetCatalog());
            default -> throw new IllegalArgumentException(type.collection());
        };
    }

    /** A TicketSQL string literal. */
    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    // ---- writes -----------------------------------------------------------------------------

    @Override
    public SourceRecord create(EntityType entity, ObjectNode fields) throws ConnectorException {
        return switch (entity) {
            case WORK_ORDERS -> createWorkOrder(fields);
            case ASSETS -> createAsset(fields);
            default -> throw unsupported("create", entity);
        };
    }

    @Override
    public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
            throws ConnectorException {
        return switch (entity) {
            case WORK_ORDERS -> updateWorkOrder(remoteId, changes);
            case ASSETS -> updateAsset(remoteId, changes);
            default -> throw unsupported("update", entity);
        };
    }

    /** Marks the ticket or asset deleted (RT's delete); RT's searches no longer return it. */
    @Override
    public void delete(EntityType entity, String remoteId) throws ConnectorException {
        if (entity != EntityType.WORK_ORDERS && entity != EntityType.ASSETS) {
            throw unsupported("delete", entity);
        }
        get(entity, remoteId); // NOT_FOUND for other queues' tickets and deleted ones
        String path = (entity == EntityType.ASSETS ? "asset/" : "ticket/") + remoteId;
        client.put(path, RtClient.MAPPER.createObjectNode().put("Status", "deleted"));
    }

    private SourceRecord createWorkOrder(ObjectNode f) throws ConnectorException {
        check(f, WORK_ORDER_CREATE);
        require(f, "title");
        ObjectNode body = RtClient.MAPPER.createObjectNode();
        body.put("Queue", settings.workOrderQueue());
        body.put("Subject", f.get("title").asText());
        if (f.hasNonNull("description")) {
            body.put("Content", f.get("description").asText());
            body.put("ContentType", "text/plain");
        }
        ticketValues(f, body);
        if (f.hasNonNull("asset_id")) {
            body.put("RefersTo", "asset:" + assetRef(f));
        }
        JsonNode created = client.post("ticket", body);
        String id = created.path("id").asText();
        SourceRecord r = get(EntityType.WORK_ORDERS, id);
        expectApplied(f, r, List.of());
        return r;
    }

    private SourceRecord updateWorkOrder(String remoteId, ObjectNode f) throws ConnectorException {
        check(f, WORK_ORDER_UPDATE);
        SourceRecord before = get(EntityType.WORK_ORDERS, remoteId);
        ObjectNode body = RtClient.MAPPER.createObjectNode();
        if (f.has("title")) {
            require(f, "title");
            body.put("Subject", f.get("title").asText());
        }
        ticketValues(f, body);
        if (f.has("asset_id")) {
            List<String> current = RtMapper.assetIds(before.raw());
            String wanted = f.hasNonNull("asset_id") ? assetRef(f) : null;
            var remove = body.putArray("DeleteRefersTo");
            for (String a : current) {
                if (!a.equals(wanted)) {
                    remove.add("asset:" + a);
                }
            }
            if (remove.isEmpty()) {
                body.remove("DeleteRefersTo");
            }
            if (wanted != null && !current.contains(wanted)) {
                body.put("AddRefersTo", "asset:" + wanted);
            }
        }
        List<String> messages = List.of();
        if (!body.isEmpty()) {
            messages = messages(client.put("ticket/" + remoteId, body));
        }
        SourceRecord after = get(EntityType.WORK_ORDERS, remoteId);
        expectApplied(f, after, messages);
        return after;
    }

    /** The ticket fields work orders share between create and update. */
    private void ticketValues(ObjectNode f, ObjectNode body) throws ConnectorException {
        if (f.hasNonNull("status")) {
            body.put("Status", RtMapper.rtWorkOrderStatus(f.get("status").asText()));
        }
        if (f.hasNonNull("priority")) {
            body.put("Priority", RtMapper.rtPriority(f.get("priority").asText()));
        }
        if (f.has("due_date")) {
            body.put(
                    "Due",
                    f.hasNonNull("due_date")
                            // noon UTC keeps the calendar day in every time zone from -11 to +11
                            ? date(f, "due_date") + " 12:00:00"
                            : "1970-01-01 00:00:00");
        }
        if (f.has("scheduled_start")) {
            body.put(
                    "Starts",
                    f.hasNonNull("scheduled_start")
                            ? RtMapper.rtDatetime(timestamp(f, "scheduled_start"))
                            : "1970-01-01 00:00:00");
        }
        if (f.has("assigned_to")) {
            body.put("Owner", f.hasNonNull("assigned_to") ? userRef(f, "assigned_to") : "Nobody");
        }
        if (f.has("requested_by")) {
            var req = body.putArray("Requestor");
            if (f.hasNonNull("requested_by")) {
                req.add(f.get("requested_by").asText());
            }
        }
    }

    private SourceRecord createAsset(ObjectNode f) throws ConnectorException {
        check(f, ASSET_WRITABLE);
        require(f, "name");
        ObjectNode body = RtClient.MAPPER.createObjectNode();
        body.put("Name", f.get("name").asText());
        String catalog =
                f.hasNonNull("category") ? f.get("category").asText() : settings.assetCatalog();
        if (catalog != null) {
            if (client.find("catalog/" + RtClient.encode(catalog)).isEmpty()) {
                throw ConnectorException.validationFailed(
                        "Request Tracker has no asset catalog named \"" + catalog + "\"",
                        List.of(new FieldError("category", "no such asset catalog in RT")));
            }
            body.put("Catalog", catalog);
        }
        newAssetValues(f, body);
        JsonNode created = client.post("asset", body);
        SourceRecord r = get(EntityType.ASSETS, created.path("id").asText());
        expectApplied(f, r, List.of());
        return r;
    }

    private SourceRecord updateAsset(String remoteId, ObjectNode f) throws ConnectorException {
        check(f, ASSET_WRITABLE);
        SourceRecord before = get(EntityType.ASSETS, remoteId);
        ObjectNode body = RtClient.MAPPER.createObjectNode();
        if (f.has("name")) {
            require(f, "name");
            body.put("Name", f.get("name").asText());
        }
        if (f.hasNonNull("category")) {
            String catalog = f.get("category").asText();
            if (settings.assetCatalog() != null && !settings.assetCatalog().equals(catalog)) {
                throw ConnectorException.validationFailed(
                        "This connection reads only the asset catalog " + settings.assetCatalog(),
                        List.of(
                                new FieldError(
                                        "category",
                                        "cannot move an asset out of " + settings.assetCatalog())));
            }
            body.put("Catalog", catalog);
        }
        if (f.has("description")) {
            body.put("Description", f.path("description").asText(""));
        }
        List<String> steps =
                f.hasNonNull("status")
                        ? assetPath(
                                before.fields().path("remote_status").asText(),
                                f.get("status").asText())
                        : List.of();
        List<String> messages = new ArrayList<>();
        if (!body.isEmpty()) {
            messages.addAll(messages(client.put("asset/" + remoteId, body)));
        }
        for (String step : steps) {
            ObjectNode status = RtClient.MAPPER.createObjectNode().put("Status", step);
            messages.addAll(messages(client.put("asset/" + remoteId, status)));
        }
        SourceRecord after = get(EntityType.ASSETS, remoteId);
        expectApplied(f, after, messages);
        return after;
    }

    /** Description and status of a new asset (RT creates assets as new, allocated or in-use). */
    private static void newAssetValues(ObjectNode f, ObjectNode body) throws ConnectorException {
        if (f.has("description")) {
            body.put("Description", f.path("description").asText(""));
        }
        if (f.hasNonNull("status")) {
            if (!f.get("status").asText().equals("active")) {
                throw ConnectorException.validationFailed(
                        "Request Tracker creates assets only as active",
                        List.of(new FieldError("status", "create it active, then change it")));
            }
            body.put("Status", "in-use");
        }
    }

    /**
     * The RT statuses an asset goes through to reach a canonical status, following RT's default
     * assets lifecycle (new → allocated | in-use; allocated ⇄ in-use → recycled; recycled, stolen
     * and deleted → allocated only): active keeps new/allocated/in-use and brings others back as
     * allocated; decommissioned is recycled, through allocated where needed. Inactive has no RT
     * status but "stolen", which the connector does not pretend.
     */
    static List<String> assetPath(String current, String canonical) throws ConnectorException {
        return switch (canonical) {
            case "active" ->
                    RtMapper.ACTIVE_ASSET.contains(current) ? List.of() : List.of("allocated");
            case "decommissioned" ->
                    switch (current) {
                        case "recycled" -> List.of();
                        case "allocated", "in-use" -> List.of("recycled");
                        default -> List.of("allocated", "recycled");
                    };
            default ->
                    throw ConnectorException.validationFailed(
                            "Request Tracker's asset lifecycle has no status for " + canonical,
                            List.of(
                                    new FieldError(
                                            "status",
                                            "RT assets can be active (new, allocated, in-use) or"
                                                    + " decommissioned (recycled)")));
        };
    }

    /**
     * RT answers a PUT with 200 and a list of messages even when it refused a change (a status the
     * lifecycle does not allow, an unknown owner). So every written field is compared with what RT
     * now has; a difference is {@code VALIDATION_FAILED} with RT's messages.
     */
    private static void expectApplied(ObjectNode wanted, SourceRecord now, List<String> messages)
            throws ConnectorException {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (field.equals("description") && now.fields().has("number")) {
                continue; // a ticket's description is its first message, not a field
            }
            JsonNode w = wanted.get(field);
            JsonNode n = now.fields().get(field);
            boolean same =
                    switch (field) {
                        case "scheduled_start" ->
                                w.isNull() ? n == null : n != null && sameInstant(w, n);
                        case "status" ->
                                n != null
                                        && (n.asText().equals(w.asText())
                                                || sameRtStatus(w.asText(), now));
                        default ->
                                w.isNull() || (w.isTextual() && w.asText().isEmpty())
                                        ? n == null
                                        : n != null && Objects.equals(n.asText(), w.asText());
                    };
            if (!same) {
                errors.add(
                        new FieldError(
                                field,
                                "Request Tracker did not take "
                                        + w
                                        + (n == null ? "" : " (it has " + n + ")")));
            }
        }
        if (!errors.isEmpty()) {
            String why = messages.isEmpty() ? "" : ": " + String.join("; ", messages);
            throw ConnectorException.validationFailed(
                    "Request Tracker did not apply "
                            + errors.stream().map(FieldError::field).toList()
                            + why,
                    errors);
        }
    }

    private static boolean sameInstant(JsonNode wanted, JsonNode now) {
        Instant w = java.time.OffsetDateTime.parse(wanted.asText()).toInstant();
        return w.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .equals(Instant.parse(now.asText()));
    }

    /** Whether the record's RT status is the one the canonical status is written as. */
    private static boolean sameRtStatus(String canonical, SourceRecord now) {
        String remote = now.fields().path("remote_status").asText();
        if (now.fields().has("number")) {
            return RtMapper.rtWorkOrderStatus(canonical).equals(remote);
        }
        return canonical.equals(RtMapper.assetStatus(remote));
    }

    private static List<String> messages(JsonNode answer) {
        List<String> out = new ArrayList<>();
        if (answer.isArray()) {
            answer.forEach(m -> out.add(m.asText()));
        }
        return out;
    }

    // ---- references and input checks --------------------------------------------------------

    /** The asset id of {@code asset_id}, checked to exist (RT would silently skip the link). */
    private String assetRef(ObjectNode f) throws ConnectorException {
        String id = f.get("asset_id").asText();
        if (!id.matches("\\d+") || client.find("asset/" + id).isEmpty()) {
            throw ConnectorException.validationFailed(
                    "Request Tracker has no asset " + id,
                    List.of(new FieldError("asset_id", "no such asset in RT: " + id)));
        }
        return id;
    }

    /** A user name or email for Owner, checked to exist (RT would silently keep the old one). */
    private String userRef(ObjectNode f, String field) throws ConnectorException {
        String user = f.get(field).asText();
        if (user.isBlank() || client.find("user/" + RtClient.encode(user)).isEmpty()) {
            throw ConnectorException.validationFailed(
                    "Request Tracker has no user " + user,
                    List.of(new FieldError(field, "no such user in RT: " + user)));
        }
        return user;
    }

    private static EntityType checkEntity(EntityType entity, String op) throws ConnectorException {
        return switch (entity) {
            case ASSETS, WORK_ORDERS, SERVICE_REQUESTS -> entity;
            default -> throw unsupported(op, entity);
        };
    }

    private static long parseId(EntityType type, String remoteId) throws ConnectorException {
        if (remoteId == null || !remoteId.matches("\\d{1,18}")) {
            throw ConnectorException.notFound(notFound(type, remoteId));
        }
        return Long.parseLong(remoteId);
    }

    private static String notFound(EntityType type, String remoteId) {
        return "Request Tracker has no " + type.singular() + " with id " + remoteId;
    }

    private static void check(ObjectNode f, Set<String> allowed) throws ConnectorException {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("custom_fields") && f.get(name).isObject() && f.get(name).isEmpty()) {
                continue;
            }
            if (!allowed.contains(name)) {
                errors.add(new FieldError(name, "cannot be written to Request Tracker"));
            }
        }
        if (!errors.isEmpty()) {
            throw ConnectorException.validationFailed(
                    "Fields Request Tracker cannot take: "
                            + errors.stream().map(FieldError::field).toList(),
                    errors);
        }
    }

    private static void require(ObjectNode f, String field) throws ConnectorException {
        if (!f.hasNonNull(field) || f.get(field).asText().isBlank()) {
            throw ConnectorException.validationFailed(
                    "Missing " + field, List.of(new FieldError(field, "is required")));
        }
    }

    private static LocalDate date(ObjectNode f, String field) throws ConnectorException {
        try {
            return LocalDate.parse(f.get(field).asText());
        } catch (DateTimeParseException e) {
            throw ConnectorException.validationFailed(
                    "Invalid " + field,
                    List.of(new FieldError(field, "must be a date YYYY-MM-DD")));
        }
    }

    private static Instant timestamp(ObjectNode f, String field) throws ConnectorException {
        try {
            return java.time.OffsetDateTime.parse(f.get(field).asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ConnectorException.validationFailed(
                    "Invalid " + field,
                    List.of(new FieldError(field, "must be an RFC 3339 timestamp")));
        }
    }
}
