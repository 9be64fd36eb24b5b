package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ironbridge.connector.sandbox.internal.TestSupport.T0;
import static org.ironbridge.connector.sandbox.internal.TestSupport.open;
import static org.ironbridge.connector.sandbox.internal.TestSupport.readAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteTest {
    private final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();
    private ConnectorSession s;

    @BeforeEach
    void setUp() throws Exception {
        s = open(factory, clock, "conn-1");
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ConnectorException failure(ThrowingCall call) {
        return catchThrowableOfType(ConnectorException.class, call::run);
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private String vendorIn(boolean germany) throws ConnectorException {
        for (int i = 1; i <= 20; i++) {
            String id = String.format("VEN-%06d", i);
            String country =
                    s.get(EntityType.VENDORS, id).fields().get("address").get("country").asText();
            if (country.equals("DE") == germany) {
                return id;
            }
        }
        throw new AssertionError("no such vendor in the sample");
    }

    @Test
    void createdPurchaseOrderGetsAnIdTotalsAndAppearsInGetAndRead() throws Exception {
        Cursor synced = readAll(s, EntityType.PURCHASE_ORDERS, null, null, 500).cursor();
        clock.advance(Duration.ofMinutes(5));
        String vendor = vendorIn(true);
        SourceRecord created =
                s.create(
                        EntityType.PURCHASE_ORDERS,
                        json(
                                "{'vendor_id':'"
                                        + vendor
                                        + "','notes':'Rush order','custom_fields':{'buyer':'Test'},"
                                        + "'lines':[{'item_id':'ITM-000003','quantity':'3','unit_price':'10.50'},"
                                        + "{'item_id':'ITM-000004','quantity':2.5,'unit_price':'4'}]}"));

        assertThat(created.remoteId()).isEqualTo("PO-0001001");
        assertThat(created.createdAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        ObjectNode f = created.fields();
        assertThat(text(f, "number")).isEqualTo("4500001001");
        assertThat(text(f, "status")).isEqualTo("draft");
        assertThat(text(f, "remote_status")).isEqualTo("NEW");
        assertThat(text(f, "order_date")).isEqualTo("2026-11-22");
        assertThat(text(f, "currency")).isEqualTo("EUR");
        assertThat(f.get("lines").get(0).get("line_total").asText()).isEqualTo("31.50");
        assertThat(f.get("lines").get(1).get("line_total").asText()).isEqualTo("10.00");
        assertThat(f.get("lines").get(1).get("line_number").asInt()).isEqualTo(2);
        assertThat(f.get("lines").get(1).get("quantity").asText()).isEqualTo("2.5");
        assertThat(f.get("lines").get(0).get("received_quantity").asText()).isEqualTo("0");
        assertThat(text(f.get("lines").get(0), "description"))
                .isEqualTo(text(s.get(EntityType.ITEMS, "ITM-000003").fields(), "name"));
        assertThat(text(f, "total_net")).isEqualTo("41.50");
        assertThat(text(f, "total_tax")).isEqualTo("7.89");
        assertThat(text(f, "total_gross")).isEqualTo("49.39");
        assertThat(created.raw().get("POId").asText()).isEqualTo("PO-0001001");
        assertThat(created.raw().get("GrossAmount").decimalValue()).isEqualByComparingTo("49.39");

        assertThat(s.get(EntityType.PURCHASE_ORDERS, "PO-0001001")).isEqualTo(created);
        TestSupport.ReadAll changes = readAll(s, EntityType.PURCHASE_ORDERS, synced, null, 50);
        assertThat(changes.records()).containsExactly(created);
        assertThat(changes.deleted()).isEmpty();
    }

    @Test
    void returnedRecordsAreCopiesThatCannotChangeTheSandbox() throws Exception {
        SourceRecord created = s.create(EntityType.VENDORS, json("{'name':'Original Ltd'}"));
        created.fields().put("name", "Tampered");
        s.get(EntityType.VENDORS, created.remoteId()).fields().put("name", "Tampered again");
        s.read(new org.ironbridge.api.connector.ReadRequest(EntityType.VENDORS, null, null, 100))
                .records()
                .forEach(r -> r.fields().put("name", "Tampered by a reader"));
        assertThat(text(s.get(EntityType.VENDORS, created.remoteId()).fields(), "name"))
                .isEqualTo("Original Ltd");
    }

    @Test
    void purchaseOrderTaxDependsOnTheVendorCountry() throws Exception {
        SourceRecord po =
                s.create(
                        EntityType.PURCHASE_ORDERS,
                        json(
                                "{'vendor_id':'"
                                        + vendorIn(false)
                                        + "','lines':[{'quantity':'1','unit_price':'100'}]}"));
        assertThat(text(po.fields(), "total_tax")).isEqualTo("0.00");
        assertThat(text(po.fields(), "total_gross")).isEqualTo("100.00");
    }

    @Test
    void createRejectsBadInputWithFieldErrors() {
        ConnectorException e =
                failure(
                        () ->
                                s.create(
                                        EntityType.PURCHASE_ORDERS,
                                        json(
                                                "{'vendor_id':'VEN-009999','remote_status':'X','foo':1,"
                                                        + "'status':'shipped','lines':[{'item_id':'ITM-999999','quantity':'0'},"
                                                        + "{'quantity':'abc','unit_price':'1'}]}")));
        assertThat(e.kind()).isEqualTo(Kind.VALIDATION_FAILED);
        assertThat(e.fieldErrors())
                .containsExactlyInAnyOrder(
                        new FieldError("vendor_id", "no such vendor VEN-009999"),
                        new FieldError("remote_status", "is read-only"),
                        new FieldError("foo", "unknown field"),
                        new FieldError(
                                "status",
                                "must be one of: draft, pending_approval, approved, partially_received,"
                                        + " received, closed, cancelled"),
                        new FieldError("lines[0].item_id", "no such item ITM-999999"),
                        new FieldError("lines[0].quantity", "must be > 0"),
                        new FieldError("lines[0].unit_price", "is required"),
                        new FieldError("lines[1].quantity", "must be a decimal string"));
        assertThat(e.getMessage()).startsWith("The sandbox rejected the purchase order: ");

        ConnectorException missing =
                failure(() -> s.create(EntityType.PURCHASE_ORDERS, json("{}")));
        assertThat(missing.fieldErrors())
                .containsExactlyInAnyOrder(
                        new FieldError("vendor_id", "is required"),
                        new FieldError("lines", "is required"));
        ConnectorException empty =
                failure(
                        () ->
                                s.create(
                                        EntityType.PURCHASE_ORDERS,
                                        json("{'vendor_id':'VEN-000001','lines':[]}")));
        assertThat(empty.fieldErrors())
                .containsExactly(new FieldError("lines", "must have at least one element"));
    }

    @Test
    void updateChangesOnlyTheFieldsSentAndReplacesLinesWholesale() throws Exception {
        SourceRecord before = s.get(EntityType.PURCHASE_ORDERS, "PO-0000005");
        clock.advance(Duration.ofSeconds(30));
        SourceRecord after =
                s.update(
                        EntityType.PURCHASE_ORDERS,
                        "PO-0000005",
                        json("{'notes':'Call before delivery'}"));
        assertThat(after.updatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(after.createdAt()).isEqualTo(before.createdAt());
        ObjectNode expected = before.fields().deepCopy();
        expected.put("notes", "Call before delivery");
        assertThat(after.fields()).isEqualTo(expected);

        clock.advance(Duration.ofSeconds(30));
        SourceRecord relined =
                s.update(
                        EntityType.PURCHASE_ORDERS,
                        "PO-0000005",
                        json(
                                "{'lines':[{'item_id':'ITM-000001','quantity':'10','unit_price':'2.00'}]}"));
        assertThat(relined.fields().get("lines")).hasSize(1);
        assertThat(text(relined.fields(), "total_net")).isEqualTo("20.00");
        assertThat(text(relined.fields(), "notes")).isEqualTo("Call before delivery");
        assertThat(text(relined.fields(), "vendor_id"))
                .isEqualTo(text(before.fields(), "vendor_id"));
        assertThat(s.get(EntityType.PURCHASE_ORDERS, "PO-0000005")).isEqualTo(relined);

        SourceRecord custom =
                s.update(
                        EntityType.PURCHASE_ORDERS,
                        "PO-0000005",
                        json("{'custom_fields':{'project':'P-7'}}"));
        assertThat(custom.fields().get("custom_fields"))
                .isEqualTo(
                        json(
                                "{'buyer':'"
                                        + text(before.fields().get("custom_fields"), "buyer")
                                        + "','incoterms':'"
                                        + text(before.fields().get("custom_fields"), "incoterms")
                                        + "','project':'P-7'}"));
    }

    @Test
    void updatingAStatusMapsTheRemoteStatus() throws Exception {
        SourceRecord wo =
                s.update(EntityType.WORK_ORDERS, "WO-000010", json("{'status':'on_hold'}"));
        assertThat(text(wo.fields(), "remote_status")).isEqualTo("HOLD");
        assertThat(wo.raw().get("Status").asText()).isEqualTo("HOLD");
        ConnectorException e =
                failure(
                        () ->
                                s.update(
                                        EntityType.WORK_ORDERS,
                                        "WO-000010",
                                        json("{'title':null}")));
        assertThat(e.fieldErrors()).containsExactly(new FieldError("title", "is required"));
    }

    @Test
    void missingRecordsAreNotFound() {
        for (String id :
                new String[] {"PO-0001001", "PO-0000000", "PO-12", "VEN-000001", "nonsense"}) {
            assertThat(failure(() -> s.get(EntityType.PURCHASE_ORDERS, id)).kind())
                    .as(id)
                    .isEqualTo(Kind.NOT_FOUND);
        }
        assertThat(failure(() -> s.update(EntityType.ASSETS, "AST-009999", json("{}"))).kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(failure(() -> s.delete(EntityType.ASSETS, "AST-009999")).kind())
                .isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void deletedRecordsAreGoneAndReportedByIncrementalReads() throws Exception {
        Cursor synced = readAll(s, EntityType.PURCHASE_ORDERS, null, null, 500).cursor();
        clock.advance(Duration.ofMinutes(1));
        s.delete(EntityType.PURCHASE_ORDERS, "PO-0000010");

        assertThat(failure(() -> s.get(EntityType.PURCHASE_ORDERS, "PO-0000010")).kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(failure(() -> s.delete(EntityType.PURCHASE_ORDERS, "PO-0000010")).kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(
                        failure(
                                        () ->
                                                s.update(
                                                        EntityType.PURCHASE_ORDERS,
                                                        "PO-0000010",
                                                        json("{'notes':'x'}")))
                                .kind())
                .isEqualTo(Kind.NOT_FOUND);

        TestSupport.ReadAll changes = readAll(s, EntityType.PURCHASE_ORDERS, synced, null, 50);
        assertThat(changes.records()).isEmpty();
        assertThat(changes.deleted()).containsExactly("PO-0000010");
        assertThat(changes.cursor().watermark()).contains(T0.plus(Duration.ofMinutes(1)));

        TestSupport.ReadAll full = readAll(s, EntityType.PURCHASE_ORDERS, null, null, 300);
        assertThat(full.records()).hasSize(999).noneMatch(r -> r.remoteId().equals("PO-0000010"));
    }

    @Test
    void everyEntityCanBeCreatedWithItsRequiredFields() throws Exception {
        Map<EntityType, String> bodies =
                Map.of(
                        EntityType.VENDORS, "{'name':'Test Supplies GmbH'}",
                        EntityType.ITEMS,
                                "{'name':'Test Bolt','unit_cost':'1.5','vendor_id':'VEN-000001'}",
                        EntityType.LOCATIONS,
                                "{'name':'Bin 1','type':'bin','parent_id':'LOC-000010'}",
                        EntityType.STOCK_LEVELS,
                                "{'item_id':'ITM-000001','location_id':'LOC-000010','quantity_on_hand':'12','quantity_reserved':'2'}",
                        EntityType.ASSETS,
                                "{'name':'Test Pump','location_id':'LOC-000003','parent_id':'AST-000001'}",
                        EntityType.WORK_ORDERS, "{'title':'Fix it','asset_id':'AST-000001'}",
                        EntityType.SERVICE_REQUESTS,
                                "{'title':'It is broken','asset_id':'AST-000002'}",
                        EntityType.PURCHASE_ORDERS,
                                "{'vendor_id':'VEN-000001','lines':[{'quantity':'1','unit_price':'1'}]}");
        for (EntityType e : EntityType.values()) {
            SourceRecord r = s.create(e, json(bodies.get(e)));
            assertThat(r.remoteId()).as(e.collection()).startsWith(RemoteIds.prefix(e));
            assertThat(s.get(e, r.remoteId())).isEqualTo(r);
            Iterator<String> names = r.fields().fieldNames();
            assertThat(names)
                    .toIterable()
                    .containsExactlyElementsOf(
                            Schema.fields(e).stream().map(Schema.Field::name).toList());
        }
        SourceRecord wo = s.get(EntityType.WORK_ORDERS, "WO-000501");
        assertThat(text(wo.fields(), "location_id"))
                .isEqualTo(text(s.get(EntityType.ASSETS, "AST-000001").fields(), "location_id"));
        assertThat(text(wo.fields(), "status")).isEqualTo("requested");
        SourceRecord stock = s.get(EntityType.STOCK_LEVELS, "STK-000101");
        assertThat(text(stock.fields(), "quantity_available")).isEqualTo("10");
        assertThat(text(stock.fields(), "unit"))
                .isEqualTo(text(s.get(EntityType.ITEMS, "ITM-000001").fields(), "unit"));
    }

    @Test
    void referencesAndUniquenessAreChecked() throws Exception {
        SourceRecord stock = s.get(EntityType.STOCK_LEVELS, "STK-000001");
        ConnectorException dup =
                failure(
                        () ->
                                s.create(
                                        EntityType.STOCK_LEVELS,
                                        json(
                                                "{'item_id':'ITM-000001','location_id':'"
                                                        + text(stock.fields(), "location_id")
                                                        + "','quantity_on_hand':'1'}")));
        assertThat(dup.fieldErrors())
                .containsExactly(
                        new FieldError(
                                "location_id", "the item already has stock level STK-000001 here"));

        ConnectorException cycle =
                failure(
                        () ->
                                s.update(
                                        EntityType.LOCATIONS,
                                        "LOC-000002",
                                        json("{'parent_id':'LOC-000010'}")));
        assertThat(cycle.fieldErrors())
                .containsExactly(new FieldError("parent_id", "would create a cycle"));
        ConnectorException self =
                failure(
                        () ->
                                s.update(
                                        EntityType.ASSETS,
                                        "AST-000001",
                                        json("{'parent_id':'AST-000001'}")));
        assertThat(self.fieldErrors())
                .containsExactly(new FieldError("parent_id", "cannot be the record itself"));
    }

    @Test
    void aReopenedSessionOfTheSameConnectionSeesEarlierWrites() throws Exception {
        SourceRecord created = s.create(EntityType.VENDORS, json("{'name':'Persisted AG'}"));
        s.close();
        clock.advance(Duration.ofHours(1));

        ConnectorSession again = open(factory, clock, "conn-1");
        assertThat(again.get(EntityType.VENDORS, created.remoteId())).isEqualTo(created);

        ConnectorSession other = open(factory, clock, "conn-2");
        assertThat(failure(() -> other.get(EntityType.VENDORS, created.remoteId())).kind())
                .isEqualTo(Kind.NOT_FOUND);

        ConnectorSession reseeded = open(factory, clock, "conn-1", "seed", "99");
        assertThat(failure(() -> reseeded.get(EntityType.VENDORS, created.remoteId())).kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(reseeded.get(EntityType.VENDORS, "VEN-000001").createdAt())
                .isBefore(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void writesAtTheSameInstantGetDistinctIncreasingChangeTimes() throws Exception {
        SourceRecord a = s.update(EntityType.ITEMS, "ITM-000001", json("{'category':'A'}"));
        SourceRecord b = s.update(EntityType.ITEMS, "ITM-000002", json("{'category':'B'}"));
        assertThat(a.updatedAt()).isEqualTo(T0);
        assertThat(b.updatedAt()).isEqualTo(T0.plusMillis(1));
        SourceRecord same = s.update(EntityType.ITEMS, "ITM-000002", json("{'category':'B'}"));
        assertThat(same.updatedAt()).as("a no-op update changes nothing").isEqualTo(b.updatedAt());
        assertThat(same).isEqualTo(b);
    }
}
