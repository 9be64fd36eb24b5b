package org.ironbridge.connector.tryton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.ironbridge.connector.testkit.TestContext;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stock levels against the real Tryton server: quantities are made with Tryton's own stock moves
 * (through a separate admin JSON-RPC session) and read back through the connector.
 */
class TrytonStockLevelsLiveTest {
    private TrytonSession s;
    private TrytonClient admin;
    private final List<Long> draftMoves = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        TrytonServer.seed();
        s =
                (TrytonSession)
                        new TrytonConnectorFactory()
                                .open(
                                        TrytonServer.credentials("admin"),
                                        TestContext.create("live-stock"));
        admin = TrytonServer.admin();
    }

    /**
     * Tryton deletes only draft or cancelled moves: the test's open moves are cancelled and
     * deleted; done moves stay (the test returns its goods to Lost and Found itself).
     */
    @AfterEach
    void close() throws Exception {
        if (!draftMoves.isEmpty()) {
            TrytonServer.call(admin, "model.stock.move.cancel", draftMoves);
            TrytonServer.call(admin, "model.stock.move.delete", draftMoves);
        }
        admin.logout();
        s.close();
    }

    private List<SourceRecord> readAll(Cursor[] cursor) throws Exception {
        List<SourceRecord> out = new ArrayList<>();
        while (true) {
            ChangePage p = s.read(new ReadRequest(EntityType.STOCK_LEVELS, cursor[0], null, 5));
            out.addAll(p.records());
            cursor[0] = Cursor.parse(p.next().serialize());
            if (!p.hasMore()) {
                return out;
            }
        }
    }

    @Test
    void quantitiesFromStockMovesAndIncrementalReads() throws Exception {
        long product =
                Long.parseLong(
                        s.create(
                                        EntityType.ITEMS,
                                        TrytonValues.MAPPER
                                                .createObjectNode()
                                                .put("name", "Live Stock Bolt")
                                                .put("code", "LIVE-STK-" + System.nanoTime()))
                                .remoteId());
        long lostFound = TrytonServer.location(admin, "lost_found");
        long customer = TrytonServer.location(admin, "customer");
        long storage = TrytonServer.storageZone(admin);
        long output =
                TrytonServer.call(
                                admin,
                                "model.stock.location.read",
                                List.of(TrytonServer.location(admin, "warehouse")),
                                List.of("output_location"))
                        .get(0)
                        .get("output_location")
                        .asLong();
        String id = product + "@" + storage;
        String outId = product + "@" + output;

        // no move yet: no stock level
        ConnectorConformanceTest.expectKind(
                Kind.NOT_FOUND, () -> s.get(EntityType.STOCK_LEVELS, id));

        // 25 found in the storage zone (an inventory-like move, done)
        TrytonServer.moveDone(admin, product, lostFound, storage, "25");
        SourceRecord level = s.get(EntityType.STOCK_LEVELS, id);
        assertThat(level.remoteId()).isEqualTo(id);
        assertThat(level.fields().get("item_id").asText()).isEqualTo(Long.toString(product));
        assertThat(level.fields().get("location_id").asText()).isEqualTo(Long.toString(storage));
        assertThat(level.fields().get("quantity_on_hand").asText()).isEqualTo("25");
        assertThat(level.fields().get("quantity_available").asText()).isEqualTo("25");
        assertThat(level.fields().get("unit").asText()).isEqualTo("u");
        assertThat(level.createdAt()).isNotNull();
        assertThat(level.updatedAt()).isNotNull();
        // the references are the connector's item and location ids
        assertThat(s.get(EntityType.ITEMS, Long.toString(product)).fields().get("name").asText())
                .isEqualTo("Live Stock Bolt");
        assertThat(
                        s.get(EntityType.LOCATIONS, Long.toString(storage))
                                .fields()
                                .get("type")
                                .asText())
                .isEqualTo("storeroom");

        // the full list has it exactly once
        Cursor[] cursor = {null};
        List<SourceRecord> all = readAll(cursor);
        assertThat(all.stream().map(SourceRecord::remoteId).filter(id::equals)).hasSize(1);
        assertThat(all.stream().map(SourceRecord::remoteId)).doesNotHaveDuplicates();

        // 5 moved from storage to the output zone: both levels change, nothing else
        TrytonServer.moveDone(admin, product, storage, output, "5");
        List<SourceRecord> changed = readAll(cursor);
        assertThat(changed.stream().map(SourceRecord::remoteId))
                .containsExactlyInAnyOrder(id, outId);
        for (SourceRecord r : changed) {
            assertThat(r.fields().get("quantity_on_hand").asText())
                    .isEqualTo(r.remoteId().equals(id) ? "20" : "5");
            assertThat(r.updatedAt()).isAfterOrEqualTo(level.updatedAt());
        }
        assertThat(readAll(cursor)).as("nothing after the change").isEmpty();

        // an assigned move to a customer reserves 2: a change of the storage level only
        long out = TrytonServer.move(admin, product, storage, customer, "2");
        draftMoves.add(out);
        TrytonServer.call(admin, "model.stock.move.assign", List.of(out));
        JsonNode state =
                TrytonServer.call(admin, "model.stock.move.read", List.of(out), List.of("state"))
                        .get(0)
                        .get("state");
        assertThat(state.asText()).isEqualTo("assigned");
        List<SourceRecord> reserved = readAll(cursor);
        assertThat(reserved.stream().map(SourceRecord::remoteId)).containsExactly(id);
        assertThat(reserved.get(0).fields().get("quantity_on_hand").asText()).isEqualTo("20");
        assertThat(reserved.get(0).fields().get("quantity_reserved").asText()).isEqualTo("2");
        assertThat(reserved.get(0).fields().get("quantity_available").asText()).isEqualTo("18");
        assertThat(reserved.get(0).fields().get("custom_fields").get("forecast_quantity").asText())
                .isEqualTo("18");

        // clean up: the goods go back to Lost and Found (done moves cannot be deleted)
        TrytonServer.moveDone(admin, product, storage, lostFound, "20");
        TrytonServer.moveDone(admin, product, output, lostFound, "5");
        assertThat(s.get(EntityType.STOCK_LEVELS, outId).fields().get("quantity_on_hand").asText())
                .isEqualTo("0");
    }

    @Test
    void unknownOrMalformedIdsAreNotFound() throws Exception {
        long lostFound = TrytonServer.location(admin, "lost_found");
        long storage = TrytonServer.storageZone(admin);
        for (String id :
                List.of("999999", "abc", "1@", "999999@" + storage, "1@999999", "1@" + lostFound)) {
            ConnectorConformanceTest.expectKind(
                    Kind.NOT_FOUND, () -> s.get(EntityType.STOCK_LEVELS, id));
        }
    }

    @Test
    void stockLevelsCannotBeWritten() {
        var body = TrytonValues.MAPPER.createObjectNode().put("quantity_on_hand", "1");
        ConnectorConformanceTest.expectKind(
                Kind.NOT_SUPPORTED, () -> s.create(EntityType.STOCK_LEVELS, body));
        ConnectorConformanceTest.expectKind(
                Kind.NOT_SUPPORTED, () -> s.update(EntityType.STOCK_LEVELS, "1@3", body));
        ConnectorConformanceTest.expectKind(
                Kind.NOT_SUPPORTED, () -> s.delete(EntityType.STOCK_LEVELS, "1@3"));
    }
}
