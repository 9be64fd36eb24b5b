package org.ironbridge.connector.tryton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Flow;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceHttpClient;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

/**
 * The stock-level read algorithm against a tiny in-memory stand-in for Tryton's JSON-RPC answers:
 * Tryton's traps (equal timestamps, write_date NULL until the first edit) without a server.
 */
class TrytonStockLevelsReadTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00.123456Z");
    private static final long STORAGE = 3;
    private static final long INPUT = 1;
    private static final long LOST_FOUND = 4;

    /** Answers login, preferences, and search_read on stock.location/stock.move/product.product. */
    static final class FakeTryton implements SourceHttpClient {
        final List<ObjectNode> moves = new ArrayList<>();
        final Map<String, Double> quantities = new HashMap<>();

        void move(long product, long from, long to, Instant created, Instant written) {
            ObjectNode m = TrytonValues.MAPPER.createObjectNode();
            m.put("id", moves.size() + 1);
            m.put("product", product).put("from_location", from).put("to_location", to);
            m.putObject("from_location.").put("id", from).put("type", "storage");
            m.put("state", "done").put("internal_quantity", 1.0);
            m.set("create_date", TrytonValues.toDatetime(created));
            m.set("write_date", written == null ? null : TrytonValues.toDatetime(written));
            moves.add(m);
        }

        @Override
        public HttpResponse<byte[]> send(HttpRequest request) {
            JsonNode call;
            try {
                call = TrytonValues.MAPPER.readTree(body(request));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            String method = call.get("method").asText();
            JsonNode params = call.get("params");
            Object result =
                    switch (method) {
                        case "common.db.login" -> List.of(1, "a".repeat(64));
                        case "model.res.user.get_preferences" -> Map.of("company", 1);
                        case "model.stock.location.search_read" ->
                                List.of(Map.of("id", INPUT), Map.of("id", STORAGE));
                        case "model.stock.move.search_read" -> moves(params.get(0));
                        case "model.product.product.search_read" ->
                                products(
                                        params.get(0),
                                        params.get(params.size() - 1).get("locations").get(0));
                        default -> throw new AssertionError("unexpected call " + method);
                    };
            ObjectNode answer = TrytonValues.MAPPER.createObjectNode().put("id", 1);
            answer.set("result", TrytonValues.MAPPER.valueToTree(result));
            return new TrytonClientTest.Response(
                    request, new TrytonClientTest.Answer(200, answer.toString(), Map.of()));
        }

        private List<JsonNode> moves(JsonNode domain) {
            List<JsonNode> out = new ArrayList<>();
            for (ObjectNode m : moves) {
                boolean keep = true;
                for (JsonNode clause : domain) {
                    if (clause.get(0).asText().equals("OR")
                            && clause.get(1).get(0).asText().equals("write_date")) {
                        Instant t = TrytonValues.datetime(clause.get(1).get(2));
                        Instant w = TrytonValues.datetime(m.get("write_date"));
                        Instant c = TrytonValues.datetime(m.get("create_date"));
                        keep &= (w != null && !w.isBefore(t)) || !c.isBefore(t);
                    } else if (clause.get(0).asText().equals("product")) {
                        Set<Long> ids = new HashSet<>();
                        clause.get(2).forEach(i -> ids.add(i.asLong()));
                        keep &= ids.contains(m.get("product").asLong());
                    }
                }
                if (keep) {
                    out.add(m);
                }
            }
            return out;
        }

        private List<JsonNode> products(JsonNode domain, JsonNode location) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode id : domain.get(0).get(2)) {
                double q = quantities.getOrDefault(id.asLong() + "@" + location.asLong(), 0.0);
                ObjectNode p = TrytonValues.MAPPER.createObjectNode().put("id", id.asLong());
                p.put("quantity", q).put("forecast_quantity", q);
                p.putObject("default_uom.").put("id", 1).put("symbol", "u");
                out.add(p);
            }
            return out;
        }
    }

    private static String body(HttpRequest r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.bodyPublisher()
                .orElseThrow()
                .subscribe(
                        new Flow.Subscriber<ByteBuffer>() {
                            public void onSubscribe(Flow.Subscription s) {
                                s.request(Long.MAX_VALUE);
                            }

                            public void onNext(ByteBuffer b) {
                                byte[] a = new byte[b.remaining()];
                                b.get(a);
                                out.write(a, 0, a.length);
                            }

                            public void onError(Throwable t) {}

                            public void onComplete() {}
                        });
        return out.toString(StandardCharsets.UTF_8);
    }

    private final FakeTryton tryton = new FakeTryton();
    private final TrytonSession session =
            new TrytonSession(
                    new TrytonClient(tryton, URI.create("http://erp.test/"), "erp", "admin", "pw"));

    private record All(List<SourceRecord> records, Cursor cursor) {}

    private All readAll(Cursor cursor, int pageSize) throws Exception {
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ChangePage p =
                    session.read(new ReadRequest(EntityType.STOCK_LEVELS, cursor, null, pageSize));
            out.addAll(p.records());
            cursor = Cursor.parse(p.next().serialize());
            if (!p.hasMore()) {
                return new All(out, cursor);
            }
        }
        throw new AssertionError("paging does not end");
    }

    private static List<String> ids(All all) {
        return all.records().stream().map(SourceRecord::remoteId).toList();
    }

    @Test
    void equalTimestampsArePagedByProductAndLocationEachLevelOnce() throws Exception {
        // three moves in one transaction (same create_date, write_date NULL): four levels
        tryton.move(2, LOST_FOUND, STORAGE, T, null);
        tryton.move(1, LOST_FOUND, STORAGE, T, null);
        tryton.move(1, STORAGE, INPUT, T, null); // touches 1@3 and 1@1
        tryton.move(7, LOST_FOUND, 6, T, null); // between two non-storage locations: no level
        tryton.quantities.put("1@3", 4.0);
        tryton.quantities.put("1@1", 1.0);
        tryton.quantities.put("2@3", 12.5);

        All all = readAll(null, 1);
        assertThat(ids(all)).containsExactly("1@1", "1@3", "2@3");
        assertThat(ids(readAll(null, 100))).containsExactly("1@1", "1@3", "2@3");
        assertThat(all.records().get(2).fields().get("quantity_on_hand").asText())
                .isEqualTo("12.5");
        assertThat(all.records()).allSatisfy(r -> assertThat(r.updatedAt()).isEqualTo(T));
        assertThat(all.cursor().state()).isEqualTo("2@3");
        assertThat(ids(readAll(all.cursor(), 1))).as("nothing new").isEmpty();

        // a first edit of an old move (write_date was NULL) changes its level only
        tryton.moves.get(0).set("write_date", TrytonValues.toDatetime(T.plusSeconds(5)));
        tryton.quantities.put("2@3", 11.0);
        All next = readAll(all.cursor(), 1);
        assertThat(ids(next)).containsExactly("2@3");
        assertThat(next.records().get(0).updatedAt()).isEqualTo(T.plusSeconds(5));
        assertThat(next.records().get(0).createdAt()).isEqualTo(T);
        assertThat(next.records().get(0).fields().get("quantity_on_hand").asText()).isEqualTo("11");

        // a new move at the same instant as the cursor, for a level after it: still returned
        tryton.move(3, LOST_FOUND, STORAGE, T.plusSeconds(5), null);
        assertThat(ids(readAll(next.cursor(), 1))).containsExactly("3@3");
    }
}
