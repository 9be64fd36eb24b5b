package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.PassthroughRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection-scoped endpoints beside the collections: {@code /v1/connection}, {@code
 * /v1/capabilities}, {@code /v1/schemas[/{collection}]}, {@code /v1/passthrough}.
 */
class ConnectionApiContractTest extends ApiTestBase {
    private static final List<String> COLLECTIONS =
            List.of(
                    "vendors",
                    "items",
                    "stock-levels",
                    "locations",
                    "assets",
                    "work-orders",
                    "service-requests",
                    "purchase-orders");

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private void expect422(Res r, String field) {
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("validation_failed");
        if (field != null) {
            assertThat(r.errorFields()).as("%s", r).contains(field);
        }
    }

    // --- /v1/connection ---

    @Test
    void connectionIsTheTokensConnectionWithoutSecrets() {
        Res r = get("/v1/connection").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode c = r.json();
        assertThat(c.path("id").asText()).isEqualTo(Fakes.CONN_A1);
        assertThat(c.path("system").asText()).isEqualTo(Fakes.ERP);
        assertThat(c.path("customer_id").asText()).isEqualTo("cust-1");
        assertThat(c.path("status").asText()).isEqualTo("active");
        assertThat(c.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(keys(c))
                .contains(
                        "id",
                        "system",
                        "customer_id",
                        "name",
                        "deployment",
                        "status",
                        "status_reason",
                        "created_at",
                        "disconnected_at",
                        "credits",
                        "last_sync");
        assertThat(r.body())
                .doesNotContain(TOKEN_A1)
                .doesNotContain("credentials")
                .doesNotContain("organization");
    }

    @Test
    void connectionIsAsInTheAdminApi() {
        JsonNode self = get("/v1/connection").token(TOKEN_A1).send().json();
        JsonNode admin = get("/v1/admin/connections/" + Fakes.CONN_A1).token(KEY_A).send().json();
        assertThat(self).isEqualTo(admin);
    }

    @Test
    void eachTokenSeesItsOwnConnection() {
        assertThat(get("/v1/connection").token(Fakes.TOKEN_B1).send().json().path("id").asText())
                .isEqualTo(Fakes.CONN_B1);
    }

    @Test
    void connectionOnlyAllowsGet() {
        Res r = call("DELETE", "/v1/connection").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.header("Allow")).contains("GET");
    }

    // --- /v1/capabilities ---

    @Test
    void capabilitiesHaveTheShapeOfApiMd() {
        Res r = get("/v1/capabilities").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode caps = r.json();
        assertThat(keys(caps)).contains("purchase-orders", "vendors", "items");
        assertThat(keys(caps)).allMatch(COLLECTIONS::contains);
        for (String collection : keys(caps)) {
            JsonNode c = caps.get(collection);
            assertThat(keys(c))
                    .as(collection)
                    .containsExactlyInAnyOrder(
                            "list", "get", "create", "update", "delete", "incremental", "deletes");
            c.forEach(v -> assertThat(v.isBoolean()).as(collection).isTrue());
        }
        JsonNode po = caps.get("purchase-orders");
        assertThat(po.path("list").asBoolean()).isTrue();
        assertThat(po.path("create").asBoolean()).isTrue();
        assertThat(po.path("delete").asBoolean()).isTrue();
        assertThat(po.path("incremental").asBoolean()).isTrue();
        JsonNode vendors = caps.get("vendors");
        assertThat(vendors.path("list").asBoolean()).isTrue();
        assertThat(vendors.path("get").asBoolean()).isTrue();
        assertThat(vendors.path("create").asBoolean()).isFalse();
        assertThat(vendors.path("update").asBoolean()).isFalse();
        assertThat(vendors.path("delete").asBoolean()).isFalse();
        assertThat(vendors.path("incremental").asBoolean()).isTrue();
        assertThat(vendors.path("deletes").asBoolean()).isFalse();
        if (caps.has("work-orders")) {
            caps.get("work-orders").forEach(v -> assertThat(v.asBoolean()).isFalse());
        }
    }

    @Test
    void capabilitiesFollowTheConnectionsSystem() {
        JsonNode caps = get("/v1/capabilities").token(Fakes.TOKEN_B2).send().json();
        assertThat(caps.path("work-orders").path("update").asBoolean()).isTrue();
        assertThat(caps.path("work-orders").path("delete").asBoolean()).isFalse();
        assertThat(caps.path("purchase-orders").path("list").asBoolean()).isFalse();
    }

    // --- /v1/schemas ---

    @Test
    void schemasHaveEveryCollection() {
        Res r = get("/v1/schemas").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode all = r.json();
        assertThat(keys(all)).containsExactlyInAnyOrderElementsOf(COLLECTIONS);
        all.forEach(s -> assertThat(s.path("type").asText()).isEqualTo("object"));
    }

    @Test
    void oneSchema() {
        Res r = get("/v1/schemas/purchase-orders").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.path("$schema").asText()).contains("2020-12");
        assertThat(s.path("properties").has("lines")).isTrue();
        assertThat(s.path("properties").has("vendor_id")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "purchase_orders", "PURCHASE-ORDERS"})
    void anUnknownSchemaIs404(String collection) {
        Res r = get("/v1/schemas/" + collection).token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    // --- /v1/passthrough ---

    @Test
    void passthroughCallsTheSourceAndAnswersStatusHeadersBody() {
        Res r =
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .json(
                                "{'method':'POST','path':'/api/v2/orders','query':{'expand':['lines']},"
                                        + "'headers':{'X-Custom':'1'},'body':{'a':1}}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode out = r.json();
        assertThat(keys(out)).containsExactly("status", "headers", "body");
        assertThat(out.path("status").asInt()).isEqualTo(200);
        assertThat(out.path("headers").path("Content-Type").asText()).isEqualTo("application/json");
        assertThat(out.path("body").asText()).isEqualTo("{\"echo\":\"ok\"}");
        assertThat(records.passthroughs).hasSize(1);
        PassthroughRequest sent = records.passthroughs.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v2/orders");
        assertThat(sent.query()).isEqualTo(Map.of("expand", List.of("lines")));
        assertThat(sent.headers()).isEqualTo(Map.of("X-Custom", "1"));
        assertThat(sent.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void passthroughWithOnlyMethodAndPath() {
        Res r = post("/v1/passthrough").token(TOKEN_A1).json("{'method':'GET','path':'/'}").send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(records.passthroughs.get(0).body()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "CONNECT", "get", "", "GET POST"})
    void passthroughWithABadMethodIs422(String method) {
        expect422(
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .json("{'method':'" + method + "','path':'/x'}")
                        .send(),
                "method");
        assertThat(records.passthroughs).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/x", "", "/a/../b", "../etc/passwd", "http://evil.example/x"})
    void passthroughWithABadPathIs422(String path) {
        expect422(
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .json("{'method':'GET','path':'" + path + "'}")
                        .send(),
                "path");
        assertThat(records.passthroughs).isEmpty();
    }

    @Test
    void passthroughWithoutMethodOrPathIs422() {
        expect422(post("/v1/passthrough").token(TOKEN_A1).json("{'path':'/x'}").send(), "method");
        expect422(post("/v1/passthrough").token(TOKEN_A1).json("{'method':'GET'}").send(), "path");
        expect422(post("/v1/passthrough").token(TOKEN_A1).body("").send(), null);
    }

    @Test
    void passthroughWithBadJsonIs422() {
        expect422(
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .json("{'method':'GET','path':'/x','verb':'x'}")
                        .send(),
                "verb");
        expect422(
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .json("{'method':'GET','path':'/x','headers':{'a':['b']}}")
                        .send(),
                "headers.a");
        expect422(post("/v1/passthrough").token(TOKEN_A1).body("{'method'").send(), null);
        expect422(post("/v1/passthrough").token(TOKEN_A1).json("[]").send(), null);
        assertThat(records.passthroughs).isEmpty();
    }

    @Test
    void passthroughWithTextIs415() {
        Res text =
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .contentType("text/plain")
                        .body("GET /")
                        .send();
        assertThat(text.status()).as("%s", text).isEqualTo(415);
        assertThat(text.code()).isEqualTo("unsupported_media_type");
        assertThat(records.passthroughs).isEmpty();
    }

    /**
     * The fixed endpoints beside the collections answer a method they do not have with 405 and
     * {@code Allow}, like every other endpoint, not with the 404 of an unknown collection.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /v1/passthrough POST",
                "DELETE /v1/passthrough POST",
                "POST /v1/connection GET",
                "POST /v1/capabilities GET",
                "POST /v1/schemas GET",
                "DELETE /v1/schemas/purchase-orders GET",
                "PATCH /v1/schemas/purchase-orders GET"
            })
    void aWrongMethodOnAFixedEndpointIs405WithAllow(String spec) {
        String[] s = spec.split(" ");
        Call c = call(s[0], s[1]).token(TOKEN_A1);
        if (!s[0].equals("GET") && !s[0].equals("DELETE")) {
            c.json("{'method':'GET','path':'/'}");
        }
        Res r = c.send();
        assertThat(r.status()).as("%s: %s", spec, r).isEqualTo(405);
        assertThat(r.code()).isEqualTo("method_not_allowed");
        assertThat(r.header("Allow")).as("%s: %s", spec, r).contains(s[2]);
        assertThat(records.passthroughs).isEmpty();
    }
}
