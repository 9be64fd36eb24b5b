package org.ironbridge.connector.tryton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recorded Tryton 6.0 {@code search_read} responses (captured from the provisioned server) in,
 * canonical records out. The purchase order's line carries a later write_date than the order (a
 * direct line edit), so its updated_at is the line's. The stock level is product 18 at the storage
 * zone with a done inventory move in (10), a draft supplier move in (5, on order) and an assigned
 * move out to a customer (3, reserved); its updated_at is the assigned move's write.
 */
class GoldenMappingTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static JsonNode load(String name, ObjectMapper mapper) throws Exception {
        try (InputStream in = GoldenMappingTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as(name).isNotNull();
            return mapper.readTree(in);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "VENDORS, vendor",
        "ITEMS, item",
        "LOCATIONS, location",
        "PURCHASE_ORDERS, purchase-order",
        "STOCK_LEVELS, stock-level"
    })
    void mapsRecordedResponses(EntityType type, String file) throws Exception {
        JsonNode in = load(file + ".json", TrytonValues.MAPPER);
        JsonNode raw = in;
        List<JsonNode> lines = null;
        if (type == EntityType.PURCHASE_ORDERS) {
            raw = in.get("purchase");
            lines = new ArrayList<>();
            in.get("lines").forEach(lines::add);
        }
        SourceRecord r;
        if (type == EntityType.STOCK_LEVELS) {
            // product.product read at the location (with_childs false) + the pair's stock.moves
            List<JsonNode> moves = new ArrayList<>();
            in.get("moves").forEach(moves::add);
            raw = in.get("product");
            r = TrytonMapper.stockLevel(in.get("location").asLong(), raw, moves, null);
        } else {
            r = TrytonMapper.map(type, raw, lines, null);
        }
        JsonNode expected = load(file + ".expected.json", PLAIN);
        assertThat(r.remoteId()).isEqualTo(expected.get("remote_id").asText());
        assertThat(r.createdAt().toString()).isEqualTo(expected.get("created_at").asText());
        assertThat(r.updatedAt().toString()).isEqualTo(expected.get("updated_at").asText());
        assertThat(PLAIN.readTree(PLAIN.writeValueAsString(r.fields())))
                .isEqualTo(expected.get("fields"));
        if (type == EntityType.STOCK_LEVELS) {
            assertThat(r.raw().get("product")).isEqualTo(raw);
            assertThat(r.raw().get("open_moves")).hasSize(2); // the draft and the assigned move
        } else {
            assertThat(r.raw().get("id")).isEqualTo(raw.get("id"));
        }
    }

    @org.junit.jupiter.api.Test
    void decimalsStayExact() throws Exception {
        JsonNode v =
                TrytonValues.MAPPER.readTree(
                        "{\"a\":{\"__class__\":\"Decimal\",\"decimal\":\"12345678901234.0100\"},"
                                + "\"q\":0.1}");
        assertThat(TrytonValues.money(v.get("a"))).isEqualTo("12345678901234.0100");
        assertThat(TrytonValues.quantity(v.get("q"))).isEqualTo("0.1");
        assertThat(TrytonValues.toDecimal(new java.math.BigDecimal("0.30")).get("decimal").asText())
                .isEqualTo("0.30");
    }
}
