package org.ironbridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CanonicalModel MODEL = CanonicalModel.standard();
    private static final String DECIMAL_MESSAGE = "must be a decimal string such as \"12.50\"";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static ObjectNode purchaseOrder() {
        return json(
                """
                {'number': 'PO-1', 'vendor_id': 'ven_1', 'status': 'draft', 'order_date': '2026-11-22',
                 'currency': 'EUR', 'total_net': '25.00',
                 'lines': [
                   {'line_number': 1, 'item_id': 'itm_1', 'quantity': '2', 'unit_price': '10.00', 'unit': 'EA'},
                   {'line_number': 2, 'description': 'Freight', 'quantity': '1', 'unit_price': '5.00'}
                 ],
                 'custom_fields': {'buyer': 'B12', 'anything': {'goes': [1, 2]}}}
                """);
    }

    // -- good bodies ------------------------------------------------------------------------------

    @Test
    void goodCreateBodiesPassForEveryEntityType() {
        Map<EntityType, String> bodies =
                Map.of(
                        EntityType.VENDORS,
                        "{'name': 'Acme', 'status': 'active', 'email': 'a@acme.example',"
                                + " 'address': {'city': 'Köln', 'country': 'DE'}}",
                        EntityType.ITEMS,
                        "{'name': 'Bearing', 'type': 'part', 'unit_cost': '7.85', 'currency': 'EUR',"
                                + " 'vendor_id': 'ven_1'}",
                        EntityType.STOCK_LEVELS,
                        "{'item_id': 'itm_1', 'location_id': 'loc_1', 'quantity_on_hand': '-3.5'}",
                        EntityType.LOCATIONS,
                        "{'name': 'Main store', 'type': 'storeroom', 'parent_id': null}",
                        EntityType.ASSETS,
                        "{'name': 'Pump', 'criticality': 'high', 'install_date': '2019-06-14',"
                                + " 'purchase_cost': '8450.00'}",
                        EntityType.WORK_ORDERS,
                        "{'title': 'Fix pump', 'priority': 'urgent', 'type': 'corrective',"
                                + " 'scheduled_start': '2026-11-24T06:00:00Z', 'due_date': '2026-11-25',"
                                + " 'tasks': [{'sequence': 1, 'description': 'Drain', 'status': 'open',"
                                + " 'estimated_hours': '0.5'}],"
                                + " 'labor': [{'worker_name': 'M. S.', 'date': '2026-11-24', 'hours': '3'}],"
                                + " 'parts': [{'item_id': 'itm_1', 'quantity': '2', 'location_id': 'loc_1'}]}",
                        EntityType.SERVICE_REQUESTS,
                        "{'title': 'Pump leaking', 'status': 'open', 'reported_at': '2026-11-21T13:42:00Z'}",
                        EntityType.PURCHASE_ORDERS,
                        purchaseOrder().toString());
        assertThat(bodies.keySet()).containsExactlyInAnyOrder(EntityType.values());
        bodies.forEach(
                (type, body) ->
                        assertThat(MODEL.validateCreate(type, json(body)))
                                .as(type.collection())
                                .isEmpty());
    }

    @Test
    void nonRequiredFieldsMayBeNull() {
        ObjectNode po = purchaseOrder();
        po.putNull("status");
        po.putNull("order_date");
        po.putNull("total_net");
        po.putNull("custom_fields");
        ((ObjectNode) po.path("lines").get(0)).putNull("item_id").putNull("line_number");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po)).isEmpty();
    }

    // -- body shape -------------------------------------------------------------------------------

    @Test
    void bodyThatIsNotAnObjectIsOneViolation() {
        List<Violation> expected = List.of(new Violation("", "must be a JSON object"));
        assertThat(MODEL.validateCreate(EntityType.VENDORS, MAPPER.createArrayNode()))
                .isEqualTo(expected);
        assertThat(MODEL.validateUpdate(EntityType.VENDORS, MAPPER.getNodeFactory().textNode("x")))
                .isEqualTo(expected);
        assertThat(MODEL.validateUpdate(EntityType.VENDORS, MAPPER.getNodeFactory().nullNode()))
                .isEqualTo(expected);
        assertThat(MODEL.validateCreate(EntityType.VENDORS, null)).isEqualTo(expected);
    }

    // -- types ------------------------------------------------------------------------------------

    @Test
    void numberForADecimalIsReportedAtItsLinePath() {
        ObjectNode po = purchaseOrder();
        ((ObjectNode) po.path("lines").get(0)).put("quantity", 2.5);
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(new Violation("lines[0].quantity", DECIMAL_MESSAGE));
    }

    @Test
    void malformedDecimalStringsAreRejected() {
        ObjectNode po = purchaseOrder();
        po.put("total_net", "12,50");
        po.put("total_tax", "1e3");
        ((ObjectNode) po.path("lines").get(1)).put("unit_price", "abc");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("lines[1].unit_price", DECIMAL_MESSAGE),
                        new Violation("total_net", DECIMAL_MESSAGE),
                        new Violation("total_tax", DECIMAL_MESSAGE));
    }

    @Test
    void lineQuantityMustBeGreaterThanZero() {
        ObjectNode po = purchaseOrder();
        ((ObjectNode) po.path("lines").get(0)).put("quantity", "0.00");
        ((ObjectNode) po.path("lines").get(1)).put("quantity", "-1");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("lines[0].quantity", "must be greater than 0"),
                        new Violation("lines[1].quantity", "must be greater than 0"));
        ((ObjectNode) po.path("lines").get(0)).put("quantity", "0.001");
        ((ObjectNode) po.path("lines").get(1)).put("quantity", "010");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po)).isEmpty();
    }

    @Test
    void wrongJsonTypesAreNamed() {
        ObjectNode po = purchaseOrder();
        po.put("number", 4711);
        po.put("notes", true);
        po.put("lines", "none");
        po.put("custom_fields", "x");
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("custom_fields", "must be an object"),
                        new Violation("lines", "must be an array"),
                        new Violation("notes", "must be a string"),
                        new Violation("number", "must be a string"));
    }

    @Test
    void integerAndMinimumOfLineNumber() {
        ObjectNode po = purchaseOrder();
        ((ObjectNode) po.path("lines").get(0)).put("line_number", "1");
        ((ObjectNode) po.path("lines").get(1)).put("line_number", 0);
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("lines[0].line_number", "must be an integer"),
                        new Violation("lines[1].line_number", "must be at least 1"));
    }

    @Test
    void datesTimestampsAndCurrenciesAreChecked() {
        ObjectNode wo =
                json(
                        "{'title': 'x', 'due_date': '22.11.2026', 'scheduled_start': '2026-11-24 06:00',"
                                + " 'labor': [{'date': '2026-02-30'}]}");
        assertThat(MODEL.validateCreate(EntityType.WORK_ORDERS, wo))
                .containsExactly(
                        new Violation("due_date", "must be a date such as \"2026-11-22\""),
                        new Violation("labor[0].date", "must be a date such as \"2026-11-22\""),
                        new Violation(
                                "scheduled_start",
                                "must be a timestamp such as \"2026-11-22T10:15:30Z\""));
        assertThat(MODEL.validateUpdate(EntityType.ITEMS, json("{'currency': 'euro'}")))
                .containsExactly(
                        new Violation(
                                "currency",
                                "must be a three-letter ISO 4217 currency code such as \"EUR\""));
    }

    @Test
    void emailMustLookLikeAnAddress() {
        assertThat(MODEL.validateUpdate(EntityType.VENDORS, json("{'email': 'orders at acme'}")))
                .containsExactly(new Violation("email", "must be an email address"));
        assertThat(
                        MODEL.validateUpdate(
                                EntityType.VENDORS, json("{'email': 'orders@acme.example'}")))
                .isEmpty();
    }

    // -- enums ------------------------------------------------------------------------------------

    @Test
    void enumViolationListsTheAllowedValues() {
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, json("{'status': 'open'}")))
                .containsExactly(
                        new Violation(
                                "status",
                                "must be one of: draft, pending_approval, approved,"
                                        + " partially_received, received, closed, cancelled"));
        assertThat(
                        MODEL.validateUpdate(
                                EntityType.WORK_ORDERS,
                                json("{'tasks': [{'status': 'finished'}]}")))
                .containsExactly(
                        new Violation("tasks[0].status", "must be one of: open, done, skipped"));
    }

    // -- unknown fields ---------------------------------------------------------------------------

    @Test
    void unknownFieldsAreNamedByTheirPath() {
        ObjectNode po = purchaseOrder();
        po.put("supplier", "Acme");
        ((ObjectNode) po.path("lines").get(1)).put("foo", "bar");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("lines[1].foo", "is not a known field"),
                        new Violation("supplier", "is not a known field"));
    }

    @Test
    void unknownFieldInANestedObject() {
        assertThat(
                        MODEL.validateUpdate(
                                EntityType.VENDORS,
                                json("{'address': {'city': 'Köln', 'zip': '50829'}}")))
                .containsExactly(new Violation("address.zip", "is not a known field"));
    }

    @Test
    void customFieldsAcceptAnything() {
        assertThat(
                        MODEL.validateUpdate(
                                EntityType.ASSETS,
                                json("{'custom_fields': {'x': 1, 'y': [true], 'z': {'a': null}}}")))
                .isEmpty();
    }

    // -- read-only fields -------------------------------------------------------------------------

    @Test
    void readOnlyFieldsAreRejectedOnCreateAndUpdate() {
        ObjectNode po = purchaseOrder();
        po.put("id", "po_123");
        po.put("remote_status", "Offen");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("id", "is read-only"),
                        new Violation("remote_status", "is read-only"));
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, json("{'id': 'po_123'}")))
                .containsExactly(new Violation("id", "is read-only"));
    }

    @Test
    void readOnlyFieldIsReportedOnlyAsReadOnlyWhateverItsValue() {
        ObjectNode body =
                json(
                        "{'id': 42, 'remote_id': 'X', 'created_at': 'yesterday', 'updated_at': null,"
                                + " 'deleted_at': null, 'remote_data': {'a': 1}}");
        assertThat(MODEL.validateUpdate(EntityType.ASSETS, body))
                .containsExactly(
                        new Violation("created_at", "is read-only"),
                        new Violation("deleted_at", "is read-only"),
                        new Violation("id", "is read-only"),
                        new Violation("remote_data", "is read-only"),
                        new Violation("remote_id", "is read-only"),
                        new Violation("updated_at", "is read-only"));
    }

    @Test
    void readOnlyFieldsAreAllowedInServedRecords() {
        ObjectNode record =
                json(
                        "{'id': 'ven_1', 'remote_id': '1', 'created_at': '2026-01-01T00:00:00Z',"
                                + " 'updated_at': '2026-01-02T00:00:00Z', 'deleted_at': null,"
                                + " 'remote_data': {'LIFNR': '1'}}");
        assertThat(MODEL.validateRecord(EntityType.VENDORS, record)).isEmpty();
        record.remove("created_at");
        record.put("id", "po_1");
        assertThat(MODEL.validateRecord(EntityType.VENDORS, record))
                .containsExactly(
                        new Violation("created_at", "is required"),
                        new Violation("id", "must be an Ironbridge id starting with \"ven_\""));
    }

    // -- required fields --------------------------------------------------------------------------

    @Test
    void vendorIdIsRequiredOnCreateButNotOnUpdate() {
        ObjectNode po = purchaseOrder();
        po.remove("vendor_id");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(new Violation("vendor_id", "is required"));
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, po)).isEmpty();
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, json("{'notes': 'x'}")))
                .isEmpty();
    }

    @Test
    void requiredOnCreateMeansNotNullEither() {
        ObjectNode po = purchaseOrder();
        po.putNull("vendor_id");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(new Violation("vendor_id", "must not be null"));
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, po)).isEmpty();
        assertThat(MODEL.validateUpdate(EntityType.ITEMS, json("{'name': null}")))
                .containsExactly(new Violation("name", "must not be null"));
    }

    @Test
    void createNeedsAtLeastOneLineWithQuantityAndUnitPrice() {
        ObjectNode po = purchaseOrder();
        po.remove("lines");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(new Violation("lines", "is required"));
        po.putArray("lines");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(new Violation("lines", "must contain at least 1 entry"));
        po.putArray("lines").addObject().put("description", "x");
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .containsExactly(
                        new Violation("lines[0].quantity", "is required"),
                        new Violation("lines[0].unit_price", "is required"));
        assertThat(MODEL.validateUpdate(EntityType.PURCHASE_ORDERS, po)).isEmpty();
    }

    @Test
    void requiredFieldsOfEachEntityOnCreate() {
        Map<EntityType, List<String>> required =
                Map.of(
                        EntityType.VENDORS, List.of("name"),
                        EntityType.ITEMS, List.of("name"),
                        EntityType.STOCK_LEVELS,
                                List.of("item_id", "location_id", "quantity_on_hand"),
                        EntityType.LOCATIONS, List.of("name", "type"),
                        EntityType.ASSETS, List.of("name"),
                        EntityType.WORK_ORDERS, List.of("title"),
                        EntityType.SERVICE_REQUESTS, List.of("title"),
                        EntityType.PURCHASE_ORDERS, List.of("lines", "vendor_id"));
        for (EntityType type : EntityType.values()) {
            List<Violation> expected = new ArrayList<>();
            required.get(type).stream()
                    .sorted()
                    .forEach(f -> expected.add(new Violation(f, "is required")));
            assertThat(MODEL.validateCreate(type, MAPPER.createObjectNode()))
                    .as(type.collection())
                    .containsExactlyElementsOf(expected);
            assertThat(MODEL.validateUpdate(type, MAPPER.createObjectNode()))
                    .as(type.collection())
                    .isEmpty();
        }
    }

    // -- several at once, ordering ----------------------------------------------------------------

    @Test
    void violationsAreOrderedByFieldPathWithNumericIndexes() {
        ObjectNode po = purchaseOrder();
        var lines = po.putArray("lines");
        for (int i = 0; i < 12; i++) {
            lines.addObject().put("quantity", "1").put("unit_price", "1");
        }
        ((ObjectNode) lines.get(10)).put("quantity", 1);
        ((ObjectNode) lines.get(2)).put("quantity", 1);
        assertThat(MODEL.validateCreate(EntityType.PURCHASE_ORDERS, po))
                .extracting(Violation::field)
                .containsExactly("lines[2].quantity", "lines[10].quantity");
    }

    @Test
    void violationToStringNamesFieldAndMessage() {
        assertThat(new Violation("lines[0].quantity", "is required"))
                .hasToString("lines[0].quantity: is required");
        assertThat(new Violation("", "must be a JSON object")).hasToString("must be a JSON object");
    }

    @Test
    void nullEntityTypeIsRejected() {
        assertThatThrownBy(() -> MODEL.validateCreate(null, MAPPER.createObjectNode()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void validationIsThreadSafe() throws Exception {
        ObjectNode bad = purchaseOrder();
        ((ObjectNode) bad.path("lines").get(1)).put("quantity", 3);
        JsonNode good = purchaseOrder();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean even = i % 2 == 0;
                results.add(
                        pool.submit(
                                () -> {
                                    List<Violation> v =
                                            MODEL.validateCreate(
                                                    EntityType.PURCHASE_ORDERS, even ? good : bad);
                                    return even
                                            ? v.isEmpty()
                                            : v.equals(
                                                    List.of(
                                                            new Violation(
                                                                    "lines[1].quantity",
                                                                    DECIMAL_MESSAGE)));
                                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
