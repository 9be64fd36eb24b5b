package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ironbridge.connector.sandbox.internal.TestSupport.T0;
import static org.ironbridge.connector.sandbox.internal.TestSupport.open;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PassthroughTest {
    private final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();
    private ConnectorSession s;

    @BeforeEach
    void setUp() throws Exception {
        s = open(factory, clock, "c");
    }

    private PassthroughResponse send(String method, String path, Map<String, List<String>> query)
            throws ConnectorException {
        return s.passthrough(new PassthroughRequest(method, path, query, Map.of(), null));
    }

    private static JsonNode body(PassthroughResponse r) throws Exception {
        assertThat(r.headers()).containsEntry("Content-Type", "application/json");
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void getsARecordInTheSandboxFormat() throws Exception {
        PassthroughResponse r = send("GET", "/purchase-orders/PO-0000001", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .isEqualTo(Json.write(s.get(EntityType.PURCHASE_ORDERS, "PO-0000001").raw()));
        assertThat(body(r).get("POId").asText()).isEqualTo("PO-0000001");

        PassthroughResponse missing = send("GET", "/purchase-orders/PO-9999999", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(body(missing)).isEqualTo(Json.MAPPER.readTree("{\"error\":\"not found\"}"));
    }

    @Test
    void listsRecordsWithLimitAndOffset() throws Exception {
        JsonNode page = body(send("GET", "/vendors", Map.of("limit", List.of("5"))));
        assertThat(page.get("data")).hasSize(5);
        assertThat(page.get("data").get(0).get("SupplierId").asText()).isEqualTo("VEN-000001");
        assertThat(page.get("data").get(4).get("SupplierId").asText()).isEqualTo("VEN-000005");
        assertThat(page.get("total").asLong()).isEqualTo(20);

        assertThat(body(send("GET", "/vendors/", null)).get("data")).hasSize(20);

        s.delete(EntityType.VENDORS, "VEN-000002");
        JsonNode after =
                body(
                        send(
                                "GET",
                                "/vendors",
                                Map.of("limit", List.of("3"), "offset", List.of("1"))));
        assertThat(after.get("data"))
                .extracting(n -> n.get("SupplierId").asText())
                .containsExactly("VEN-000003", "VEN-000004", "VEN-000005");
        assertThat(after.get("total").asLong()).isEqualTo(19);
        JsonNode tail = body(send("GET", "/vendors", Map.of("offset", List.of("18"))));
        assertThat(tail.get("data"))
                .extracting(n -> n.get("SupplierId").asText())
                .containsExactly("VEN-000020");
    }

    @Test
    void answersOtherRequestsWithJsonErrors() throws Exception {
        PassthroughResponse unknown = send("GET", "/invoices", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(body(unknown).get("error").asText()).isEqualTo("not found");
        assertThat(send("GET", "/", null).status()).isEqualTo(404);
        assertThat(send("GET", "/vendors/VEN-000001/contacts", null).status()).isEqualTo(404);

        PassthroughResponse post = send("POST", "/vendors", null);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET");
        assertThat(body(post).get("error").asText()).isEqualTo("method not allowed");

        PassthroughResponse badLimit = send("GET", "/vendors", Map.of("limit", List.of("0")));
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(body(badLimit).get("error").asText()).contains("limit");
    }

    @Test
    void scenariosApplyToPassthroughToo() throws Exception {
        ConnectorSession down = open(factory, clock, "down", "outage", "true");
        ConnectorException e =
                catchThrowableOfType(
                        ConnectorException.class,
                        () ->
                                down.passthrough(
                                        new PassthroughRequest(
                                                "GET", "/vendors", null, null, null)));
        assertThat(e.kind()).isEqualTo(Kind.SOURCE_UNAVAILABLE);
    }
}
