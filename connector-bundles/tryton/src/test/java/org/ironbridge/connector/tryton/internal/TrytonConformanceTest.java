package org.ironbridge.connector.tryton.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.BeforeAll;

/** The Tryton connector passes the conformance kit against the real, provisioned Tryton server. */
class TrytonConformanceTest extends ConnectorConformanceTest {
    private final TrytonConnectorFactory factory = new TrytonConnectorFactory();

    @BeforeAll
    static void seed() throws Exception {
        TrytonServer.seed();
    }

    @Override
    protected ConnectorFactory factory() {
        return factory;
    }

    @Override
    protected Credentials goodCredentials() {
        return TrytonServer.credentials("admin");
    }

    @Override
    protected Credentials badCredentials() {
        return TrytonServer.credentials("wrong-password");
    }

    @Override
    protected void changeAtSource(EntityType entity, String remoteId) throws Exception {
        TrytonClient admin = TrytonServer.admin();
        long id = entity == EntityType.STOCK_LEVELS ? 0 : Long.parseLong(remoteId);
        String stamp = "changed " + System.nanoTime();
        switch (entity) {
            case VENDORS -> {
                JsonNode name =
                        TrytonServer.call(
                                        admin,
                                        "model.party.party.read",
                                        List.of(id),
                                        List.of("name"))
                                .get(0)
                                .get("name");
                TrytonServer.call(
                        admin,
                        "model.party.party.write",
                        List.of(id),
                        Map.of("name", name.asText()));
            }
            case ITEMS ->
                    TrytonServer.call(
                            admin,
                            "model.product.product.write",
                            List.of(id),
                            Map.of("description", stamp));
            case LOCATIONS -> {
                JsonNode name =
                        TrytonServer.call(
                                        admin,
                                        "model.stock.location.read",
                                        List.of(id),
                                        List.of("name"))
                                .get(0)
                                .get("name");
                TrytonServer.call(
                        admin,
                        "model.stock.location.write",
                        List.of(id),
                        Map.of("name", name.asText()));
            }
            case PURCHASE_ORDERS -> {
                // The trap: a direct line edit does not touch the order's write_date.
                JsonNode lines =
                        TrytonServer.call(
                                        admin,
                                        "model.purchase.purchase.read",
                                        List.of(id),
                                        List.of("lines"))
                                .get(0)
                                .get("lines");
                TrytonServer.call(
                        admin,
                        "model.purchase.line.write",
                        List.of(lines.get(0).asLong()),
                        Map.of("note", stamp));
            }
            case STOCK_LEVELS -> {
                // Stock changes through a stock move: one unit found (Lost and Found -> location).
                String[] pair = remoteId.split("@");
                TrytonServer.moveDone(
                        admin,
                        Long.parseLong(pair[0]),
                        TrytonServer.location(admin, "lost_found"),
                        Long.parseLong(pair[1]),
                        "1");
            }
            default -> throw new IllegalArgumentException(entity.collection());
        }
        admin.logout();
    }

    @Override
    protected ObjectNode sampleCreate(EntityType entity) throws Exception {
        ObjectNode b = JSON.createObjectNode();
        switch (entity) {
            case VENDORS -> b.put("name", "Kit Vendor").put("email", "kit@vendor.example");
            case ITEMS ->
                    b.put("name", "Kit Nut M8")
                            .put("code", "KIT-NUT-" + System.nanoTime())
                            .put("unit_cost", "0.0700");
            case PURCHASE_ORDERS -> {
                String vendor =
                        session.create(
                                        EntityType.VENDORS,
                                        JSON.createObjectNode().put("name", "Kit PO Vendor"))
                                .remoteId();
                String item =
                        session.create(
                                        EntityType.ITEMS,
                                        JSON.createObjectNode().put("name", "Kit Washer"))
                                .remoteId();
                b.put("vendor_id", vendor).put("order_date", "2026-11-20").put("notes", "kit");
                b.putArray("lines")
                        .addObject()
                        .put("item_id", item)
                        .put("quantity", "12")
                        .put("unit_price", "1.2345");
            }
            default -> throw new IllegalArgumentException(entity.collection());
        }
        return b;
    }

    @Override
    protected ObjectNode sampleUpdate(EntityType entity) {
        ObjectNode b = JSON.createObjectNode();
        switch (entity) {
            case VENDORS -> b.put("name", "Kit Vendor Renamed");
            case ITEMS -> b.put("name", "Kit Nut M8 (zinc)").put("unit_cost", "0.0800");
            case PURCHASE_ORDERS ->
                    b.put("notes", "kit updated").put("expected_date", "2026-12-01");
            default -> throw new IllegalArgumentException(entity.collection());
        }
        return b;
    }

    @Override
    protected String missingRemoteId(EntityType entity) {
        return "999999";
    }
}
