package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.engine.EngineException;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

class CanonicalTest {
    private static final Canonical CANONICAL = new Canonical(CanonicalModel.standard());
    private static final Instant T = Instant.parse("2026-11-02T10:15:30.123456Z");

    @Test
    void idsAreDeterministicPrefixedAndDistinct() {
        String a = RecordIds.of("conn_1", EntityType.PURCHASE_ORDERS, "42");
        assertThat(a).startsWith("po_").hasSize(3 + 26).matches("po_[a-z2-7]{26}");
        assertThat(RecordIds.of("conn_1", EntityType.PURCHASE_ORDERS, "42")).isEqualTo(a);
        assertThat(RecordIds.of("conn_2", EntityType.PURCHASE_ORDERS, "42")).isNotEqualTo(a);
        assertThat(RecordIds.of("conn_1", EntityType.PURCHASE_ORDERS, "43")).isNotEqualTo(a);
        assertThat(RecordIds.of("conn_1", EntityType.VENDORS, "42")).startsWith("ven_");
        assertThat(RecordIds.looksLike(a, EntityType.PURCHASE_ORDERS)).isTrue();
        assertThat(RecordIds.looksLike(a, EntityType.VENDORS)).isFalse();
        // known value: base32 of SHA-256("conn_1\npurchase-orders\n42") (checked independently)
        assertThat(a).isEqualTo("po_" + base32Prefix("conn_1\npurchase-orders\n42"));
    }

    private static String base32Prefix(String text) {
        try {
            byte[] d =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder bits = new StringBuilder();
            for (byte b : d) {
                bits.append(
                        String.format("%8s", Integer.toBinaryString(b & 0xff)).replace(' ', '0'));
            }
            String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 26; i++) {
                out.append(alphabet.charAt(Integer.parseInt(bits.substring(i * 5, i * 5 + 5), 2)));
            }
            return out.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recordsAreCanonicalWithTranslatedReferencesAndAValidShape() {
        ObjectNode fields = FakeConnector.purchaseOrder("PO-1", "V7", "I1", "I2");
        fields.putObject("custom_fields").put("buyer", "Bob");
        fields.put("id", "ignored");
        SourceRecord r = new SourceRecord("P1", T, T, fields, null);
        Canonical.Built b = CANONICAL.build("conn_1", EntityType.PURCHASE_ORDERS, r, T, T, null);
        ObjectNode d = b.data();
        assertThat(d.fieldNames())
                .toIterable()
                .startsWith(
                        "id",
                        "remote_id",
                        "created_at",
                        "updated_at",
                        "deleted_at",
                        "custom_fields");
        assertThat(d.get("id").asText())
                .isEqualTo(RecordIds.of("conn_1", EntityType.PURCHASE_ORDERS, "P1"));
        assertThat(d.get("remote_id").asText()).isEqualTo("P1");
        assertThat(d.get("created_at").asText()).isEqualTo("2026-11-02T10:15:30.123456Z");
        assertThat(d.get("deleted_at").isNull()).isTrue();
        assertThat(d.get("custom_fields").get("buyer").asText()).isEqualTo("Bob");
        assertThat(d.get("vendor_id").asText())
                .isEqualTo(RecordIds.of("conn_1", EntityType.VENDORS, "V7"));
        assertThat(d.get("lines").get(1).get("item_id").asText())
                .isEqualTo(RecordIds.of("conn_1", EntityType.ITEMS, "I2"));
        // the source record is not changed
        assertThat(fields.get("vendor_id").asText()).isEqualTo("V7");
        assertThat(CanonicalModel.standard().validateRecord(EntityType.PURCHASE_ORDERS, d))
                .isEmpty();
        assertThat(b.json()).isEqualTo(Json.write(d));
        assertThat(b.filters())
                .containsEntry("remote_id", "P1")
                .containsEntry("status", "approved")
                .containsEntry("number", "PO-1")
                .containsEntry("vendor_id", d.get("vendor_id").asText())
                .doesNotContainKey("lines");
    }

    @Test
    void theContentHashIgnoresUpdatedAtOnly() {
        ObjectNode fields = FakeConnector.vendor("Acme", "active");
        SourceRecord r = new SourceRecord("V1", T, T, fields, null);
        Canonical.Built a = CANONICAL.build("conn_1", EntityType.VENDORS, r, T, T, null);
        Canonical.Built later =
                CANONICAL.build("conn_1", EntityType.VENDORS, r, T, T.plusSeconds(60), null);
        assertThat(later.hash()).isEqualTo(a.hash()).hasSize(64);
        assertThat(later.data().get("updated_at").asText())
                .isEqualTo("2026-11-02T10:16:30.123456Z");
        ObjectNode changed = fields.deepCopy().put("status", "inactive");
        assertThat(
                        CANONICAL
                                .build(
                                        "conn_1",
                                        EntityType.VENDORS,
                                        new SourceRecord("V1", T, T, changed, null),
                                        T,
                                        T,
                                        null)
                                .hash())
                .isNotEqualTo(a.hash());
        assertThat(CANONICAL.build("conn_1", EntityType.VENDORS, r, T, T, T).hash())
                .isNotEqualTo(a.hash());
    }

    @Test
    void filterableFieldsComeFromTheModel() {
        assertThat(CANONICAL.filterable(EntityType.PURCHASE_ORDERS))
                .containsExactly("remote_id", "status", "number", "vendor_id");
        assertThat(CANONICAL.filterable(EntityType.WORK_ORDERS))
                .containsExactly(
                        "remote_id",
                        "status",
                        "number",
                        "asset_id",
                        "location_id",
                        "service_request_id");
        assertThat(CANONICAL.filterable(EntityType.STOCK_LEVELS))
                .containsExactly("remote_id", "item_id", "location_id");
        assertThat(CANONICAL.filterable(EntityType.ITEMS)).contains("code", "vendor_id", "status");
    }

    @Test
    void referencesOfWriteBodiesAreFoundWithConcretePathsAndReplaced() {
        ObjectNode body = FakeConnector.purchaseOrder("PO-9", "ven_a", "itm_b", "itm_c");
        var found = CANONICAL.referencesIn(EntityType.PURCHASE_ORDERS, body);
        assertThat(found)
                .extracting(Canonical.Found::path, Canonical.Found::id)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vendor_id", "ven_a"),
                        org.assertj.core.groups.Tuple.tuple("lines[0].item_id", "itm_b"),
                        org.assertj.core.groups.Tuple.tuple("lines[1].item_id", "itm_c"));
        CANONICAL.toRemote(
                EntityType.PURCHASE_ORDERS,
                body,
                Map.of("vendor_id", "V1", "lines[0].item_id", "I1", "lines[1].item_id", "I2"));
        assertThat(body.get("vendor_id").asText()).isEqualTo("V1");
        assertThat(body.get("lines").get(1).get("item_id").asText()).isEqualTo("I2");
    }

    @Test
    void cursorsRoundTripAndRejectGarbage() throws Exception {
        String c = Cursors.records("vendors", T, "ven_abc");
        assertThat(c).matches("[A-Za-z0-9_-]+");
        assertThat(Cursors.records(c, "vendors")).isEqualTo(new Cursors.Position(T, "ven_abc"));
        assertThatThrownBy(() -> Cursors.records(c, "items"))
                .isInstanceOf(EngineException.class)
                .satisfies(
                        e -> {
                            EngineException ee = (EngineException) e;
                            assertThat(ee.code()).isEqualTo(EngineException.Code.VALIDATION_FAILED);
                            assertThat(ee.errors().get(0).field()).isEqualTo("cursor");
                        });
        for (String bad :
                new String[] {"", "%%%", "abc", Cursors.connections(T, "conn_1"), "cjF8eHx5"}) {
            assertThatThrownBy(() -> Cursors.records(bad, "vendors"))
                    .isInstanceOf(EngineException.class)
                    .extracting(e -> ((EngineException) e).code())
                    .isEqualTo(EngineException.Code.VALIDATION_FAILED);
        }
        assertThat(Cursors.connections(Cursors.connections(T, "conn_1")))
                .isEqualTo(new Cursors.Position(T, "conn_1"));
        assertThatThrownBy(() -> Cursors.connections(c)).isInstanceOf(EngineException.class);
    }
}
