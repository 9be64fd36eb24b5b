package org.ironbridge.connector.sandbox.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.ironbridge.model.EntityType;

/** The sandbox passes the connector conformance kit. */
class SandboxConformanceTest extends ConnectorConformanceTest {
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();

    @Override
    protected ConnectorFactory factory() {
        return factory;
    }

    private static Credentials credentials(String password) {
        return Credentials.of(
                Map.of(
                        "username", "kit",
                        "password", password,
                        "dataset_size", "60",
                        "activity_per_minute", "0"));
    }

    @Override
    protected Credentials goodCredentials() {
        return credentials("sandbox");
    }

    @Override
    protected Credentials badCredentials() {
        return credentials("not-the-password");
    }

    @Override
    protected void changeAtSource(EntityType entity, String remoteId) throws Exception {
        // The sandbox has no other way in than its session: change a free-text field through it.
        ObjectNode change = JSON.createObjectNode();
        change.putObject("custom_fields").put("kit_change", remoteId + "@" + System.nanoTime());
        session.update(entity, remoteId, change);
    }

    @Override
    protected ObjectNode sampleCreate(EntityType entity) throws Exception {
        ObjectNode b = JSON.createObjectNode();
        switch (entity) {
            case VENDORS, ITEMS, ASSETS -> b.put("name", "Kit " + entity.singular());
            case LOCATIONS -> b.put("name", "Kit store").put("type", "warehouse");
            case WORK_ORDERS, SERVICE_REQUESTS -> b.put("title", "Kit " + entity.singular());
            case STOCK_LEVELS -> {
                String item =
                        session.create(EntityType.ITEMS, JSON.createObjectNode().put("name", "S"))
                                .remoteId();
                String location =
                        session.create(
                                        EntityType.LOCATIONS,
                                        JSON.createObjectNode()
                                                .put("name", "S")
                                                .put("type", "warehouse"))
                                .remoteId();
                b.put("item_id", item).put("location_id", location).put("quantity_on_hand", "5");
            }
            case PURCHASE_ORDERS -> {
                b.put("vendor_id", "VEN-000001");
                b.putArray("lines")
                        .addObject()
                        .put("item_id", "ITM-000001")
                        .put("quantity", "2")
                        .put("unit_price", "3.50");
            }
        }
        return b;
    }

    @Override
    protected ObjectNode sampleUpdate(EntityType entity) {
        ObjectNode b = JSON.createObjectNode();
        b.putObject("custom_fields").put("kit", "updated");
        return b;
    }

    @Override
    protected String missingRemoteId(EntityType entity) {
        return "NOPE-999999";
    }
}
