package org.ironbridge.connector.sandbox.internal;

import static org.ironbridge.model.EntityType.ASSETS;
import static org.ironbridge.model.EntityType.ITEMS;
import static org.ironbridge.model.EntityType.STOCK_LEVELS;
import static org.ironbridge.model.EntityType.VENDORS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.connector.sandbox.internal.Generator.Rec;
import org.ironbridge.model.EntityType;

/**
 * The simulated remote system of one connection: generated base data, the overlay of everything
 * that changed since, and the simulated activity. All methods are synchronized; every public
 * operation first lets the activity catch up with the given time.
 *
 * <p>Change times are strictly increasing across the whole system (at least one millisecond apart)
 * and never earlier than the time they are made, so a read's cursor never has to look back for
 * changes made after it.
 */
final class SandboxSystem {
    private final Generator gen;
    private final int datasetSize;
    private final Map<EntityType, Overlay> overlays = new EnumMap<>(EntityType.class);
    private final Map<EntityType, Long> nextIndex = new EnumMap<>(EntityType.class);
    private final Activity activity;
    private Instant lastChange;

    SandboxSystem(long seed, int datasetSize, int activityPerMinute, Instant createdAt) {
        Instant epoch = createdAt.truncatedTo(ChronoUnit.SECONDS);
        this.gen = new Generator(seed, Dimensions.of(datasetSize), epoch);
        this.datasetSize = datasetSize;
        for (EntityType e : EntityType.values()) {
            overlays.put(e, new Overlay());
            nextIndex.put(e, gen.count(e));
        }
        this.lastChange = epoch.minusMillis(1);
        this.activity = new Activity(this, gen, seed, epoch, activityPerMinute);
    }

    /** Whether this system was generated from the given scenario. */
    boolean matches(long seed, int datasetSize) {
        return gen.seed() == seed && this.datasetSize == datasetSize;
    }

    Generator generator() {
        return gen;
    }

    synchronized void setActivityPerMinute(int perMinute, Instant now) {
        activity.catchUp(now);
        activity.setPerMinute(perMinute, now);
    }

    synchronized List<Activity.Event> activityLog() {
        return activity.log();
    }

    synchronized int overlaySize() {
        int n = 0;
        for (Overlay o : overlays.values()) {
            n += o.size();
        }
        return n;
    }

    // ---------------------------------------------------------------- reads

    synchronized ChangePage read(ReadRequest req, Instant now) {
        activity.catchUp(now);
        if (req.newestFirst()) {
            return readNewestFirst(req);
        }
        EntityType e = req.entity();
        Cursor cursor = req.cursor();
        boolean hasMark = cursor != null && cursor.watermark().isPresent();
        ChangeKey bound = null;
        if (hasMark) {
            bound = new ChangeKey(cursor.watermark().get(), cursor.state());
        } else if (req.since() != null) {
            bound = new ChangeKey(req.since(), "");
        }
        long n = gen.count(e);
        Overlay ov = overlays.get(e);
        long bi = bound == null ? 0 : gen.firstIndexAfter(e, bound);
        Iterator<Overlay.Entry> oi = ov.after(bound).values().iterator();
        Overlay.Entry nextO = oi.hasNext() ? oi.next() : null;

        List<SourceRecord> records = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        ChangeKey last = null;
        while (records.size() + deleted.size() < req.pageSize()) {
            bi = skipTouched(e, ov, bi, n);
            ChangeKey bk = bi < n ? gen.key(e, bi) : null;
            if (bk == null && nextO == null) {
                break;
            }
            if (nextO == null || (bk != null && bk.compareTo(nextO.key()) < 0)) {
                records.add(source(e, gen.record(e, bi)));
                last = bk;
                bi++;
            } else {
                if (nextO.deleted()) {
                    deleted.add(nextO.id());
                } else {
                    records.add(source(e, entryRec(nextO)));
                }
                last = nextO.key();
                nextO = oi.hasNext() ? oi.next() : null;
            }
        }
        bi = skipTouched(e, ov, bi, n);
        boolean hasMore = bi < n || nextO != null;
        // an estimate: generated records not read yet (some may have been touched) plus the
        // changed ones after the page
        long remaining = (n - bi) + (last == null ? 0 : ov.after(last).size());
        Cursor next;
        if (last != null) {
            next = Cursor.of(last.time(), last.id());
        } else if (hasMark) {
            next = cursor;
        } else {
            next = Cursor.at(req.since());
        }
        return new ChangePage(records, deleted, next, hasMore, remaining);
    }

    /** The prefix of the state of a newest-first cursor: {@code d1|<instant>|<remote id>}. */
    private static final String DESCENDING = "d1|";

    /**
     * A newest-first page (initial sync): the merge of the generated base stream and the overlay,
     * walked downwards from the newest change at the first page (the snapshot mark, kept as the
     * cursor's watermark) or from the position in the cursor's state (exclusive), down to {@code
     * since}. Changes made after the first page have keys above the snapshot mark and are not
     * visited: the incremental reads that follow the initial sync return them.
     */
    private ChangePage readNewestFirst(ReadRequest req) {
        EntityType e = req.entity();
        long n = gen.count(e);
        Overlay ov = overlays.get(e);
        Cursor cursor = req.cursor();
        ChangeKey pos = cursor == null ? null : descendingPosition(cursor.state());
        boolean inclusive = pos == null;
        Instant mark;
        if (pos == null) {
            long top = skipTouchedDown(ov, e, n - 1);
            ChangeKey newest = top >= 0 ? gen.key(e, top) : null;
            ChangeKey changed = ov.newest();
            if (changed != null && (newest == null || changed.compareTo(newest) > 0)) {
                newest = changed;
            }
            if (newest == null) {
                return new ChangePage(List.of(), List.of(), Cursor.at(req.since()), false, 0);
            }
            pos = newest;
            mark = newest.time();
        } else {
            mark = cursor.watermark().orElse(pos.time());
        }
        ChangeKey floor = req.since() == null ? null : new ChangeKey(req.since(), "");
        long bi = gen.firstIndexAfter(e, pos) - 1;
        if (!inclusive && bi >= 0 && gen.key(e, bi).compareTo(pos) == 0) {
            bi--;
        }
        Iterator<Overlay.Entry> oi = ov.upTo(pos, inclusive).values().iterator();
        Overlay.Entry nextO = nextAbove(oi, floor);

        List<SourceRecord> records = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        ChangeKey last = null;
        while (records.size() + deleted.size() < req.pageSize()) {
            bi = skipTouchedDown(ov, e, bi);
            ChangeKey bk = bi >= 0 ? gen.key(e, bi) : null;
            if (bk != null && floor != null && bk.compareTo(floor) <= 0) {
                bi = -1;
                bk = null;
            }
            if (bk == null && nextO == null) {
                break;
            }
            if (nextO == null || (bk != null && bk.compareTo(nextO.key()) > 0)) {
                records.add(source(e, gen.record(e, bi)));
                last = bk;
                bi--;
            } else {
                if (nextO.deleted()) {
                    deleted.add(nextO.id());
                } else {
                    records.add(source(e, entryRec(nextO)));
                }
                last = nextO.key();
                nextO = nextAbove(oi, floor);
            }
        }
        bi = skipTouchedDown(ov, e, bi);
        boolean baseLeft = bi >= 0 && (floor == null || gen.key(e, bi).compareTo(floor) > 0);
        boolean hasMore = baseLeft || nextO != null;
        // an estimate: generated records below the position down to the floor, plus the changed
        // ones in that range
        long floorIndex = floor == null ? 0 : gen.firstIndexAfter(e, floor);
        ChangeKey at = last == null ? pos : last;
        long remaining =
                Math.max(0, bi + 1 - floorIndex)
                        + (floor == null
                                ? ov.upTo(at, false).size()
                                : ov.upTo(at, false).headMap(floor, false).size());
        return new ChangePage(
                records,
                deleted,
                Cursor.of(mark, DESCENDING + at.time() + "|" + at.id()),
                hasMore,
                remaining);
    }

    /** The position in a newest-first cursor's state, or null when it holds none. */
    private static ChangeKey descendingPosition(String state) {
        if (state == null || !state.startsWith(DESCENDING)) {
            return null;
        }
        String[] parts = state.substring(DESCENDING.length()).split("\\|", 2);
        if (parts.length != 2) {
            return null;
        }
        try {
            return new ChangeKey(Instant.parse(parts[0]), parts[1]);
        } catch (java.time.format.DateTimeParseException bad) {
            return null;
        }
    }

    private static Overlay.Entry nextAbove(Iterator<Overlay.Entry> it, ChangeKey floor) {
        if (!it.hasNext()) {
            return null;
        }
        Overlay.Entry next = it.next();
        return floor != null && next.key().compareTo(floor) <= 0 ? null : next;
    }

    private static long skipTouchedDown(Overlay ov, EntityType e, long i) {
        while (i >= 0 && ov.touched(RemoteIds.format(e, i))) {
            i--;
        }
        return i;
    }

    private static long skipTouched(EntityType e, Overlay ov, long i, long n) {
        while (i < n && ov.touched(RemoteIds.format(e, i))) {
            i++;
        }
        return i;
    }

    synchronized SourceRecord get(EntityType e, String id, Instant now) throws ConnectorException {
        activity.catchUp(now);
        Rec r = current(e, id);
        if (r == null) {
            throw notFound(e, id);
        }
        return source(e, r);
    }

    /** The record in the sandbox's own format, or null when there is none. */
    synchronized ObjectNode rawRecord(EntityType e, String id, Instant now) {
        activity.catchUp(now);
        Rec r = current(e, id);
        return r == null
                ? null
                : RawShape.of(e, r.remoteId(), r.createdAt(), r.updatedAt(), r.fields());
    }

    /** One page of records in id order, in the sandbox's own format. */
    synchronized ObjectNode rawPage(EntityType e, long offset, int limit, Instant now) {
        activity.catchUp(now);
        Overlay ov = overlays.get(e);
        long end = nextIndex.get(e);
        long idx = offset;
        for (long del : ov.deletedIndexes()) {
            if (del <= idx) {
                idx++;
            } else {
                break;
            }
        }
        ObjectNode page = Json.object();
        ArrayNode data = page.putArray("data");
        for (; idx < end && data.size() < limit; idx++) {
            Rec r = current(e, RemoteIds.format(e, idx));
            if (r != null) {
                data.add(RawShape.of(e, r.remoteId(), r.createdAt(), r.updatedAt(), r.fields()));
            }
        }
        page.put("offset", offset);
        page.put("limit", limit);
        page.put("total", end - ov.deletedIndexes().size());
        return page;
    }

    // ---------------------------------------------------------------- writes

    synchronized SourceRecord create(EntityType e, ObjectNode body, Instant now)
            throws ConnectorException {
        activity.catchUp(now);
        List<FieldError> errors = new ArrayList<>();
        ObjectNode in = Schema.validate(e, body, true, this::exists, errors);
        String id = RemoteIds.format(e, nextIndex.get(e));
        ObjectNode f = null;
        if (errors.isEmpty()) {
            f = derive(e, id, in, now);
            check(e, id, f, errors);
        }
        if (!errors.isEmpty()) {
            throw rejected(e, errors);
        }
        nextIndex.merge(e, 1L, Long::sum);
        Instant at = changeTime(now);
        store(e, new Overlay.Entry(id, f, at, at, false));
        return source(e, new Rec(id, at, at, f.deepCopy()));
    }

    synchronized SourceRecord update(EntityType e, String id, ObjectNode changes, Instant now)
            throws ConnectorException {
        activity.catchUp(now);
        Rec cur = current(e, id);
        if (cur == null) {
            throw notFound(e, id);
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode in = Schema.validate(e, changes, false, this::exists, errors);
        ObjectNode f = null;
        if (errors.isEmpty()) {
            f = derive(e, id, merge(cur.fields(), in), now);
            check(e, id, f, errors);
        }
        if (!errors.isEmpty()) {
            throw rejected(e, errors);
        }
        if (f.equals(cur.fields())) {
            return source(e, cur);
        }
        Instant at = changeTime(now);
        store(e, new Overlay.Entry(id, f, cur.createdAt(), at, false));
        return source(e, new Rec(id, cur.createdAt(), at, f.deepCopy()));
    }

    synchronized void delete(EntityType e, String id, Instant now) throws ConnectorException {
        activity.catchUp(now);
        Rec cur = current(e, id);
        if (cur == null) {
            throw notFound(e, id);
        }
        remove(e, cur, changeTime(now));
    }

    /**
     * JSON merge patch of top-level fields: objects ({@code address}, {@code custom_fields}) are
     * merged key by key (null removes a key), everything else, arrays included, is replaced.
     */
    private static ObjectNode merge(ObjectNode current, ObjectNode changes) {
        ObjectNode out = current.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = changes.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode old = out.get(c.getKey());
            if (c.getValue().isObject() && old != null && old.isObject()) {
                ObjectNode merged = ((ObjectNode) old).deepCopy();
                c.getValue()
                        .fields()
                        .forEachRemaining(
                                kv -> {
                                    if (kv.getValue().isNull()) {
                                        merged.remove(kv.getKey());
                                    } else {
                                        merged.set(kv.getKey(), kv.getValue());
                                    }
                                });
                out.set(c.getKey(), merged);
            } else {
                out.set(c.getKey(), c.getValue());
            }
        }
        return out;
    }

    private static ConnectorException rejected(EntityType e, List<FieldError> errors) {
        return ConnectorException.validationFailed(
                "The sandbox rejected the "
                        + e.singular().replace('_', ' ')
                        + ": "
                        + Schema.summary(errors),
                errors);
    }

    private static ConnectorException notFound(EntityType e, String id) {
        return ConnectorException.notFound(
                "The sandbox has no " + e.singular().replace('_', ' ') + " " + id);
    }

    // ---------------------------------------------------------------- state (callers hold the
    // lock)

    /** The next change time: not before {@code wanted}, after every earlier change. */
    Instant changeTime(Instant wanted) {
        Instant t = wanted.truncatedTo(ChronoUnit.MILLIS);
        if (!t.isAfter(lastChange)) {
            t = lastChange.plusMillis(1);
        }
        lastChange = t;
        return t;
    }

    /** The live record with the id, or null when there is none or it was deleted. */
    Rec current(EntityType e, String id) {
        Overlay.Entry o = overlays.get(e).get(id);
        if (o != null) {
            return o.deleted() ? null : entryRec(o);
        }
        long i = RemoteIds.parse(e, id);
        if (i < 0 || i >= gen.count(e)) {
            return null;
        }
        return gen.record(e, i);
    }

    boolean exists(EntityType e, String id) {
        Overlay.Entry o = overlays.get(e).get(id);
        if (o != null) {
            return !o.deleted();
        }
        long i = RemoteIds.parse(e, id);
        return i >= 0 && i < gen.count(e);
    }

    /** How many ids of the entity were ever assigned (base records plus created ones). */
    long idCount(EntityType e) {
        return nextIndex.get(e);
    }

    /** Creates a record from canonical fields (no validation: for the simulated activity). */
    String insert(EntityType e, ObjectNode fields, Instant at) {
        long index = nextIndex.get(e);
        nextIndex.put(e, index + 1);
        String id = RemoteIds.format(e, index);
        store(e, new Overlay.Entry(id, derive(e, id, fields, at), at, at, false));
        return id;
    }

    /** Stores a changed record (no validation: for the simulated activity). */
    void save(EntityType e, Rec cur, ObjectNode fields, Instant at) {
        store(
                e,
                new Overlay.Entry(
                        cur.remoteId(),
                        derive(e, cur.remoteId(), fields, at),
                        cur.createdAt(),
                        at,
                        false));
    }

    void remove(EntityType e, Rec cur, Instant at) {
        store(e, new Overlay.Entry(cur.remoteId(), Json.object(), cur.createdAt(), at, true));
    }

    private void store(EntityType e, Overlay.Entry entry) {
        overlays.get(e).put(entry, RemoteIds.parse(e, entry.id()));
    }

    private static Rec entryRec(Overlay.Entry o) {
        return new Rec(o.id(), o.createdAt(), o.updatedAt(), o.fields().deepCopy());
    }

    private static SourceRecord source(EntityType e, Rec r) {
        return new SourceRecord(
                r.remoteId(),
                r.createdAt(),
                r.updatedAt(),
                r.fields(),
                RawShape.of(e, r.remoteId(), r.createdAt(), r.updatedAt(), r.fields()));
    }

    // ---------------------------------------------------------------- business rules

    private static boolean blank(JsonNode f, String name) {
        JsonNode v = f.get(name);
        return v == null || v.isNull();
    }

    private static void defaultTo(ObjectNode f, String name, String value) {
        if (blank(f, name)) {
            f.put(name, value);
        }
    }

    private JsonNode field(EntityType e, String id, String name) {
        if (id == null) {
            return null;
        }
        Rec r = current(e, id);
        return r == null ? null : r.fields().get(name);
    }

    private String textField(EntityType e, String id, String name) {
        JsonNode v = field(e, id, name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * Fills defaults and computes what the sandbox computes itself: remote_status, PO line totals
     * and totals (tax by vendor country), labor cost, available stock.
     */
    ObjectNode derive(EntityType e, String id, ObjectNode in, Instant at) {
        ObjectNode f = Schema.shape(e, in);
        switch (e) {
            case VENDORS -> {
                defaultTo(f, "status", "active");
                defaultTo(f, "currency", "EUR");
                defaultTo(f, "code", "V" + (10000 + RemoteIds.parse(e, id) + 1));
            }
            case ITEMS -> {
                defaultTo(f, "status", "active");
                defaultTo(f, "type", "part");
                defaultTo(f, "unit", "pcs");
                defaultTo(f, "currency", "EUR");
            }
            case LOCATIONS -> defaultTo(f, "status", "active");
            case STOCK_LEVELS -> {
                defaultTo(f, "quantity_reserved", "0");
                defaultTo(f, "quantity_on_order", "0");
                defaultTo(f, "unit", textField(ITEMS, Json.text(f, "item_id"), "unit"));
                BigDecimal onHand = Json.dec(f.get("quantity_on_hand"));
                BigDecimal reserved = Json.dec(f.get("quantity_reserved"));
                if (onHand != null && reserved != null) {
                    f.put(
                            "quantity_available",
                            Json.qty(onHand.subtract(reserved).max(BigDecimal.ZERO)));
                }
            }
            case ASSETS -> {
                defaultTo(f, "status", "active");
                defaultTo(f, "currency", "EUR");
            }
            case WORK_ORDERS -> {
                defaultTo(f, "number", id);
                defaultTo(f, "status", "requested");
                defaultTo(f, "priority", "medium");
                defaultTo(f, "type", "corrective");
                defaultTo(
                        f,
                        "location_id",
                        textField(ASSETS, Json.text(f, "asset_id"), "location_id"));
                int k = 0;
                for (JsonNode t : Json.arr(f, "tasks")) {
                    k++;
                    if (blank(t, "sequence")) {
                        ((ObjectNode) t).put("sequence", k * 10);
                    }
                    defaultTo((ObjectNode) t, "status", "open");
                }
                for (JsonNode l : Json.arr(f, "labor")) {
                    BigDecimal hours = Json.dec(l.get("hours"));
                    BigDecimal rate = Json.dec(l.get("rate"));
                    if (hours != null && rate != null) {
                        ((ObjectNode) l).put("cost", Json.money(hours.multiply(rate)));
                    }
                }
                for (JsonNode p : Json.arr(f, "parts")) {
                    String item = Json.text(p, "item_id");
                    defaultTo((ObjectNode) p, "description", textField(ITEMS, item, "name"));
                    defaultTo((ObjectNode) p, "unit", textField(ITEMS, item, "unit"));
                    defaultTo((ObjectNode) p, "unit_cost", textField(ITEMS, item, "unit_cost"));
                }
            }
            case SERVICE_REQUESTS -> {
                defaultTo(f, "number", id);
                defaultTo(f, "status", "open");
                defaultTo(f, "priority", "medium");
                defaultTo(f, "reported_at", Json.ts(at.truncatedTo(ChronoUnit.SECONDS)));
                defaultTo(
                        f,
                        "location_id",
                        textField(ASSETS, Json.text(f, "asset_id"), "location_id"));
            }
            case PURCHASE_ORDERS -> derivePurchaseOrder(id, f, at);
        }
        if (Statuses.hasRemoteStatus(e)) {
            f.put("remote_status", Statuses.raw(e, Json.text(f, "status")));
        }
        return f;
    }

    private void derivePurchaseOrder(String id, ObjectNode f, Instant at) {
        String vendor = Json.text(f, "vendor_id");
        long index = RemoteIds.parse(EntityType.PURCHASE_ORDERS, id);
        defaultTo(f, "number", Generator.poNumber(index));
        defaultTo(f, "status", "draft");
        defaultTo(f, "order_date", Json.date(at));
        defaultTo(f, "currency", textField(VENDORS, vendor, "currency"));
        JsonNode address = field(VENDORS, vendor, "address");
        String country = address == null ? null : Json.text(address, "country");
        BigDecimal net = BigDecimal.ZERO;
        int k = 0;
        for (JsonNode l : Json.arr(f, "lines")) {
            ObjectNode line = (ObjectNode) l;
            k++;
            if (blank(line, "line_number")) {
                line.put("line_number", k);
            }
            String item = Json.text(line, "item_id");
            defaultTo(line, "description", textField(ITEMS, item, "name"));
            defaultTo(line, "unit", textField(ITEMS, item, "unit"));
            defaultTo(line, "received_quantity", "0");
            BigDecimal qty = Json.dec(line.get("quantity"));
            BigDecimal price = Json.dec(line.get("unit_price"));
            if (qty != null && price != null) {
                BigDecimal total = qty.multiply(price).setScale(2, RoundingMode.HALF_UP);
                line.put("line_total", Json.money(total));
                net = net.add(total);
            }
        }
        BigDecimal tax = net.multiply(Generator.taxRate(country)).setScale(2, RoundingMode.HALF_UP);
        f.put("total_net", Json.money(net));
        f.put("total_tax", Json.money(tax));
        f.put("total_gross", Json.money(net.add(tax)));
    }

    /** Rules that need the whole record and the rest of the system. */
    private void check(EntityType e, String id, ObjectNode f, List<FieldError> errors) {
        switch (e) {
            case ASSETS, LOCATIONS -> {
                String parent = Json.text(f, "parent_id");
                for (int depth = 0; parent != null && depth < 100; depth++) {
                    if (parent.equals(id)) {
                        errors.add(
                                new FieldError(
                                        "parent_id",
                                        depth == 0
                                                ? "cannot be the record itself"
                                                : "would create a cycle"));
                        break;
                    }
                    parent = textField(e, parent, "parent_id");
                }
            }
            case STOCK_LEVELS -> {
                String other = stockLevelAt(Json.text(f, "item_id"), Json.text(f, "location_id"));
                if (other != null && !other.equals(id)) {
                    errors.add(
                            new FieldError(
                                    "location_id",
                                    "the item already has stock level " + other + " here"));
                }
            }
            case PURCHASE_ORDERS -> {
                int k = 0;
                for (JsonNode l : Json.arr(f, "lines")) {
                    BigDecimal qty = Json.dec(l.get("quantity"));
                    BigDecimal rec = Json.dec(l.get("received_quantity"));
                    if (qty != null && rec != null && rec.compareTo(qty) > 0) {
                        errors.add(
                                new FieldError(
                                        "lines[" + k + "].received_quantity",
                                        "must not exceed the quantity"));
                    }
                    k++;
                }
            }
            default -> {}
        }
    }

    /** The live stock level of the item at the location, or null. */
    private String stockLevelAt(String item, String location) {
        if (item == null || location == null) {
            return null;
        }
        List<String> candidates = new ArrayList<>();
        long j = RemoteIds.parse(ITEMS, item);
        if (j >= 0 && j < gen.count(ITEMS)) {
            candidates.add(RemoteIds.format(STOCK_LEVELS, 2 * j));
            candidates.add(RemoteIds.format(STOCK_LEVELS, 2 * j + 1));
        }
        for (Overlay.Entry o : overlays.get(STOCK_LEVELS).entries()) {
            candidates.add(o.id());
        }
        for (String c : candidates) {
            Rec r = current(STOCK_LEVELS, c);
            if (r != null
                    && item.equals(Json.text(r.fields(), "item_id"))
                    && location.equals(Json.text(r.fields(), "location_id"))) {
                return c;
            }
        }
        return null;
    }
}
