package org.ironbridge.connector.tryton.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;

/**
 * Stock levels: the quantity of one product at one storage location.
 *
 * <p><b>Which levels exist.</b> Tryton stores no stock level; it computes quantities from {@code
 * stock.move} records. A stock level is a (product, location) pair where {@code location} is a
 * {@code stock.location} of type {@code storage} and some move of the product (in any state) comes
 * from or goes to it. Its quantity is the location's own quantity (context {@code with_childs:
 * false}), so levels of nested storage locations do not count the same goods twice. Remote id:
 * {@code <product id>@<location id>}.
 *
 * <p><b>Incremental reads.</b> A level changes only when one of its moves is created or written (a
 * move being done, assigned or cancelled writes it). A level's modification time is the latest
 * {@code write_date}, else {@code create_date}, of its moves. A read fetches the (product,
 * locations, timestamps) of the moves changed at or after the cursor's watermark, folds them into
 * levels, orders those by (time, product, location), skips everything at or before the cursor's
 * position, and reads the page's current quantities: one {@code product.product} read per location
 * in the page, plus one read of the page's moves. Cursor: {@code Cursor.of(time of the last level,
 * its remote id)}.
 */
final class TrytonStockLevels {
    private static final Pattern ID = Pattern.compile("(\\d{1,18})@(\\d{1,18})");

    record Key(long product, long location) {
        String remoteId() {
            return TrytonMapper.stockLevelId(product, location);
        }

        static Key parse(String remoteId) {
            Matcher m = remoteId == null ? null : ID.matcher(remoteId);
            return m != null && m.matches()
                    ? new Key(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))
                    : null;
        }
    }

    private record Candidate(Key key, Instant modified) {}

    private static final Comparator<Candidate> ORDER =
            Comparator.comparing(Candidate::modified)
                    .thenComparingLong(c -> c.key().product())
                    .thenComparingLong(c -> c.key().location());

    private final TrytonClient client;

    TrytonStockLevels(TrytonClient client) {
        this.client = client;
    }

    ChangePage read(ReadRequest request) throws ConnectorException {
        Cursor cursor = request.cursor();
        boolean positioned = cursor != null && cursor.watermark().isPresent();
        Instant from = positioned ? cursor.watermark().get() : request.since();
        Key afterKey = positioned ? Key.parse(cursor.state()) : null;
        Candidate after = afterKey == null || from == null ? null : new Candidate(afterKey, from);

        Set<Long> storage = storageLocations();
        Map<Key, Instant> changed = new HashMap<>();
        if (!storage.isEmpty()) {
            ArrayNode domain = touching(storage);
            if (from != null) {
                ArrayNode or = domain.addArray().add("OR");
                or.addArray().add("write_date").add(">=").add(TrytonValues.toDatetime(from));
                or.addArray().add("create_date").add(">=").add(TrytonValues.toDatetime(from));
            }
            for (JsonNode m :
                    searchRead(
                            "stock.move",
                            domain,
                            List.of(
                                    "product",
                                    "from_location",
                                    "to_location",
                                    "create_date",
                                    "write_date"),
                            null)) {
                Instant t = TrytonMapper.modified(m);
                for (String side : List.of("from_location", "to_location")) {
                    long loc = m.path(side).asLong(-1);
                    if (storage.contains(loc)) {
                        changed.merge(
                                new Key(m.get("product").asLong(), loc),
                                t,
                                (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
            }
        }
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
        Map<Key, Instant> modified = new LinkedHashMap<>();
        page.forEach(c -> modified.put(c.key(), c.modified()));
        Map<Key, SourceRecord> records = levels(modified);
        List<SourceRecord> out = new ArrayList<>();
        for (Candidate c : page) {
            SourceRecord r = records.get(c.key());
            if (r != null) { // its moves were deleted between the two calls
                out.add(r);
            }
        }
        Candidate last = page.get(page.size() - 1);
        return new ChangePage(
                out,
                List.of(),
                Cursor.of(last.modified(), last.key().remoteId()),
                ordered.size() > page.size(),
                ordered.size() - page.size());
    }

    SourceRecord get(String remoteId) throws ConnectorException {
        Key key = Key.parse(remoteId);
        if (key == null || !storageLocations().contains(key.location())) {
            throw notFound(remoteId);
        }
        Map<Key, Instant> one = new LinkedHashMap<>();
        one.put(key, null);
        SourceRecord r = levels(one).get(key);
        if (r == null) {
            throw notFound(remoteId);
        }
        return r;
    }

    private static ConnectorException notFound(String remoteId) {
        return ConnectorException.notFound(
                "Tryton has no stock level "
                        + remoteId
                        + " (a stock level is <product id>@<storage location id> with at least"
                        + " one stock move)");
    }

    /**
     * The current levels of the keys that have moves: their moves in one read, their quantities in
     * one {@code product.product} read per location. {@code modified} gives each key's modification
     * time as the change scan saw it (null: from its moves).
     */
    private Map<Key, SourceRecord> levels(Map<Key, Instant> modified) throws ConnectorException {
        Set<Long> products = new TreeSet<>();
        Set<Long> locations = new TreeSet<>();
        modified.keySet()
                .forEach(
                        k -> {
                            products.add(k.product());
                            locations.add(k.location());
                        });
        ArrayNode domain = touching(locations);
        domain.addArray().add("product").add("in").add(TrytonValues.MAPPER.valueToTree(products));
        Map<Key, List<JsonNode>> moves = new HashMap<>();
        for (JsonNode m : searchRead("stock.move", domain, TrytonMapper.STOCK_MOVE_FIELDS, null)) {
            long product = m.get("product").asLong();
            long fromLoc = m.path("from_location").asLong(-1);
            long toLoc = m.path("to_location").asLong(-1);
            for (long loc : fromLoc == toLoc ? List.of(fromLoc) : List.of(fromLoc, toLoc)) {
                Key k = new Key(product, loc);
                if (modified.containsKey(k)) {
                    moves.computeIfAbsent(k, x -> new ArrayList<>()).add(m);
                }
            }
        }
        Map<Long, List<Long>> productsByLocation = new LinkedHashMap<>();
        for (Key k : modified.keySet()) {
            if (moves.containsKey(k)) {
                productsByLocation
                        .computeIfAbsent(k.location(), x -> new ArrayList<>())
                        .add(k.product());
            }
        }
        Map<Key, SourceRecord> out = new HashMap<>();
        for (Map.Entry<Long, List<Long>> e : productsByLocation.entrySet()) {
            long location = e.getKey();
            ObjectNode ctx = client.context();
            ctx.putArray("locations").add(location);
            ctx.put("with_childs", false);
            ArrayNode d = TrytonValues.MAPPER.createArrayNode();
            d.addArray().add("id").add("in").add(TrytonValues.MAPPER.valueToTree(e.getValue()));
            for (JsonNode p :
                    searchRead("product.product", d, TrytonMapper.STOCK_PRODUCT_FIELDS, ctx)) {
                Key k = new Key(p.get("id").asLong(), location);
                out.put(k, TrytonMapper.stockLevel(location, p, moves.get(k), modified.get(k)));
            }
        }
        return out;
    }

    /** The (active) locations of type storage. */
    private Set<Long> storageLocations() throws ConnectorException {
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        d.addArray().add("type").add("=").add("storage");
        Set<Long> ids = new TreeSet<>();
        for (JsonNode l : searchRead("stock.location", d, List.of("id"), null)) {
            ids.add(l.get("id").asLong());
        }
        return ids;
    }

    /** {@code [["OR", [from_location in L], [to_location in L]]]}. */
    private static ArrayNode touching(Set<Long> locations) {
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        ArrayNode or = d.addArray().add("OR");
        or.addArray()
                .add("from_location")
                .add("in")
                .add(TrytonValues.MAPPER.valueToTree(locations));
        or.addArray().add("to_location").add("in").add(TrytonValues.MAPPER.valueToTree(locations));
        return d;
    }

    /**
     * {@code search_read} ordered by id. Like the other entities it keeps Tryton's default {@code
     * active_test}: archived products and locations are not read, so that {@code item_id} and
     * {@code location_id} always name records the items and locations entities return.
     */
    private List<JsonNode> searchRead(
            String model, JsonNode domain, List<String> fields, ObjectNode context)
            throws ConnectorException {
        ObjectNode ctx = context != null ? context : client.context();
        ArrayNode p = TrytonValues.MAPPER.createArrayNode();
        p.add(domain).add(0).addNull();
        p.add(TrytonValues.MAPPER.valueToTree(List.of(List.of("id", "ASC"))));
        p.add(TrytonValues.MAPPER.valueToTree(fields));
        p.add(ctx);
        List<JsonNode> out = new ArrayList<>();
        client.call("model." + model + ".search_read", p).forEach(out::add);
        return out;
    }
}
