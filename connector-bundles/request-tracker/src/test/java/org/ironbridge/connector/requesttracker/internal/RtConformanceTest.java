package org.ironbridge.connector.requesttracker.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Request Tracker connector passes the conformance kit against the real, provisioned RT, in
 * queues and a catalog of this run's own.
 */
class RtConformanceTest extends ConnectorConformanceTest {
    private static RtServer.Sandbox box;
    private final RtConnectorFactory factory = new RtConnectorFactory();

    @BeforeAll
    static void seed() throws Exception {
        box = RtServer.Sandbox.create(RtServer.runId());
        box.seed(10);
    }

    @AfterAll
    static void tidy() throws Exception {
        box.close();
    }

    @Override
    protected ConnectorFactory factory() {
        return factory;
    }

    @Override
    protected Credentials goodCredentials() {
        return RtServer.credentials(RtServer.PASSWORD, box);
    }

    @Override
    protected Credentials badCredentials() {
        return RtServer.credentials("wrong-password", box);
    }

    /**
     * Changes the record through REST2 with root's own session. Waits for the next second first:
     * RT's LastUpdated has whole seconds, and a change in the very second of the cursor's last
     * record, to a record with a smaller id, is found only by the runtime's overlap re-read.
     */
    @Override
    protected void changeAtSource(EntityType entity, String remoteId) throws Exception {
        Thread.sleep(1100);
        RtClient rt = RtServer.admin();
        String stamp = "changed " + System.nanoTime();
        switch (entity) {
            case ASSETS -> rt.put("asset/" + remoteId, RtServer.json().put("Description", stamp));
            case WORK_ORDERS, SERVICE_REQUESTS ->
                    rt.put("ticket/" + remoteId, RtServer.json().put("Subject", stamp));
            default -> throw new IllegalArgumentException(entity.collection());
        }
    }

    @Override
    protected ObjectNode sampleCreate(EntityType entity) throws Exception {
        ObjectNode b = JSON.createObjectNode();
        switch (entity) {
            case ASSETS -> b.put("name", "Kit compressor").put("description", "Atlas GA 30");
            case WORK_ORDERS -> {
                String asset =
                        session.create(
                                        EntityType.ASSETS,
                                        JSON.createObjectNode().put("name", "Kit WO asset"))
                                .remoteId();
                b.put("title", "Kit: inspect compressor")
                        .put("description", "Check the oil level")
                        .put("priority", "medium")
                        .put("due_date", "2026-12-01")
                        .put("asset_id", asset);
            }
            default -> throw new IllegalArgumentException(entity.collection());
        }
        return b;
    }

    @Override
    protected ObjectNode sampleUpdate(EntityType entity) {
        ObjectNode b = JSON.createObjectNode();
        switch (entity) {
            case ASSETS -> b.put("name", "Kit compressor (rebuilt)").put("status", "active");
            case WORK_ORDERS ->
                    b.put("title", "Kit: inspect compressor again")
                            .put("status", "on_hold")
                            .put("priority", "high")
                            .put("scheduled_start", "2026-12-02T07:30:00Z");
            default -> throw new IllegalArgumentException(entity.collection());
        }
        return b;
    }

    @Override
    protected String missingRemoteId(EntityType entity) {
        return "987654321";
    }
}
