package org.ironbridge.connector.tryton.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * One connection to a Tryton database.
 *
 * <p><b>Incremental reads.</b> A record's modification time is {@code write_date}, or {@code
 * create_date} before its first edit (Tryton leaves write_date NULL until then); a purchase order's
 * is the latest of its own and its lines' (a direct line edit does not touch the order). Tryton
 * cannot order by such an expression, so a read first fetches only the (id, timestamps) of records
 * changed at or after the cursor's watermark, orders them by (time, id) here, skips those at or
 * before the cursor's (time, id) — equal timestamps are common, so the id breaks ties and nothing
 * is returned twice — and then reads the page's records in full. Cursor: {@code Cursor.of(time of
 * the last record, its id)}.
 */
final class TrytonSession extends ConnectorSession {
    private static final Set<String> PO_WRITABLE =
            Set.of(
                    "vendor_id",
                    "status",
                    "order_date",
                    "expected_date",
                    "notes",
                    "lines",
                    "custom_fields",
                    "currency");
    private static final Set<String> VENDOR_WRITABLE =
            Set.of(
                    "name",
                    "code",
                    "status",
                    "email",
                    "phone",
                    "website",
                    "address",
                    "custom_fields");
    private static final Set<String> VENDOR_UPDATABLE =
            Set.of("name", "code", "status", "custom_fields");
    private static final Set<String> ITEM_WRITABLE =
            Set.of(
                    "name",
                    "code",
                    "description",
                    "type",
                    "unit",
                    "unit_cost",
                    "status",
                    "custom_fields");

    private final TrytonClient client;
    private final TrytonStockLevels stockLevels;

    TrytonSession(TrytonClient client) {
        this.client = client;
        this.stockLevels = new TrytonStockLevels(client);
    }

    @Override
    public void verify() throws ConnectorException {
        client.login();
    }

    // ---- reads ----------------------------------------------------------------------------

    private record Candidate(long id, Instant modified) {}

    private static final Comparator<Candidate> ORDER =
            Comparator.comparing(Candidate::modified).thenComparingLong(Candidate::id);

    @Override
    public ChangePage read(ReadRequest request) throws ConnectorException {
        if (request.entity() == EntityType.STOCK_LEVELS) {
            return stockLevels.read(request);
        }
        EntityType type = checkEntity(request.entity(), "list");
        Cursor cursor = request.cursor();
        Instant from =
                cursor != null && cursor.watermark().isPresent()
                        ? cursor.watermark().get()
                        : request.since();
        long afterId =
                cursor != null && cursor.watermark().isPresent() && !cursor.state().isEmpty()
                        ? Long.parseLong(cursor.state())
                        : -1;
        Map<Long, Instant> changed = changedSince(TrytonMapper.MODELS.get(type), type, from);
        if (type == EntityType.PURCHASE_ORDERS) {
            ArrayNode lineDomain = TrytonValues.MAPPER.createArrayNode();
            if (from != null) {
                lineDomain.add(changedDomain(from));
            }
            for (JsonNode l :
                    searchRead(
                            "purchase.line",
                            lineDomain,
                            List.of("purchase", "create_date", "write_date"))) {
                long po = l.get("purchase").asLong();
                changed.merge(po, TrytonMapper.modified(l), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        Candidate after = afterId < 0 || from == null ? null : new Candidate(afterId, from);
        List<Candidate> ordered =
                changed.entrySet().stream()
                        .map(e -> new Candidate(e.getKey(), e.getValue()))
                        .filter(c -> after == null || ORDER.compare(c, after) > 0)
                        .sorted(ORDER)
                        .toList();
        List<Candidate> page = ordered.subList(0, Math.min(request.pageSize(), ordered.size()));
        if (page.isEmpty()) {
            Cursor same = cursor != null ? cursor : Cursor.of(from, null);
            return new ChangePage(List.of(), List.of(), same, false);
        }
        Map<Long, SourceRecord> records = new HashMap<>();
        for (SourceRecord r :
                readRecords(
                        type,
                        page.stream().map(Candidate::id).toList(),
                        page.stream()
                                .collect(
                                        java.util.stream.Collectors.toMap(
                                                Candidate::id, Candidate::modified)))) {
            records.put(Long.parseLong(r.remoteId()), r);
        }
        List<SourceRecord> out = new ArrayList<>();
        for (Candidate c : page) {
            SourceRecord r = records.get(c.id());
            if (r != null) { // deleted between the two calls
                out.add(r);
            }
        }
        Candidate last = page.get(page.size() - 1);
        return new ChangePage(
                out,
                List.of(),
                Cursor.of(last.modified(), Long.toString(last.id())),
                ordered.size() > page.size(),
                // the ids changed since the cursor are known anyway: the progress estimate is free
                ordered.size() - page.size());
    }

    private Map<Long, Instant> changedSince(String model, EntityType type, Instant from)
            throws ConnectorException {
        ArrayNode domain = TrytonMapper.scope(type);
        if (from != null) {
            domain.add(changedDomain(from));
        }
        Map<Long, Instant> result = new HashMap<>();
        for (JsonNode r : searchRead(model, domain, List.of("create_date", "write_date"))) {
            result.put(r.get("id").asLong(), TrytonMapper.modified(r));
        }
        return result;
    }

    /** {@code ["OR", [write_date >= t], [create_date >= t]]}: write_date is NULL until an edit. */
    private static ArrayNode changedDomain(Instant from) {
        ArrayNode or = TrytonValues.MAPPER.createArrayNode().add("OR");
        or.addArray().add("write_date").add(">=").add(TrytonValues.toDatetime(from));
        or.addArray().add("create_date").add(">=").add(TrytonValues.toDatetime(from));
        return or;
    }

    private List<JsonNode> searchRead(String model, JsonNode domain, List<String> fields)
            throws ConnectorException {
        JsonNode result =
                client.call(
                        "model." + model + ".search_read",
                        client.params(domain, 0, null, List.of(List.of("id", "ASC")), fields));
        List<JsonNode> out = new ArrayList<>();
        result.forEach(out::add);
        return out;
    }

    private List<SourceRecord> readRecords(
            EntityType type, List<Long> ids, Map<Long, Instant> modified)
            throws ConnectorException {
        ArrayNode domain = TrytonMapper.scope(type);
        domain.addArray().add("id").add("in").add(TrytonValues.MAPPER.valueToTree(ids));
        List<JsonNode> raws =
                searchRead(TrytonMapper.MODELS.get(type), domain, TrytonMapper.fields(type));
        Map<Long, List<JsonNode>> lines = new HashMap<>();
        if (type == EntityType.PURCHASE_ORDERS && !raws.isEmpty()) {
            ArrayNode ld = TrytonValues.MAPPER.createArrayNode();
            ld.addArray().add("purchase").add("in").add(TrytonValues.MAPPER.valueToTree(ids));
            List<JsonNode> all = searchRead("purchase.line", ld, TrytonMapper.LINE_FIELDS);
            all.sort(
                    Comparator.comparing((JsonNode l) -> l.path("sequence").asLong(Long.MAX_VALUE))
                            .thenComparingLong(l -> l.get("id").asLong()));
            for (JsonNode l : all) {
                lines.computeIfAbsent(l.get("purchase").asLong(), k -> new ArrayList<>()).add(l);
            }
        }
        List<SourceRecord> out = new ArrayList<>();
        for (JsonNode raw : raws) {
            long id = raw.get("id").asLong();
            List<JsonNode> l =
                    type == EntityType.PURCHASE_ORDERS ? lines.getOrDefault(id, List.of()) : null;
            Instant m = modified == null ? null : modified.get(id);
            out.add(TrytonMapper.map(type, raw, l, m));
        }
        return out;
    }

    @Override
    public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
        if (entity == EntityType.STOCK_LEVELS) {
            return stockLevels.get(remoteId);
        }
        EntityType type = checkEntity(entity, "get");
        long id = parseId(entity, remoteId);
        List<SourceRecord> r = readRecords(type, List.of(id), null);
        if (r.isEmpty()) {
            throw ConnectorException.notFound(
                    "Tryton has no " + entity.singular() + " with id " + remoteId);
        }
        return r.get(0);
    }

    // ---- writes ---------------------------------------------------------------------------

    @Override
    public SourceRecord create(EntityType entity, ObjectNode fields) throws ConnectorException {
        return switch (entity) {
            case VENDORS -> get(entity, Long.toString(createVendor(fields)));
            case ITEMS -> get(entity, Long.toString(createItem(fields)));
            case PURCHASE_ORDERS -> get(entity, Long.toString(createPurchaseOrder(fields)));
            default -> throw unsupported("create", entity);
        };
    }

    @Override
    public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
            throws ConnectorException {
        return update(entity, remoteId, changes, null);
    }

    /**
     * Updates with Tryton's optimistic concurrency: {@code expectedTimestamp} (Tryton's {@code
     * _timestamp} pseudo-field) or, when null, the one read just before the write.
     */
    SourceRecord update(EntityType entity, String remoteId, ObjectNode changes, String timestamp)
            throws ConnectorException {
        if (!Set.of(EntityType.VENDORS, EntityType.ITEMS, EntityType.PURCHASE_ORDERS)
                .contains(entity)) {
            throw unsupported("update", entity);
        }
        long id = parseId(entity, remoteId);
        switch (entity) {
            case VENDORS -> {
                check(changes, VENDOR_UPDATABLE);
                exists(entity, id);
                ObjectNode v = vendorValues(changes);
                write("party.party", id, v, timestamp);
            }
            case ITEMS -> {
                check(changes, ITEM_WRITABLE);
                JsonNode p = readOne("product.product", id, List.of("template"), entity);
                ObjectNode tv = templateValues(changes, false);
                if (!tv.isEmpty()) {
                    write("product.template", p.get("template").asLong(), tv, null);
                }
                ObjectNode pv = productValues(changes);
                if (!pv.isEmpty() || timestamp != null) {
                    write("product.product", id, pv, timestamp);
                }
            }
            case PURCHASE_ORDERS -> {
                check(changes, PO_WRITABLE);
                JsonNode po = readOne("purchase.purchase", id, List.of("lines", "state"), entity);
                ObjectNode v = poValues(changes);
                if (changes.has("lines")) {
                    ArrayNode actions = TrytonValues.MAPPER.createArrayNode();
                    if (po.get("lines").size() > 0) {
                        actions.addArray().add("delete").add(po.get("lines"));
                    }
                    actions.addArray().add("create").add(lineValues(changes.get("lines")));
                    v.set("lines", actions);
                }
                if (!v.isEmpty() || timestamp != null) {
                    write("purchase.purchase", id, v, timestamp);
                }
                if (changes.hasNonNull("status")) {
                    transition(id, changes.get("status").asText());
                }
            }
            default -> throw unsupported("update", entity);
        }
        return get(entity, remoteId);
    }

    @Override
    public void delete(EntityType entity, String remoteId) throws ConnectorException {
        if (entity != EntityType.PURCHASE_ORDERS) {
            throw unsupported("delete", entity);
        }
        long id = parseId(entity, remoteId);
        exists(entity, id);
        // Tryton deletes only cancelled purchases.
        transition(id, "cancelled");
        client.call("model.purchase.purchase.delete", client.params(List.of(id)));
    }

    private void write(String model, long id, ObjectNode values, String timestamp)
            throws ConnectorException {
        ObjectNode ctx = client.context();
        String ts = timestamp;
        if (ts == null) {
            JsonNode r =
                    client.call(
                            "model." + model + ".read",
                            client.params(List.of(id), List.of("_timestamp")));
            ts = r.path(0).path("_timestamp").asText(null);
        }
        if (ts != null) {
            ctx.putObject("_timestamp").put(model + "," + id, ts);
        }
        ArrayNode p = TrytonValues.MAPPER.createArrayNode();
        p.addArray().add(id);
        p.add(values);
        p.add(ctx);
        client.call("model." + model + ".write", p);
    }

    /** The current {@code _timestamp} of a record, for optimistic concurrency. */
    String timestamp(EntityType entity, String remoteId) throws ConnectorException {
        long id = parseId(entity, remoteId);
        return readOne(TrytonMapper.MODELS.get(entity), id, List.of("_timestamp"), entity)
                .get("_timestamp")
                .asText();
    }

    /**
     * Moves a purchase through Tryton's workflow buttons (draft → quote → confirm, cancel, back to
     * draft) and reads the state back: Tryton silently ignores a button pressed in the wrong state.
     */
    private void transition(long id, String status) throws ConnectorException {
        String state = state(id);
        List<String> buttons =
                switch (status) {
                    case "draft" ->
                            switch (state) {
                                case "draft" -> List.of();
                                default -> List.of("draft");
                            };
                    case "pending_approval" ->
                            switch (state) {
                                case "draft" -> List.of("quote");
                                default -> List.of();
                            };
                    case "approved" ->
                            switch (state) {
                                case "draft" -> List.of("quote", "confirm");
                                case "quotation" -> List.of("confirm");
                                default -> List.of();
                            };
                    case "cancelled" ->
                            switch (state) {
                                case "cancelled" -> List.of();
                                default -> List.of("cancel");
                            };
                    default ->
                            throw ConnectorException.validationFailed(
                                    "Tryton purchases cannot be set to status " + status,
                                    List.of(
                                            new FieldError(
                                                    "status", "cannot be set to " + status)));
                };
        for (String b : buttons) {
            client.call("model.purchase.purchase." + b, client.params(List.of(id)));
        }
        String now = state(id);
        if (!TrytonMapper.poStatus(now, null).equals(status)
                && !(status.equals("approved") && now.equals("processing"))) {
            throw ConnectorException.validationFailed(
                    "Tryton did not move purchase "
                            + id
                            + " from \""
                            + state
                            + "\" to "
                            + status
                            + " (it is \""
                            + now
                            + "\")",
                    List.of(
                            new FieldError(
                                    "status", "cannot change from " + state + " to " + status)));
        }
    }

    private String state(long id) throws ConnectorException {
        return readOne("purchase.purchase", id, List.of("state"), EntityType.PURCHASE_ORDERS)
                .get("state")
                .asText();
    }

    private long createVendor(ObjectNode f) throws ConnectorException {
        check(f, VENDOR_WRITABLE);
        require(f, "name");
        ObjectNode v = vendorValues(f);
        ArrayNode mechanisms = TrytonValues.MAPPER.createArrayNode();
        for (String kind : List.of("email", "phone", "website")) {
            if (f.hasNonNull(kind)) {
                mechanisms.addObject().put("type", kind).put("value", f.get(kind).asText());
            }
        }
        v.remove(List.of("email", "phone", "website"));
        JsonNode address = f.get("address");
        if (address != null && address.isObject()) {
            ObjectNode a = TrytonValues.MAPPER.createObjectNode();
            for (String k : List.of("street", "city", "postal_code")) {
                if (address.hasNonNull(k)) {
                    a.put(k, address.get(k).asText());
                }
            }
            v.putArray("addresses").addArray().add("create").addArray().add(a);
        }
        if (!mechanisms.isEmpty()) {
            v.putArray("contact_mechanisms").addArray().add("create").add(mechanisms);
        }
        return createOne("party.party", v);
    }

    private ObjectNode vendorValues(ObjectNode f) {
        ObjectNode v = TrytonValues.MAPPER.createObjectNode();
        if (f.has("name")) {
            v.put("name", f.get("name").asText());
        }
        if (f.has("code")) {
            v.set("code", f.get("code"));
        }
        if (f.has("status")) {
            v.put("active", !"inactive".equals(f.get("status").asText()));
        }
        return v;
    }

    private long createItem(ObjectNode f) throws ConnectorException {
        check(f, ITEM_WRITABLE);
        require(f, "name");
        ObjectNode t = templateValues(f, true);
        ObjectNode product = productValues(f);
        t.putArray("products").addArray().add("create").addArray().add(product);
        long template = createOne("product.template", t);
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        d.addArray().add("template").add("=").add(template);
        return searchRead("product.product", d, List.of("id")).get(0).get("id").asLong();
    }

    private ObjectNode templateValues(ObjectNode f, boolean create) throws ConnectorException {
        ObjectNode t = TrytonValues.MAPPER.createObjectNode();
        if (f.has("name")) {
            t.put("name", f.get("name").asText());
        }
        if (f.has("code")) {
            t.set("code", f.get("code"));
        }
        if (f.has("type") || create) {
            String type = f.path("type").asText("material");
            t.put("type", type.equals("service") ? "service" : "goods");
        }
        if (f.has("status")) {
            t.put("active", !"inactive".equals(f.get("status").asText()));
        }
        if (f.has("unit") || create) {
            long uom = uom(f.path("unit").asText("u"));
            t.put("default_uom", uom);
            t.put("purchase_uom", uom);
        }
        if (create) {
            t.put("purchasable", true);
            t.set("list_price", TrytonValues.toDecimal(BigDecimal.ZERO));
            ArrayNode d = TrytonValues.MAPPER.createArrayNode();
            d.addArray().add("accounting").add("=").add(true);
            List<JsonNode> cats = searchRead("product.category", d, List.of("id"));
            if (!cats.isEmpty()) {
                t.put("account_category", cats.get(0).get("id").asLong());
            }
        }
        return t;
    }

    private ObjectNode productValues(ObjectNode f) throws ConnectorException {
        ObjectNode p = TrytonValues.MAPPER.createObjectNode();
        if (f.hasNonNull("unit_cost")) {
            p.set("cost_price", TrytonValues.toDecimal(decimal(f, "unit_cost")));
        }
        if (f.has("description")) {
            p.set("description", f.get("description"));
        }
        return p;
    }

    private long uom(String symbol) throws ConnectorException {
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        d.addArray().add("symbol").add("=").add(symbol);
        List<JsonNode> r = searchRead("product.uom", d, List.of("id"));
        if (r.isEmpty()) {
            throw ConnectorException.validationFailed(
                    "Tryton has no unit " + symbol,
                    List.of(new FieldError("unit", "unknown unit " + symbol)));
        }
        return r.get(0).get("id").asLong();
    }

    private long createPurchaseOrder(ObjectNode f) throws ConnectorException {
        check(f, PO_WRITABLE);
        require(f, "vendor_id");
        if (!f.path("lines").isArray() || f.get("lines").isEmpty()) {
            throw ConnectorException.validationFailed(
                    "A purchase order needs at least one line",
                    List.of(new FieldError("lines", "at least one line is required")));
        }
        ObjectNode v = poValues(f);
        v.putArray("lines").addArray().add("create").add(lineValues(f.get("lines")));
        long id = createOne("purchase.purchase", v);
        if (f.hasNonNull("status") && !"draft".equals(f.get("status").asText())) {
            transition(id, f.get("status").asText());
        }
        return id;
    }

    private ObjectNode poValues(ObjectNode f) throws ConnectorException {
        ObjectNode v = TrytonValues.MAPPER.createObjectNode();
        if (f.hasNonNull("vendor_id")) {
            long party = parseRef(f, "vendor_id");
            v.put("party", party);
            ArrayNode d = TrytonValues.MAPPER.createArrayNode();
            d.addArray().add("party").add("=").add(party);
            List<JsonNode> addr = searchRead("party.address", d, List.of("id"));
            if (!addr.isEmpty()) {
                v.put("invoice_address", addr.get(0).get("id").asLong());
            }
        }
        if (f.has("order_date")) {
            v.set("purchase_date", dateValue(f, "order_date"));
        }
        if (f.has("expected_date")) {
            v.set("delivery_date", dateValue(f, "expected_date"));
        }
        if (f.has("notes")) {
            v.set("description", f.get("notes"));
        }
        JsonNode ref = f.path("custom_fields").get("reference");
        if (ref != null) {
            v.set("reference", ref);
        }
        return v;
    }

    private ArrayNode lineValues(JsonNode lines) throws ConnectorException {
        ArrayNode out = TrytonValues.MAPPER.createArrayNode();
        List<Long> products = new ArrayList<>();
        for (JsonNode l : lines) {
            if (l.hasNonNull("item_id")) {
                products.add(parseRef((ObjectNode) l, "item_id"));
            }
        }
        Map<Long, JsonNode> byId = new HashMap<>();
        if (!products.isEmpty()) {
            ArrayNode d = TrytonValues.MAPPER.createArrayNode();
            d.addArray().add("id").add("in").add(TrytonValues.MAPPER.valueToTree(products));
            for (JsonNode p :
                    searchRead(
                            "product.product",
                            d,
                            List.of("rec_name", "purchase_uom", "default_uom"))) {
                byId.put(p.get("id").asLong(), p);
            }
        }
        int i = 0;
        for (JsonNode l : lines) {
            String path = "lines[" + i + "]";
            ObjectNode o = out.addObject();
            o.put("type", "line");
            BigDecimal q = decimal((ObjectNode) l, "quantity", path + ".quantity");
            BigDecimal price = decimal((ObjectNode) l, "unit_price", path + ".unit_price");
            if (q == null || q.signum() <= 0) {
                throw ConnectorException.validationFailed(
                        "Invalid line quantity",
                        List.of(new FieldError(path + ".quantity", "must be > 0")));
            }
            if (price == null) {
                throw ConnectorException.validationFailed(
                        "Missing unit price",
                        List.of(new FieldError(path + ".unit_price", "is required")));
            }
            o.put("quantity", q.doubleValue()); // Tryton's quantity is a float field
            o.set("unit_price", TrytonValues.toDecimal(price));
            String description = l.path("description").asText(null);
            if (l.hasNonNull("item_id")) {
                long pid = parseRef((ObjectNode) l, "item_id");
                JsonNode p = byId.get(pid);
                if (p == null) {
                    throw ConnectorException.validationFailed(
                            "No such item " + pid,
                            List.of(new FieldError(path + ".item_id", "no such item " + pid)));
                }
                o.put("product", pid);
                JsonNode unit = p.get("purchase_uom");
                o.set("unit", unit == null || unit.isNull() ? p.get("default_uom") : unit);
                if (description == null) {
                    description = p.get("rec_name").asText();
                }
            }
            o.put("description", description == null ? "" : description);
            i++;
        }
        return out;
    }

    private long createOne(String model, ObjectNode values) throws ConnectorException {
        JsonNode r = client.call("model." + model + ".create", client.params(List.of(values)));
        return r.get(0).asLong();
    }

    private JsonNode readOne(String model, long id, List<String> fields, EntityType entity)
            throws ConnectorException {
        ArrayNode d = TrytonMapper.scope(entity);
        d.addArray().add("id").add("=").add(id);
        List<JsonNode> r = searchRead(model, d, fields);
        if (r.isEmpty()) {
            throw ConnectorException.notFound(
                    "Tryton has no " + entity.singular() + " with id " + id);
        }
        if (fields.contains("_timestamp")) {
            return client.call("model." + model + ".read", client.params(List.of(id), fields))
                    .get(0);
        }
        return r.get(0);
    }

    private void exists(EntityType entity, long id) throws ConnectorException {
        readOne(TrytonMapper.MODELS.get(entity), id, List.of("id"), entity);
    }

    // ---- input checks -------------------------------------------------------------------------

    private EntityType checkEntity(EntityType entity, String op) throws ConnectorException {
        if (!TrytonMapper.MODELS.containsKey(entity)) {
            throw unsupported(op, entity);
        }
        return entity;
    }

    private static long parseId(EntityType entity, String remoteId) throws ConnectorException {
        try {
            return Long.parseLong(remoteId);
        } catch (NumberFormatException e) {
            throw ConnectorException.notFound(
                    "Tryton has no " + entity.singular() + " with id " + remoteId);
        }
    }

    private static long parseRef(ObjectNode f, String field) throws ConnectorException {
        try {
            return Long.parseLong(f.get(field).asText());
        } catch (NumberFormatException e) {
            throw ConnectorException.validationFailed(
                    "Invalid " + field, List.of(new FieldError(field, "must be a Tryton id")));
        }
    }

    private static void check(ObjectNode f, Set<String> allowed) throws ConnectorException {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(name, "cannot be written to Tryton"));
            }
        }
        if (!errors.isEmpty()) {
            throw ConnectorException.validationFailed(
                    "Fields Tryton cannot take: " + errors.stream().map(FieldError::field).toList(),
                    errors);
        }
    }

    private static void require(ObjectNode f, String field) throws ConnectorException {
        if (!f.hasNonNull(field) || f.get(field).asText().isBlank()) {
            throw ConnectorException.validationFailed(
                    "Missing " + field, List.of(new FieldError(field, "is required")));
        }
    }

    private static BigDecimal decimal(ObjectNode f, String field) throws ConnectorException {
        return decimal(f, field, field);
    }

    private static BigDecimal decimal(ObjectNode f, String field, String path)
            throws ConnectorException {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            throw ConnectorException.validationFailed(
                    "Invalid " + path, List.of(new FieldError(path, "must be a decimal")));
        }
    }

    private static JsonNode dateValue(ObjectNode f, String field) throws ConnectorException {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            return v == null ? null : v;
        }
        try {
            return TrytonValues.toDate(LocalDate.parse(v.asText()));
        } catch (DateTimeParseException e) {
            throw ConnectorException.validationFailed(
                    "Invalid " + field,
                    List.of(new FieldError(field, "must be a date YYYY-MM-DD")));
        }
    }

    @Override
    public void close() {
        client.logout();
    }
}
