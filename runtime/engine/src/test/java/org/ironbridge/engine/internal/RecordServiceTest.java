package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.engine.internal.ConnectionServiceTest.failure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RecordService on H2 and MariaDB: reads from the store, writes through the fake connector. */
class RecordServiceTest {

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("rec");
    }

    private static RecordQuery page(int size, String cursor) {
        return new RecordQuery(size, cursor, null, null, false, false, Map.of());
    }

    private static RecordQuery filtered(Map<String, String> filters) {
        return new RecordQuery(100, null, null, null, false, false, filters);
    }

    /** 3 vendors, 4 items, 20 purchase orders, synced. */
    private static String seeded(Fixture f) throws Exception {
        String id =
                f.connect("org_a", EntityType.VENDORS, EntityType.ITEMS, EntityType.PURCHASE_ORDERS)
                        .connection()
                        .id();
        for (int v = 1; v <= 3; v++) {
            f.fake.put(
                    EntityType.VENDORS,
                    "V" + v,
                    FakeConnector.vendor("Vendor " + v, v == 3 ? "inactive" : "active"));
        }
        for (int i = 1; i <= 4; i++) {
            f.fake.put(
                    EntityType.ITEMS, "I" + i, FakeConnector.item("Item " + i, "V" + (1 + i % 3)));
        }
        for (int p = 1; p <= 20; p++) {
            if (p % 3 == 0) {
                f.clock.advance(Duration.ofSeconds(1)); // several share an updated_at
            }
            ObjectNode po =
                    FakeConnector.purchaseOrder("PO-" + p, "V" + (1 + p % 3), "I" + (1 + p % 4));
            if (p % 5 == 0) {
                po.put("status", "draft");
            }
            f.fake.put(EntityType.PURCHASE_ORDERS, "P" + p, po);
        }
        f.fake.pageSize = 500;
        for (EntityType t :
                List.of(EntityType.VENDORS, EntityType.ITEMS, EntityType.PURCHASE_ORDERS)) {
            assertThat(f.sync(id, t)).isTrue();
        }
        return id;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void pagesReturnEveryRecordOnceInUpdatedAtOrderEvenWhileRecordsAreAdded(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            String id = seeded(f);
            List<String> seen = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<ObjectNode> p =
                        f.records().list(id, EntityType.PURCHASE_ORDERS, page(7, cursor));
                assertThat(p.data().size()).isLessThanOrEqualTo(7);
                for (ObjectNode r : p.data()) {
                    seen.add(r.get("id").asText());
                    times.add(Instant.parse(r.get("updated_at").asText()));
                }
                cursor = p.nextCursor();
                if (pages++ == 0) {
                    // a record arrives (and is synced) between pages: it comes last, nothing is
                    // repeated
                    f.clock.advance(Duration.ofMinutes(5));
                    f.fake.put(
                            EntityType.PURCHASE_ORDERS,
                            "P99",
                            FakeConnector.purchaseOrder("PO-99", "V1", "I1"));
                    f.clock.advance(Duration.ofMinutes(5));
                    f.assertSynced(id, EntityType.PURCHASE_ORDERS);
                }
            } while (cursor != null);
            List<String> expected = new ArrayList<>();
            for (int p = 1; p <= 20; p++) {
                expected.add(RecordIds.of(id, EntityType.PURCHASE_ORDERS, "P" + p));
            }
            expected.add(RecordIds.of(id, EntityType.PURCHASE_ORDERS, "P99"));
            assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
            assertThat(times).isSorted();
            assertThat(pages).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void recordsAreCanonicalWithIronbridgeReferencesAndRemoteDataOnRequest(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            String id = seeded(f);
            String poId = RecordIds.of(id, EntityType.PURCHASE_ORDERS, "P4");
            ObjectNode po =
                    f.records().get(id, EntityType.PURCHASE_ORDERS, poId, false).orElseThrow();
            assertThat(po.get("id").asText()).isEqualTo(poId);
            assertThat(po.get("remote_id").asText()).isEqualTo("P4");
            assertThat(po.get("vendor_id").asText())
                    .isEqualTo(RecordIds.of(id, EntityType.VENDORS, "V2"));
            assertThat(po.get("lines").get(0).get("item_id").asText())
                    .isEqualTo(RecordIds.of(id, EntityType.ITEMS, "I1"));
            assertThat(po.get("deleted_at").isNull()).isTrue();
            assertThat(po.get("custom_fields").isObject()).isTrue();
            assertThat(po.has("remote_data")).isFalse();
            assertThat(CanonicalModel.standard().validateRecord(EntityType.PURCHASE_ORDERS, po))
                    .isEmpty();
            // the referenced vendor is there under that id
            assertThat(f.records().get(id, EntityType.VENDORS, po.get("vendor_id").asText(), false))
                    .hasValueSatisfying(
                            v -> assertThat(v.get("name").asText()).isEqualTo("Vendor 2"));

            ObjectNode withRaw =
                    f.records().get(id, EntityType.PURCHASE_ORDERS, poId, true).orElseThrow();
            assertThat(withRaw.get("remote_data").get("ID").asText()).isEqualTo("P4");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            new RecordQuery(
                                                    1, null, null, null, false, true, Map.of()))
                                    .data()
                                    .get(0)
                                    .get("remote_data")
                                    .get("Payload")
                                    .isObject())
                    .isTrue();

            assertThat(f.records().get(id, EntityType.PURCHASE_ORDERS, "po_doesnotexist", false))
                    .isEmpty();
            // an id of another type is not found
            assertThat(f.records().get(id, EntityType.VENDORS, poId, false)).isEmpty();
            assertThat(f.records().get("conn_other", EntityType.PURCHASE_ORDERS, poId, false))
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void filtersTimeWindowsAndValidation(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            String id = seeded(f);
            assertThat(f.records().filterableFields(EntityType.PURCHASE_ORDERS))
                    .containsExactly("remote_id", "status", "number", "vendor_id");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            filtered(Map.of("status", "draft")))
                                    .data())
                    .extracting(r -> r.get("remote_id").asText())
                    .containsExactlyInAnyOrder("P5", "P10", "P15", "P20");
            String v1 = RecordIds.of(id, EntityType.VENDORS, "V1");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            filtered(Map.of("vendor_id", v1, "status", "approved")))
                                    .data())
                    .extracting(r -> r.get("remote_id").asText())
                    .containsExactlyInAnyOrder("P3", "P6", "P9", "P12", "P18");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            filtered(Map.of("number", "PO-7")))
                                    .data())
                    .extracting(r -> r.get("remote_id").asText())
                    .containsExactly("P7");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.VENDORS,
                                            filtered(Map.of("code", "VENDOR 3")))
                                    .data())
                    .extracting(r -> r.get("status").asText())
                    .containsExactly("inactive");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            filtered(Map.of("status", "nope")))
                                    .data())
                    .isEmpty();

            // a filtered list pages like any other
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Page<ObjectNode> p =
                        f.records()
                                .list(
                                        id,
                                        EntityType.PURCHASE_ORDERS,
                                        new RecordQuery(
                                                2,
                                                cursor,
                                                null,
                                                null,
                                                false,
                                                false,
                                                Map.of("status", "approved")));
                p.data().forEach(r -> seen.add(r.get("remote_id").asText()));
                cursor = p.nextCursor();
            } while (cursor != null);
            assertThat(seen).hasSize(16).doesNotHaveDuplicates();

            Instant first = Fixture.T0;
            Instant last = f.clock.instant();
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            new RecordQuery(
                                                    100, null, first, last, false, false, Map.of()))
                                    .data())
                    .extracting(r -> r.get("remote_id").asText())
                    .doesNotContain("P1", "P2", "P18", "P19", "P20")
                    .contains("P3", "P17");

            EngineException e =
                    failure(
                            () ->
                                    f.records()
                                            .list(
                                                    id,
                                                    EntityType.PURCHASE_ORDERS,
                                                    filtered(
                                                            Map.of(
                                                                    "total_net",
                                                                    "1",
                                                                    "status",
                                                                    "draft"))));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("filter[total_net]");
            assertThat(e.errors().get(0).message())
                    .contains("remote_id, status, number, vendor_id");

            e =
                    failure(
                            () ->
                                    f.records()
                                            .list(
                                                    id,
                                                    EntityType.PURCHASE_ORDERS,
                                                    page(7, "garbage!")));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .containsExactly(new FieldError("cursor", "is not a valid cursor"));
            String vendorCursor =
                    f.records().list(id, EntityType.VENDORS, page(1, null)).nextCursor();
            assertThat(vendorCursor).isNotNull();
            assertThat(
                            failure(
                                            () ->
                                                    f.records()
                                                            .list(
                                                                    id,
                                                                    EntityType.PURCHASE_ORDERS,
                                                                    page(7, vendorCursor)))
                                    .errors())
                    .containsExactly(new FieldError("cursor", "belongs to another collection"));
            assertThat(
                            failure(
                                            () ->
                                                    f.records()
                                                            .list(
                                                                    id,
                                                                    EntityType.PURCHASE_ORDERS,
                                                                    page(1001, null)))
                                    .errors())
                    .extracting(FieldError::field)
                    .containsExactly("page_size");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void writesTranslateReferencesBothWays(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            String id = seeded(f);
            String v2 = RecordIds.of(id, EntityType.VENDORS, "V2");
            String i3 = RecordIds.of(id, EntityType.ITEMS, "I3");
            String i4 = RecordIds.of(id, EntityType.ITEMS, "I4");
            ObjectNode body = FakeConnector.purchaseOrder("PO-NEW", v2, i3, i4);
            body.remove("status");
            f.clock.advance(Duration.ofMinutes(1));
            ObjectNode created = f.records().create(id, EntityType.PURCHASE_ORDERS, body);

            // the source received its own ids
            ObjectNode received = f.fake.writesReceived.get(0);
            assertThat(received.get("vendor_id").asText()).isEqualTo("V2");
            assertThat(received.get("lines").get(0).get("item_id").asText()).isEqualTo("I3");
            assertThat(received.get("lines").get(1).get("item_id").asText()).isEqualTo("I4");
            // the client's body was not changed
            assertThat(body.get("vendor_id").asText()).isEqualTo(v2);
            // the answer and the store have Ironbridge ids
            String remote = created.get("remote_id").asText();
            assertThat(created.get("id").asText())
                    .isEqualTo(RecordIds.of(id, EntityType.PURCHASE_ORDERS, remote));
            assertThat(created.get("vendor_id").asText()).isEqualTo(v2);
            assertThat(created.get("lines").get(1).get("item_id").asText()).isEqualTo(i4);
            assertThat(created.get("updated_at").asText()).isEqualTo(f.clock.instant().toString());
            assertThat(
                            f.records()
                                    .get(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            created.get("id").asText(),
                                            false))
                    .contains(created);

            // update: only the fields sent change
            ObjectNode patch = Json.NODES.objectNode();
            patch.put("notes", "rush");
            patch.put("vendor_id", RecordIds.of(id, EntityType.VENDORS, "V3"));
            ObjectNode updated =
                    f.records()
                            .update(
                                    id,
                                    EntityType.PURCHASE_ORDERS,
                                    created.get("id").asText(),
                                    patch);
            assertThat(f.fake.writesReceived.get(1).get("vendor_id").asText()).isEqualTo("V3");
            assertThat(updated.get("notes").asText()).isEqualTo("rush");
            assertThat(updated.get("number").asText()).isEqualTo("PO-NEW");
            assertThat(updated.get("vendor_id").asText())
                    .isEqualTo(RecordIds.of(id, EntityType.VENDORS, "V3"));
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.PURCHASE_ORDERS,
                                            filtered(
                                                    Map.of(
                                                            "vendor_id",
                                                            RecordIds.of(
                                                                    id, EntityType.VENDORS, "V3"))))
                                    .data())
                    .extracting(r -> r.get("id").asText())
                    .contains(created.get("id").asText());

            // unknown references are named by path; nothing reaches the source
            ObjectNode bad = FakeConnector.purchaseOrder("PO-BAD", v2, i3, "itm_" + "a".repeat(26));
            bad.remove("status");
            EngineException e =
                    failure(() -> f.records().create(id, EntityType.PURCHASE_ORDERS, bad));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .containsExactly(new FieldError("lines[1].item_id", "no such item"));
            ObjectNode badVendor =
                    FakeConnector.purchaseOrder("PO-BAD", "ven_" + "b".repeat(26), i3);
            badVendor.remove("status");
            assertThat(
                            failure(
                                            () ->
                                                    f.records()
                                                            .create(
                                                                    id,
                                                                    EntityType.PURCHASE_ORDERS,
                                                                    badVendor))
                                    .errors())
                    .containsExactly(new FieldError("vendor_id", "no such vendor"));
            assertThat(f.fake.writesReceived).hasSize(2);

            // the model validates bodies first
            ObjectNode invalid = Json.NODES.objectNode();
            invalid.put("number", "X");
            invalid.put("id", "po_x");
            e = failure(() -> f.records().create(id, EntityType.PURCHASE_ORDERS, invalid));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .extracting(FieldError::field)
                    .contains("id", "vendor_id", "lines");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void deletesCapabilitiesAndSourceFailures(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            String id = seeded(f);
            String v1 = RecordIds.of(id, EntityType.VENDORS, "V1");
            f.clock.advance(Duration.ofMinutes(1));
            f.records().delete(id, EntityType.VENDORS, v1);
            assertThat(f.fake.deletesReceived).containsExactly("V1");
            ObjectNode gone = f.records().get(id, EntityType.VENDORS, v1, false).orElseThrow();
            assertThat(gone.get("deleted_at").asText()).isEqualTo(f.clock.instant().toString());
            assertThat(gone.get("updated_at").asText()).isEqualTo(f.clock.instant().toString());
            assertThat(f.records().list(id, EntityType.VENDORS, page(100, null)).data())
                    .extracting(r -> r.get("remote_id").asText())
                    .containsExactlyInAnyOrder("V2", "V3");
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.VENDORS,
                                            new RecordQuery(
                                                    100, null, null, null, true, false, Map.of()))
                                    .data())
                    .hasSize(3);
            assertThat(failure(() -> f.records().delete(id, EntityType.VENDORS, v1)).code())
                    .isEqualTo(Code.NOT_FOUND);
            // a deleted vendor cannot be referenced any more
            ObjectNode item = FakeConnector.item("Widget", v1);
            assertThat(failure(() -> f.records().create(id, EntityType.ITEMS, item)).errors())
                    .containsExactly(new FieldError("vendor_id", "no such vendor"));

            // capabilities are the connector's
            ObjectNode asset = Json.NODES.objectNode().put("name", "Pump");
            EngineException e = failure(() -> f.records().create(id, EntityType.ASSETS, asset));
            assertThat(e.code()).isEqualTo(Code.OPERATION_NOT_SUPPORTED);
            assertThat(e.getMessage()).isEqualTo("fake cannot create assets");

            // source failures are mapped
            String v2 = RecordIds.of(id, EntityType.VENDORS, "V2");
            ObjectNode patch = Json.NODES.objectNode().put("name", "Renamed");
            f.fake.writeFailure = ConnectorException.conflict("changed by someone else");
            assertThat(failure(() -> f.records().update(id, EntityType.VENDORS, v2, patch)).code())
                    .isEqualTo(Code.CONFLICT);
            f.fake.writeFailure = ConnectorException.rateLimited("busy", Duration.ofSeconds(9));
            e = failure(() -> f.records().update(id, EntityType.VENDORS, v2, patch));
            assertThat(e.code()).isEqualTo(Code.RATE_LIMITED);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(9));
            f.fake.writeFailure = null;
            f.fake.bug = new IllegalStateException("boom");
            e = failure(() -> f.records().update(id, EntityType.VENDORS, v2, patch));
            assertThat(e.code()).isEqualTo(Code.SOURCE_ERROR);
            assertThat(e.getMessage()).isEqualTo("The connector failed");
            f.fake.bug = null;
            assertThat(
                            f.records()
                                    .get(id, EntityType.VENDORS, v2, false)
                                    .orElseThrow()
                                    .get("name")
                                    .asText())
                    .isEqualTo("Vendor 2");
            assertThat(
                            failure(
                                            () ->
                                                    f.records()
                                                            .update(
                                                                    id,
                                                                    EntityType.VENDORS,
                                                                    "ven_nothere",
                                                                    patch))
                                    .code())
                    .isEqualTo(Code.NOT_FOUND);

            // a record deleted at the source meanwhile: not found, and the store follows
            f.fake.remove(EntityType.VENDORS, "V3");
            String v3 = RecordIds.of(id, EntityType.VENDORS, "V3");
            assertThat(failure(() -> f.records().delete(id, EntityType.VENDORS, v3)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(
                            f.records()
                                    .get(id, EntityType.VENDORS, v3, false)
                                    .orElseThrow()
                                    .get("deleted_at")
                                    .isNull())
                    .isFalse();

            assertThat(
                            f.records()
                                    .passthrough(
                                            id,
                                            new PassthroughRequest(
                                                    "GET", "/api/ping", null, null, null))
                                    .body())
                    .isEqualTo("GET /api/ping");
            Set<String> ids = new HashSet<>();
            f.records()
                    .list(id, EntityType.ITEMS, page(100, null))
                    .data()
                    .forEach(r -> ids.add(r.get("id").asText()));
            assertThat(ids).hasSize(4);
        }
    }
}
