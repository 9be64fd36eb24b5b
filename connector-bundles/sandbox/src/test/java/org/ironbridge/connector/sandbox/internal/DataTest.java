package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.connector.sandbox.internal.TestSupport.T0;
import static org.ironbridge.connector.sandbox.internal.TestSupport.open;
import static org.ironbridge.connector.sandbox.internal.TestSupport.readAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

class DataTest {
    private static final String MONEY = "\\d+\\.\\d{2}";
    private static final String DECIMAL = "\\d+(\\.\\d+)?";

    private final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static BigDecimal dec(JsonNode n, String field) {
        return new BigDecimal(n.get(field).asText());
    }

    @Test
    void sameSeedGivesTheSameSystemAndAnotherSeedAnotherOne() throws Exception {
        ConnectorSession a = open(factory, clock, "a", "seed", "7");
        ConnectorSession b = open(new SandboxConnectorFactory(), clock, "b", "seed", "7");
        ConnectorSession c = open(factory, clock, "c", "seed", "8");
        for (EntityType e : EntityType.values()) {
            List<SourceRecord> ra = a.read(new ReadRequest(e, null, null, 25)).records();
            List<SourceRecord> rb = b.read(new ReadRequest(e, null, null, 25)).records();
            assertThat(rb).as(e.collection()).isEqualTo(ra);
            String last = ra.get(ra.size() - 1).remoteId();
            assertThat(b.get(e, last)).isEqualTo(a.get(e, last));
        }
        List<String> vendorsA = names(a);
        List<String> vendorsC = names(c);
        assertThat(vendorsC).hasSameSizeAs(vendorsA).isNotEqualTo(vendorsA);
        assertThat(c.get(EntityType.PURCHASE_ORDERS, "PO-0000001").fields())
                .isNotEqualTo(a.get(EntityType.PURCHASE_ORDERS, "PO-0000001").fields());
    }

    private static List<String> names(ConnectorSession s) throws ConnectorException {
        return s.read(new ReadRequest(EntityType.VENDORS, null, null, 20)).records().stream()
                .map(r -> r.fields().get("name").asText())
                .toList();
    }

    @Test
    void purchaseOrdersAreInternallyConsistent() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        List<SourceRecord> pos = readAll(s, EntityType.PURCHASE_ORDERS, null, null, 200).records();
        assertThat(pos).hasSize(1000);
        Map<String, SourceRecord> vendors = new HashMap<>();
        Set<String> statuses = new HashSet<>();
        for (SourceRecord po : pos) {
            ObjectNode f = po.fields();
            String vendorId = text(f, "vendor_id");
            SourceRecord vendor = vendors.get(vendorId);
            if (vendor == null) {
                vendor = s.get(EntityType.VENDORS, vendorId);
                vendors.put(vendorId, vendor);
            }
            assertThat(text(f, "currency")).isEqualTo(text(vendor.fields(), "currency"));
            assertThat(f.get("lines").size()).isBetween(1, 5);
            BigDecimal net = BigDecimal.ZERO;
            for (JsonNode line : f.get("lines")) {
                SourceRecord item = s.get(EntityType.ITEMS, text(line, "item_id"));
                assertThat(text(line, "description")).isEqualTo(text(item.fields(), "name"));
                assertThat(text(line, "unit")).isEqualTo(text(item.fields(), "unit"));
                assertThat(
                                s.get(EntityType.LOCATIONS, text(line, "location_id"))
                                        .fields()
                                        .get("type")
                                        .asText())
                        .isEqualTo("warehouse");
                assertThat(text(line, "quantity")).matches(DECIMAL);
                assertThat(text(line, "unit_price")).matches(MONEY);
                assertThat(text(line, "line_total")).matches(MONEY);
                BigDecimal qty = dec(line, "quantity");
                assertThat(qty).isPositive();
                assertThat(dec(line, "received_quantity")).isBetween(BigDecimal.ZERO, qty);
                assertThat(dec(line, "line_total"))
                        .isEqualTo(
                                qty.multiply(dec(line, "unit_price"))
                                        .setScale(2, RoundingMode.HALF_UP));
                net = net.add(dec(line, "line_total"));
            }
            BigDecimal rate =
                    vendor.fields().get("address").get("country").asText().equals("DE")
                            ? new BigDecimal("0.19")
                            : BigDecimal.ZERO;
            assertThat(text(f, "total_net")).matches(MONEY);
            assertThat(dec(f, "total_net")).isEqualTo(net);
            assertThat(dec(f, "total_tax"))
                    .isEqualTo(net.multiply(rate).setScale(2, RoundingMode.HALF_UP));
            assertThat(dec(f, "total_gross")).isEqualTo(net.add(dec(f, "total_tax")));
            assertThat(text(f, "remote_status"))
                    .isEqualTo(Statuses.raw(EntityType.PURCHASE_ORDERS, text(f, "status")));
            assertThat(po.raw().get("PONumber").asText()).isEqualTo(text(f, "number"));
            assertThat(po.raw().get("Status").asText()).isEqualTo(text(f, "remote_status"));
            assertThat(text(f, "order_date")).isLessThanOrEqualTo(text(f, "expected_date"));
            statuses.add(text(f, "status"));
            if (text(f, "status").equals("received") || text(f, "status").equals("closed")) {
                for (JsonNode line : f.get("lines")) {
                    assertThat(dec(line, "received_quantity"))
                            .isEqualByComparingTo(dec(line, "quantity"));
                }
            }
        }
        assertThat(statuses)
                .containsExactlyInAnyOrderElementsOf(Statuses.values(EntityType.PURCHASE_ORDERS));
        assertThat(vendors.values())
                .extracting(v -> v.fields().get("address").get("country").asText())
                .contains("DE")
                .anyMatch(country -> !country.equals("DE"));
    }

    @Test
    void maintenanceRecordsReferenceEachOtherConsistently() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        Map<String, SourceRecord> locations =
                byId(readAll(s, EntityType.LOCATIONS, null, null, 100).records());
        Map<String, SourceRecord> assets =
                byId(readAll(s, EntityType.ASSETS, null, null, 100).records());
        Map<String, SourceRecord> wos =
                byId(readAll(s, EntityType.WORK_ORDERS, null, null, 100).records());
        Map<String, SourceRecord> srs =
                byId(readAll(s, EntityType.SERVICE_REQUESTS, null, null, 100).records());
        Map<String, SourceRecord> stock =
                byId(readAll(s, EntityType.STOCK_LEVELS, null, null, 100).records());
        Map<String, SourceRecord> items =
                byId(readAll(s, EntityType.ITEMS, null, null, 100).records());
        assertThat(
                        List.of(
                                locations.size(),
                                assets.size(),
                                wos.size(),
                                srs.size(),
                                stock.size(),
                                items.size()))
                .containsExactly(10, 50, 500, 250, 100, 50);

        // locations: storeroom -> warehouse -> site
        Map<String, String> parentType =
                Map.of("storeroom", "warehouse", "warehouse", "site", "area", "site");
        for (SourceRecord l : locations.values()) {
            String type = text(l.fields(), "type");
            String parent = text(l.fields(), "parent_id");
            if (type.equals("site")) {
                assertThat(parent).isNull();
            } else {
                assertThat(text(locations.get(parent).fields(), "type"))
                        .isEqualTo(parentType.get(type));
            }
        }
        // assets sit in areas; components sit where their parent is
        int components = 0;
        for (SourceRecord a : assets.values()) {
            assertThat(text(locations.get(text(a.fields(), "location_id")).fields(), "type"))
                    .isEqualTo("area");
            String parent = text(a.fields(), "parent_id");
            if (parent != null) {
                components++;
                assertThat(text(assets.get(parent).fields(), "parent_id")).isNull();
                assertThat(text(assets.get(parent).fields(), "location_id"))
                        .isEqualTo(text(a.fields(), "location_id"));
            }
        }
        assertThat(components).isPositive();
        // work orders: asset and its location; links to service requests both ways
        int linked = 0;
        for (SourceRecord wo : wos.values()) {
            SourceRecord asset = assets.get(text(wo.fields(), "asset_id"));
            assertThat(text(wo.fields(), "location_id"))
                    .isEqualTo(text(asset.fields(), "location_id"));
            assertThat(text(wo.fields(), "title")).contains(text(asset.fields(), "name"));
            String sr = text(wo.fields(), "service_request_id");
            if (sr != null) {
                linked++;
                assertThat(text(srs.get(sr).fields(), "work_order_id")).isEqualTo(wo.remoteId());
                assertThat(text(srs.get(sr).fields(), "asset_id")).isEqualTo(asset.remoteId());
                assertThat(Instant.parse(text(srs.get(sr).fields(), "reported_at")))
                        .isBefore(wo.createdAt());
            }
            for (JsonNode part : wo.fields().get("parts")) {
                assertThat(items).containsKey(text(part, "item_id"));
                assertThat(text(locations.get(text(part, "location_id")).fields(), "type"))
                        .isEqualTo("storeroom");
            }
            for (JsonNode labor : wo.fields().get("labor")) {
                assertThat(dec(labor, "cost"))
                        .isEqualTo(
                                dec(labor, "hours")
                                        .multiply(dec(labor, "rate"))
                                        .setScale(2, RoundingMode.HALF_UP));
            }
            assertThat(text(wo.fields(), "remote_status"))
                    .isEqualTo(Statuses.raw(EntityType.WORK_ORDERS, text(wo.fields(), "status")));
        }
        assertThat(linked).isGreaterThan(50);
        for (SourceRecord sr : srs.values()) {
            String wo = text(sr.fields(), "work_order_id");
            if (wo != null) {
                assertThat(text(wos.get(wo).fields(), "service_request_id"))
                        .isEqualTo(sr.remoteId());
            }
        }
        // stock levels: one per item and warehouse, available = on hand - reserved
        Set<String> pairs = new HashSet<>();
        for (SourceRecord st : stock.values()) {
            ObjectNode f = st.fields();
            assertThat(pairs.add(text(f, "item_id") + "@" + text(f, "location_id"))).isTrue();
            assertThat(items).containsKey(text(f, "item_id"));
            assertThat(text(locations.get(text(f, "location_id")).fields(), "type"))
                    .isEqualTo("warehouse");
            assertThat(dec(f, "quantity_available"))
                    .isEqualByComparingTo(
                            dec(f, "quantity_on_hand").subtract(dec(f, "quantity_reserved")));
            assertThat(text(f, "unit"))
                    .isEqualTo(text(items.get(text(f, "item_id")).fields(), "unit"));
        }
    }

    private static Map<String, SourceRecord> byId(List<SourceRecord> records) {
        return records.stream().collect(Collectors.toMap(SourceRecord::remoteId, r -> r));
    }

    @Test
    void baseRecordsLieInTheTwoYearsBeforeTheSystemWasCreated() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        for (EntityType e : EntityType.values()) {
            for (SourceRecord r : readAll(s, e, null, null, 500).records()) {
                assertThat(r.updatedAt())
                        .isBefore(T0)
                        .isAfterOrEqualTo(T0.minus(Duration.ofDays(730)));
                assertThat(r.createdAt()).isBeforeOrEqualTo(r.updatedAt());
                assertThat(r.raw().get("ChangedOn").asText()).isEqualTo(r.updatedAt().toString());
            }
        }
    }

    @Test
    void pagingReturnsEveryPurchaseOrderExactlyOnceInChangeOrder() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        TestSupport.ReadAll all = readAll(s, EntityType.PURCHASE_ORDERS, null, null, 37);
        List<String> ids = all.records().stream().map(SourceRecord::remoteId).toList();
        assertThat(all.pages()).isEqualTo(28); // 27 full pages of 37 and one of 1
        assertThat(ids).hasSize(1000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids))
                .isEqualTo(
                        java.util.stream.IntStream.rangeClosed(1, 1000)
                                .mapToObj(i -> String.format("PO-%07d", i))
                                .collect(Collectors.toSet()));
        assertThat(all.records())
                .isSortedAccordingTo(
                        Comparator.comparing(SourceRecord::updatedAt)
                                .thenComparing(SourceRecord::remoteId));
        SourceRecord last = all.records().get(999);
        assertThat(all.cursor()).isEqualTo(Cursor.of(last.updatedAt(), last.remoteId()));

        ChangePage after =
                s.read(new ReadRequest(EntityType.PURCHASE_ORDERS, all.cursor(), null, 37));
        assertThat(after.records()).isEmpty();
        assertThat(after.deletedRemoteIds()).isEmpty();
        assertThat(after.hasMore()).isFalse();
        assertThat(after.next()).isEqualTo(all.cursor());
    }

    @Test
    void aMillionPurchaseOrdersArePagedWithoutMaterializingThem() throws Exception {
        ConnectorSession s = open(factory, clock, "big", "dataset_size", "1000000");
        SandboxSystem system = factory.system("big");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long bytes = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        ChangePage first = s.read(new ReadRequest(EntityType.PURCHASE_ORDERS, null, null, 100));
        SourceRecord middle = s.get(EntityType.PURCHASE_ORDERS, "PO-0500000");
        ChangePage next =
                s.read(
                        new ReadRequest(
                                EntityType.PURCHASE_ORDERS,
                                Cursor.of(middle.updatedAt(), middle.remoteId()),
                                null,
                                100));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;

        assertThat(first.records()).hasSize(100);
        assertThat(first.records().get(0).remoteId()).isEqualTo("PO-0000001");
        assertThat(first.hasMore()).isTrue();
        // the progress estimate: everything after the page
        assertThat(first.remaining()).isEqualTo(1_000_000 - 100);
        assertThat(next.records()).hasSize(100);
        assertThat(next.records())
                .extracting(SourceRecord::remoteId)
                .startsWith("PO-0500001", "PO-0500002")
                .endsWith("PO-0500100");
        assertThat(next.hasMore()).isTrue();
        assertThat(millis).as("milliseconds").isLessThan(3_000);
        assertThat(allocated).as("bytes allocated").isLessThan(64L * 1024 * 1024);
        assertThat(system.overlaySize()).isZero();

        SourceRecord lastButFive = s.get(EntityType.PURCHASE_ORDERS, "PO-0999995");
        ChangePage end =
                s.read(
                        new ReadRequest(
                                EntityType.PURCHASE_ORDERS,
                                Cursor.of(lastButFive.updatedAt(), lastButFive.remoteId()),
                                null,
                                100));
        assertThat(end.records())
                .extracting(SourceRecord::remoteId)
                .containsExactly(
                        "PO-0999996", "PO-0999997", "PO-0999998", "PO-0999999", "PO-1000000");
        assertThat(end.hasMore()).isFalse();
        assertThat(end.remaining()).isZero();
        assertThat(s.get(EntityType.VENDORS, "VEN-020000").fields().get("name").asText())
                .isNotBlank();
    }

    @Test
    void tinyDatasetsStillHaveMasterData() throws Exception {
        ConnectorSession empty = open(factory, clock, "empty", "dataset_size", "0");
        ChangePage none = empty.read(new ReadRequest(EntityType.PURCHASE_ORDERS, null, null, 10));
        assertThat(none.records()).isEmpty();
        assertThat(none.hasMore()).isFalse();
        assertThat(readAll(empty, EntityType.VENDORS, null, null, 7).records()).hasSize(20);
        assertThat(readAll(empty, EntityType.WORK_ORDERS, null, null, 7).records()).isEmpty();
        SourceRecord po =
                empty.create(
                        EntityType.PURCHASE_ORDERS,
                        (ObjectNode)
                                Json.MAPPER.readTree(
                                        "{\"vendor_id\":\"VEN-000001\",\"lines\":"
                                                + "[{\"quantity\":\"1\",\"unit_price\":\"5\"}]}"));
        assertThat(po.remoteId()).isEqualTo("PO-0000001");

        ConnectorSession one = open(factory, clock, "one", "dataset_size", "3");
        assertThat(readAll(one, EntityType.PURCHASE_ORDERS, null, null, 7).records()).hasSize(3);
        assertThat(readAll(one, EntityType.WORK_ORDERS, null, null, 7).records()).hasSize(1);
        assertThat(readAll(one, EntityType.SERVICE_REQUESTS, null, null, 7).records()).isEmpty();
    }

    @Test
    void lookbackSkipsRecordsLastChangedBeforeSince() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        List<SourceRecord> all = readAll(s, EntityType.WORK_ORDERS, null, null, 500).records();
        Instant since = T0.minus(Duration.ofDays(90));
        List<SourceRecord> recent = readAll(s, EntityType.WORK_ORDERS, null, since, 40).records();

        List<String> expected = new ArrayList<>();
        for (SourceRecord r : all) {
            if (!r.updatedAt().isBefore(since)) {
                expected.add(r.remoteId());
            }
        }
        assertThat(expected).hasSizeBetween(30, 100);
        assertThat(recent).extracting(SourceRecord::remoteId).containsExactlyElementsOf(expected);

        ChangePage nothing =
                s.read(new ReadRequest(EntityType.WORK_ORDERS, null, T0.plusSeconds(1), 40));
        assertThat(nothing.records()).isEmpty();
        assertThat(nothing.hasMore()).isFalse();
        assertThat(nothing.next().watermark()).contains(T0.plusSeconds(1));
    }
}
