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
        c.logout();
        seeded = true;
    }
}
