package org.ironbridge.connector.tryton.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.connector.testkit.TestContext;
import org.ironbridge.model.EntityType;

/**
 * The real Tryton server that {@code scripts/provision.sh} starts (database {@code ironbridge},
 * admin/admin, 127.0.0.1:8765 unless {@code -Dtryton.url}). Tests fail, never skip, when it is
 * absent.
 */
final class TrytonServer {
    static final String URL = System.getProperty("tryton.url", "http://127.0.0.1:8765/");
    static final String DATABASE = "ironbridge";

    private static volatile boolean seeded;

    private TrytonServer() {}

    static Credentials credentials(String password) {
        return Credentials.of(
                Map.of(
                        "url",
                        URL,
                        "database",
                        DATABASE,
                        "username",
                        "admin",
                        "password",
                        password));
    }

    /** An admin JSON-RPC client of its own, for changing data behind the connector's back. */
    static TrytonClient admin() throws ConnectorException {
        TrytonClient c =
                new TrytonClient(
                        TestContext.create("admin").http(),
                        URI.create(URL),
                        DATABASE,
                        "admin",
                        "admin");
        try {
            c.login();
        } catch (ConnectorException e) {
            if (e.kind() == ConnectorException.Kind.SOURCE_UNAVAILABLE) {
                throw new AssertionError(
                        "No Tryton server at " + URL + ": run scripts/provision.sh first", e);
            }
            throw e;
        }
        return c;
    }

    static JsonNode call(TrytonClient c, String method, Object... args) throws ConnectorException {
        return c.call(method, c.params(args));
    }

    /** Makes sure the database has a few vendors, items and purchase orders to page through. */
    static synchronized void seed() throws ConnectorException {
        if (seeded) {
            return;
        }
        TrytonClient c = admin();
        int orders = call(c, "model.purchase.purchase.search_count", List.of()).asInt();
        if (orders < 12) {
            ConnectorSession s =
                    new TrytonConnectorFactory()
                            .open(credentials("admin"), TestContext.create("seed"));
            ObjectNode v = TrytonValues.MAPPER.createObjectNode();
            for (int i = orders; i < 12; i++) {
                ObjectNode vendor =
                        v.objectNode()
                                .put("name", "Seed Supplier " + i)
                                .put("email", "orders" + i + "@supplier.example");
                String vendorId = s.create(EntityType.VENDORS, vendor).remoteId();
                ArrayNode addr = TrytonValues.MAPPER.createArrayNode();
                addr.addObject()
                        .put("party", Long.parseLong(vendorId))
                        .put("street", "Hauptstr. " + i)
                        .put("postal_code", "10115")
                        .put("city", "Berlin");
                call(c, "model.party.address.create", addr);
                String itemId =
                        s.create(
                                        EntityType.ITEMS,
                                        v.objectNode()
                                                .put("name", "Seed Bolt " + i)
                                                .put("code", "SEED-" + i)
                                                .put("unit_cost", "0.20"))
                                .remoteId();
                ObjectNode po =
                        v.objectNode()
                                .put("vendor_id", vendorId)
                                .put("order_date", "2026-11-0" + (1 + i % 9))
                                .put("notes", "seed " + i);
                po.putArray("lines")
                        .addObject()
                        .put("item_id", itemId)
                        .put("quantity", "100")
                        .put("unit_price", "0.2000");
                if (i % 3 == 1) {
                    po.put("status", "pending_approval");
                } else if (i % 3 == 2) {
                    po.put("status", "approved");
                }
                s.create(EntityType.PURCHASE_ORDERS, po);
            }
            s.close();
        }
        seedStock(c);
        c.logout();
        seeded = true;
    }

    /** Makes sure ten seed items have stock in the storage zone (moves from Lost and Found). */
    private static void seedStock(TrytonClient c) throws ConnectorException {
        long lostFound = location(c, "lost_found");
        long storage = storageZone(c);
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        d.addArray().add("from_location").add("=").add(lostFound);
        d.addArray().add("to_location").add("=").add(storage);
        if (call(c, "model.stock.move.search_count", d).asInt() >= 10) {
            return;
        }
        ArrayNode goods = TrytonValues.MAPPER.createArrayNode();
        goods.addArray().add("type").add("=").add("goods");
        // only the seed's own items: Tryton refuses cost price changes once a product has moves
        goods.addArray().add("code").add("like").add("SEED-%");
        JsonNode products = call(c, "model.product.product.search", goods, 0, 10, null);
        int i = 0;
        for (JsonNode p : products) {
            moveDone(c, p.asLong(), lostFound, storage, Integer.toString(10 + i++));
        }
    }

    /** The first location of a type (e.g. {@code lost_found}, {@code customer}). */
    static long location(TrytonClient c, String type) throws ConnectorException {
        ArrayNode d = TrytonValues.MAPPER.createArrayNode();
        d.addArray().add("type").add("=").add(type);
        return call(c, "model.stock.location.search", d, 0, 1, null).get(0).asLong();
    }

    /** The first warehouse's storage zone. */
    static long storageZone(TrytonClient c) throws ConnectorException {
        long wh = location(c, "warehouse");
        return call(c, "model.stock.location.read", List.of(wh), List.of("storage_location"))
                .get(0)
                .get("storage_location")
                .asLong();
    }

    /**
     * Creates a stock move with Tryton's own API and does it (state done), so that quantities
     * change. Moves from a supplier or to a customer need a unit price; it is set for all.
     */
    static long moveDone(TrytonClient c, long product, long from, long to, String quantity)
            throws ConnectorException {
        long move = move(c, product, from, to, quantity);
        call(c, "model.stock.move.do", List.of(move));
        return move;
    }

    /** Creates a draft stock move of the product in its default unit. */
    static long move(TrytonClient c, long product, long from, long to, String quantity)
            throws ConnectorException {
        JsonNode p =
                call(c, "model.product.product.read", List.of(product), List.of("default_uom"))
                        .get(0);
        JsonNode company = c.context().get("company");
        ArrayNode values = TrytonValues.MAPPER.createArrayNode();
        ObjectNode m =
                values.addObject()
                        .put("product", product)
                        .put("uom", p.get("default_uom").asLong())
                        .put("quantity", Double.parseDouble(quantity))
                        .put("from_location", from)
                        .put("to_location", to);
        m.set("company", company);
        m.set("unit_price", TrytonValues.toDecimal(java.math.BigDecimal.ONE));
        JsonNode currency =
                call(
                                c,
                                "model.company.company.read",
                                List.of(company.asLong()),
                                List.of("currency"))
                        .get(0)
                        .get("currency");
        m.set("currency", currency);
        return call(c, "model.stock.move.create", values).get(0).asLong();
    }
}
