package org.ironbridge.connector.tryton.internal;

import static org.ironbridge.connector.tryton.internal.TrytonValues.bool;
import static org.ironbridge.connector.tryton.internal.TrytonValues.date;
import static org.ironbridge.connector.tryton.internal.TrytonValues.datetime;
import static org.ironbridge.connector.tryton.internal.TrytonValues.money;
import static org.ironbridge.connector.tryton.internal.TrytonValues.quantity;
import static org.ironbridge.connector.tryton.internal.TrytonValues.ref;
import static org.ironbridge.connector.tryton.internal.TrytonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * Tryton records (as {@code search_read} returns them with {@link #fields}) to canonical records.
 * Pure functions: the golden-file tests feed it recorded responses.
 */
final class TrytonMapper {
    private TrytonMapper() {}

    /** The Tryton model behind each entity. */
    static final Map<EntityType, String> MODELS =
            Map.of(
                    EntityType.VENDORS, "party.party",
                    EntityType.ITEMS, "product.product",
                    EntityType.LOCATIONS, "stock.location",
                    EntityType.PURCHASE_ORDERS, "purchase.purchase");

    static final List<String> LINE_FIELDS =
            List.of(
                    "purchase",
                    "sequence",
                    "type",
                    "product",
                    "description",
                    "quantity",
                    "unit",
                    "unit.symbol",
                    "unit_price",
                    "amount",
                    "to_location",
                    "create_date",
                    "write_date");

    /** The fields read for each entity. */
    static List<String> fields(EntityType type) {
        List<String> common = List.of("create_date", "write_date");
        List<String> own =
                switch (type) {
                    case VENDORS ->
                            List.of(
                                    "name",
                                    "code",
                                    "active",
                                    "email",
                                    "phone",
                                    "website",
                                    "tax_identifier.code",
                                    "supplier_payment_term.rec_name",
                                    "addresses.street",
                                    "addresses.city",
                                    "addresses.postal_code");
                    case ITEMS ->
                            List.of(
                                    "name",
                                    "code",
                                    "description",
                                    "type",
                                    "active",
                                    "template",
                                    "default_uom.symbol",
                                    "cost_price",
                                    "list_price",
                                    "account_category.rec_name");
                    case LOCATIONS -> List.of("name", "code", "type", "parent", "active");
                    case PURCHASE_ORDERS ->
                            List.of(
                                    "number",
                                    "reference",
                                    "party",
                                    "state",
                                    "shipment_state",
                                    "invoice_state",
                                    "purchase_date",
                                    "delivery_date",
                                    "currency.code",
                                    "untaxed_amount",
                                    "tax_amount",
                                    "total_amount",
                                    "description",
                                    "warehouse",
                                    "lines");
                    default -> throw new IllegalArgumentException(type.collection());
                };
        return java.util.stream.Stream.concat(own.stream(), common.stream()).toList();
    }

    /** The domain clause that restricts a model to the entity's records. */
    static ArrayNode scope(EntityType type) {
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        if (type == EntityType.LOCATIONS) {
            d.addArray()
                    .add("type")
                    .add("in")
                    .add(TrytonValues.MAPPER.createArrayNode().add("warehouse").add("storage"));
        }
        return d;
    }

    /** When the record last changed: write_date, or create_date before the first edit. */
    static Instant modified(JsonNode raw) {
        Instant w = datetime(raw.get("write_date"));
        return w != null ? w : datetime(raw.get("create_date"));
    }

    /** A purchase order changes when it or one of its lines does (line edits don't touch it). */
    static Instant modified(JsonNode raw, List<JsonNode> lines) {
        Instant m = modified(raw);
        for (JsonNode line : lines == null ? List.<JsonNode>of() : lines) {
            Instant lm = modified(line);
            if (lm != null && (m == null || lm.isAfter(m))) {
                m = lm;
            }
        }
        return m;
    }

    static SourceRecord map(EntityType type, JsonNode raw, List<JsonNode> lines, Instant updated) {
        ObjectNode f = TrytonValues.MAPPER.createObjectNode();
        ObjectNode custom = f.putObject("custom_fields");
        switch (type) {
            case VENDORS -> vendor(raw, f, custom);
            case ITEMS -> item(raw, f, custom);
            case LOCATIONS -> location(raw, f);
            case PURCHASE_ORDERS -> purchaseOrder(raw, lines, f, custom);
            default -> throw new IllegalArgumentException(type.collection());
        }
        f.remove("custom_fields");
        f.set("custom_fields", custom);
        ObjectNode rawCopy = raw.deepCopy();
        if (lines != null) {
            ArrayNode l = rawCopy.putArray("lines.");
            lines.forEach(l::add);
        }
        return new SourceRecord(
                raw.get("id").asText(),
                datetime(raw.get("create_date")),
                updated != null ? updated : modified(raw, lines),
                f,
                rawCopy);
    }

    private static void vendor(JsonNode r, ObjectNode f, ObjectNode custom) {
        f.put("name", text(r.get("name")));
        f.put("code", text(r.get("code")));
        f.put("status", bool(r.get("active")) ? "active" : "inactive");
        f.put("tax_id", text(r.path("tax_identifier.").get("code")));
        f.putNull("currency");
        f.put("email", text(r.get("email")));
        f.put("phone", text(r.get("phone")));
        f.put("website", text(r.get("website")));
        f.put("payment_terms", text(r.path("supplier_payment_term.").get("rec_name")));
        JsonNode addresses = r.path("addresses.");
        if (addresses.isArray() && addresses.size() > 0) {
            JsonNode a = addresses.get(0);
            ObjectNode addr = f.putObject("address");
            addr.put("street", text(a.get("street")));
            addr.put("city", text(a.get("city")));
            addr.put("postal_code", text(a.get("postal_code")));
            addr.putNull("state");
            addr.putNull("country");
        } else {
            f.putNull("address");
        }
        f.putNull("notes");
    }

    /** Tryton product type to canonical item type. */
    static String itemType(String trytonType) {
        return switch (trytonType == null ? "" : trytonType) {
            case "service" -> "service";
            case "assets" -> "tool";
            default -> "material";
        };
    }

    private static void item(JsonNode r, ObjectNode f, ObjectNode custom) {
        f.put("name", text(r.get("name")));
        f.put("code", text(r.get("code")));
        f.put("description", text(r.get("description")));
        f.put("type", itemType(text(r.get("type"))));
        f.put("unit", text(r.path("default_uom.").get("symbol")));
        f.put("unit_cost", money(r.get("cost_price")));
        f.putNull("currency");
        f.put("status", bool(r.get("active")) ? "active" : "inactive");
        f.put("category", text(r.path("account_category.").get("rec_name")));
        f.putNull("vendor_id");
        custom.put("tryton_type", text(r.get("type")));
        custom.put("list_price", money(r.get("list_price")));
        custom.put("template_id", ref(r.get("template")));
    }

    private static void location(JsonNode r, ObjectNode f) {
        f.put("name", text(r.get("name")));
        f.put("code", text(r.get("code")));
        f.put("type", "warehouse".equals(text(r.get("type"))) ? "warehouse" : "storeroom");
        f.put("parent_id", ref(r.get("parent")));
        f.put("status", bool(r.get("active")) ? "active" : "inactive");
        f.putNull("address");
    }

    /** The fields of the {@code product.product} read that carries a stock level's quantities. */
    static final List<String> STOCK_PRODUCT_FIELDS =
            List.of("quantity", "forecast_quantity", "default_uom.symbol");

    /** The fields of the {@code stock.move} reads behind stock levels. */
    static final List<String> STOCK_MOVE_FIELDS =
            List.of(
                    "product",
                    "from_location",
                    "to_location",
                    "from_location.type",
                    "state",
                    "internal_quantity",
                    "create_date",
                    "write_date");

    /** A stock level's remote id: {@code <product id>@<location id>}. */
    static String stockLevelId(long product, long location) {
        return product + "@" + location;
    }

    /**
     * One stock level: {@code product} is the {@code product.product} row read with {@link
     * #STOCK_PRODUCT_FIELDS} in the context {@code {"locations": [location], "with_childs": false}}
     * (the location's own quantity), {@code moves} every {@code stock.move} of the product from or
     * to the location (read with {@link #STOCK_MOVE_FIELDS}).
     *
     * <p>On hand is Tryton's {@code quantity}; reserved is what assigned moves out of the location
     * hold; on order is what draft or assigned moves from a supplier location into it will bring
     * (purchase moves). Quantities are in the product's default unit ({@code internal_quantity}).
     * Created is the first move's creation, updated the last change of any move.
     */
    static SourceRecord stockLevel(
            long location, JsonNode product, List<JsonNode> moves, Instant updated) {
        long productId = product.get("id").asLong();
        BigDecimal reserved = BigDecimal.ZERO;
        BigDecimal onOrder = BigDecimal.ZERO;
        Instant created = null;
        Instant modified = null;
        ObjectNode raw = TrytonValues.MAPPER.createObjectNode();
        raw.put("id", stockLevelId(productId, location));
        raw.put("location", location);
        raw.set("product", product.deepCopy());
        ArrayNode open = raw.putArray("open_moves");
        for (JsonNode m : moves) {
            Instant c = datetime(m.get("create_date"));
            if (c != null && (created == null || c.isBefore(created))) {
                created = c;
            }
            Instant w = modified(m);
            if (w != null && (modified == null || w.isAfter(modified))) {
                modified = w;
            }
            String state = text(m.get("state"));
            BigDecimal q = TrytonValues.decimal(m.get("internal_quantity"));
            if (q == null || !("draft".equals(state) || "assigned".equals(state))) {
                continue;
            }
            open.add(m);
            if ("assigned".equals(state) && m.path("from_location").asLong() == location) {
                reserved = reserved.add(q);
            }
            if (m.path("to_location").asLong() == location
                    && "supplier".equals(text(m.path("from_location.").get("type")))) {
                onOrder = onOrder.add(q);
            }
        }
        ObjectNode f = TrytonValues.MAPPER.createObjectNode();
        f.put("item_id", Long.toString(productId));
        f.put("location_id", Long.toString(location));
        BigDecimal onHand = TrytonValues.decimal(product.get("quantity"));
        if (onHand == null) {
            onHand = BigDecimal.ZERO;
        }
        f.put("quantity_on_hand", qty(onHand));
        f.put("quantity_reserved", qty(reserved));
        f.put("quantity_available", qty(onHand.subtract(reserved)));
        f.put("quantity_on_order", qty(onOrder));
        f.putNull("reorder_point");
        f.put("unit", text(product.path("default_uom.").get("symbol")));
        f.putObject("custom_fields")
                .put("forecast_quantity", quantity(product.get("forecast_quantity")));
        return new SourceRecord(
                stockLevelId(productId, location),
                created,
                updated != null ? updated : modified,
                f,
                raw);
    }

    private static String qty(BigDecimal d) {
        return quantity(TrytonValues.MAPPER.getNodeFactory().numberNode(d));
    }

    /** Tryton purchase state (and shipment state) to the canonical status. */
    static String poStatus(String state, String shipmentState) {
        return switch (state == null ? "" : state) {
            case "draft" -> "draft";
            case "quotation" -> "pending_approval";
            case "confirmed" -> "approved";
            case "processing" ->
                    switch (shipmentState == null ? "" : shipmentState) {
                        case "received" -> "received";
                        case "partially shipped" -> "partially_received";
                        default -> "approved";
                    };
            case "done" -> "closed";
            case "cancelled" -> "cancelled";
            default -> "draft";
        };
    }

    private static void purchaseOrder(
            JsonNode r, List<JsonNode> lines, ObjectNode f, ObjectNode custom) {
        f.put("number", text(r.get("number")));
        f.put("vendor_id", ref(r.get("party")));
        String state = text(r.get("state"));
        f.put("status", poStatus(state, text(r.get("shipment_state"))));
        f.put("remote_status", state);
        LocalDate ordered = date(r.get("purchase_date"));
        f.put("order_date", ordered == null ? null : ordered.toString());
        LocalDate expected = date(r.get("delivery_date"));
        f.put("expected_date", expected == null ? null : expected.toString());
        f.put("currency", text(r.path("currency.").get("code")));
        f.put("total_net", money(r.get("untaxed_amount")));
        f.put("total_tax", money(r.get("tax_amount")));
        f.put("total_gross", money(r.get("total_amount")));
        f.put("notes", text(r.get("description")));
        ArrayNode out = f.putArray("lines");
        int n = 1;
        for (JsonNode l : lines == null ? List.<JsonNode>of() : lines) {
            if (!"line".equals(text(l.get("type")))) {
                continue;
            }
            ObjectNode o = out.addObject();
            o.put("line_number", n++);
            o.put("item_id", ref(l.get("product")));
            o.put("description", text(l.get("description")));
            o.put("quantity", quantity(l.get("quantity")));
            o.putNull("received_quantity");
            o.put("unit", text(l.path("unit.").get("symbol")));
            o.put("unit_price", money(l.get("unit_price")));
            o.put("line_total", money(l.get("amount")));
            o.put("location_id", ref(r.get("warehouse")));
        }
        custom.put("reference", text(r.get("reference")));
        custom.put("shipment_state", text(r.get("shipment_state")));
        custom.put("invoice_state", text(r.get("invoice_state")));
    }
}
