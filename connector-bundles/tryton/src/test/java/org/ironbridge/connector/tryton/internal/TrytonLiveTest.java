package org.ironbridge.connector.tryton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.ironbridge.connector.testkit.TestContext;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes against the real Tryton server: workflow, read-back, concurrency, source errors. */
class TrytonLiveTest {
    private TrytonSession s;

    @BeforeEach
    void open() throws Exception {
        TrytonServer.seed();
        s =
                (TrytonSession)
                        new TrytonConnectorFactory()
                                .open(
                                        TrytonServer.credentials("admin"),
                                        TestContext.create("live"));
    }

    @AfterEach
    void close() {
        s.close();
    }

    private SourceRecord newOrder() throws Exception {
        var m = TrytonValues.MAPPER;
        String vendor =
                s.create(
                                EntityType.VENDORS,
                                (ObjectNode)
                                        m.readTree(
                                                "{\"name\":\"Live V\",\"address\":{\"street\":\"Ring 1\",\"city\":\"Bonn\"}}"))
                        .remoteId();
        String item =
                s.create(EntityType.ITEMS, m.createObjectNode().put("name", "Live I")).remoteId();
        ObjectNode po = m.createObjectNode().put("vendor_id", vendor);
        po.putArray("lines")
                .addObject()
                .put("item_id", item)
                .put("quantity", "3")
                .put("unit_price", "19.99");
        return s.create(EntityType.PURCHASE_ORDERS, po);
    }

    @Test
    void createdOrderHasExactMoneyAndMovesThroughTheWorkflow() throws Exception {
        SourceRecord po = newOrder();
        assertThat(po.fields().get("status").asText()).isEqualTo("draft");
        assertThat(po.fields().get("total_net").asText()).isEqualTo("59.97");
        assertThat(po.fields().get("lines").get(0).get("unit_price").asText()).isEqualTo("19.99");
        ObjectNode approve = TrytonValues.MAPPER.createObjectNode().put("status", "approved");
        SourceRecord approved = s.update(EntityType.PURCHASE_ORDERS, po.remoteId(), approve);
        assertThat(approved.fields().get("remote_status").asText()).isIn("confirmed", "processing");
        assertThat(approved.fields().get("number").isNull()).isFalse();
        // Tryton ignores "draft" on a processing order: the connector reads the state back.
        ConnectorException e =
                ConnectorConformanceTest.expectKind(
                        Kind.VALIDATION_FAILED,
                        () ->
                                s.update(
                                        EntityType.PURCHASE_ORDERS,
                                        po.remoteId(),
                                        TrytonValues.MAPPER
                                                .createObjectNode()
                                                .put("status", "draft")));
        assertThat(e.getMessage()).contains("did not move");
    }

    @Test
    void staleTimestampIsConflict() throws Exception {
        SourceRecord po = newOrder();
        String ts = s.timestamp(EntityType.PURCHASE_ORDERS, po.remoteId());
        // _timestamp has one-second resolution on SQLite: make the other write a second later.
        Thread.sleep(1100);
        TrytonClient admin = TrytonServer.admin();
        TrytonServer.call(
                admin,
                "model.purchase.purchase.write",
                List.of(Long.parseLong(po.remoteId())),
                Map.of("description", "theirs"));
        admin.logout();
        ConnectorConformanceTest.expectKind(
                Kind.CONFLICT,
                () ->
                        s.update(
                                EntityType.PURCHASE_ORDERS,
                                po.remoteId(),
                                TrytonValues.MAPPER.createObjectNode().put("notes", "mine"),
                                ts));
    }

    @Test
    void userErrorKeepsTheSourcesMessage() throws Exception {
        SourceRecord po = newOrder();
        // Tryton refuses a 0-digit unit with a fraction: its UserError message comes through.
        ObjectNode bad = TrytonValues.MAPPER.createObjectNode();
        bad.putArray("lines")
                .addObject()
                .put("item_id", po.fields().get("lines").get(0).get("item_id").asText())
                .put("quantity", "1.5")
                .put("unit_price", "1");
        ConnectorException e =
                ConnectorConformanceTest.expectKind(
                        Kind.VALIDATION_FAILED,
                        () -> s.update(EntityType.PURCHASE_ORDERS, po.remoteId(), bad));
        assertThat(e.getMessage()).contains("Quantity");
    }

    @Test
    void wrongPasswordAtVerifyIsCredentialsRejected() throws Exception {
        var bad =
                new TrytonConnectorFactory()
                        .open(TrytonServer.credentials("nope"), TestContext.create("bad"));
        ConnectorConformanceTest.expectKind(Kind.CREDENTIALS_REJECTED, bad::verify);
    }
}
