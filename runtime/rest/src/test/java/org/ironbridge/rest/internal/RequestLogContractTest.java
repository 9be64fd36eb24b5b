package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.CONN_A1;
import static org.ironbridge.rest.internal.Fakes.CONN_B1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;
import static org.ironbridge.rest.internal.Fakes.ORG_A;
import static org.ironbridge.rest.internal.Fakes.ORG_B;
import static org.ironbridge.rest.internal.Fakes.PO_A1_1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_B1;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.SourceCall;
import org.ironbridge.metrics.Metrics;
import org.junit.jupiter.api.Test;

/**
 * The request log as the HTTP layer feeds it (every API request with its organization, connection,
 * bodies and source calls; nothing else) and as the admin API serves it ({@code GET
 * /v1/admin/logs[/{request_id}]}, scoped to the key's organization); and the HTTP metrics.
 */
class RequestLogContractTest extends ApiTestBase {

    private static String text(RequestLogEntry.Body b) {
        return new String(b.bytes(), 0, b.length(), StandardCharsets.UTF_8);
    }

    // --- what is recorded ---

    @Test
    void aDataApiReadIsRecordedWithItsConnectionAndResponse() {
        Instant before = Instant.now();
        Res r =
                get("/v1/purchase-orders/" + PO_A1_1)
                        .token(TOKEN_A1)
                        .query("include_remote_data", "false")
                        .header("X-Request-Id", "my-read-1")
                        .send();
        assertThat(r.status()).isEqualTo(200);
        RequestLogEntry e = requestLogs.entry("my-read-1");
        assertThat(e.organizationId()).isEqualTo(ORG_A);
        assertThat(e.connectionId()).isEqualTo(CONN_A1);
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/v1/purchase-orders/" + PO_A1_1);
        assertThat(e.rawQuery()).isEqualTo("include_remote_data=false");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.errorCode()).isNull();
        assertThat(e.startedAt()).isBetween(before, Instant.now());
        assertThat(e.durationNanos()).isPositive();
        assertThat(e.requestBody()).isNull();
        assertThat(text(e.responseBody())).isEqualTo(r.body());
        assertThat(e.responseBody().size())
                .isEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(e.responseBody().truncated()).isFalse();
        assertThat(e.responseBody().contentType()).startsWith("application/json");
        // raw here; the log writer redacts it
        assertThat(e.requestHeaders().get("Authorization")).containsExactly("Bearer " + TOKEN_A1);
        assertThat(e.responseHeaders()).containsKey("X-Request-Id");
        assertThat(e.sourceCalls()).isEmpty();
    }

    @Test
    void aWriteIsRecordedWithItsRequestBodyAndErrorCode() {
        String body = json(DataApiContractTest.PO.replace("rush", "source-down"));
        Res r = post("/v1/purchase-orders").token(TOKEN_A1).body(body).send();
        assertThat(r.status()).isEqualTo(503);
        RequestLogEntry e = requestLogs.entry(r.requestId());
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.errorCode()).isEqualTo("source_unavailable");
        assertThat(text(e.requestBody())).isEqualTo(body);
        assertThat(e.requestBody().contentType()).startsWith("application/json");
        assertThat(text(e.responseBody())).isEqualTo(r.body());
        assertThat(e.responseBody().contentType()).startsWith("application/problem+json");
    }

    @Test
    void theSourceCallsMadeForARequestAreRecordedWithIt() {
        Res r =
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .json("{'method':'GET','path':'/api/v2/orders/7'}")
                        .send();
        assertThat(r.status()).isEqualTo(200);
        RequestLogEntry e = requestLogs.entry(r.requestId());
        assertThat(e.sourceCalls())
                .extracting(SourceCall::method, SourceCall::url, SourceCall::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "GET", "https://erp.example.com/api/v2/orders/7", 200));
        // the next request on the same thread starts with no source calls
        Res next = get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send();
        assertThat(requestLogs.entry(next.requestId()).sourceCalls()).isEmpty();
        // a source call outside any request (a sync) is attributed to none
        org.ironbridge.engine.SourceCallLog.record(
                new SourceCall(Instant.now(), 1, "GET", "http://sync", 200, null));
        assertThat(requestLogs.entries()).allMatch(x -> x.sourceCalls().size() <= 1);
    }

    @Test
    void bodiesAreCutToTheConfiguredSizeButTheirSizeIsKept() {
        requestLogs.maxBodyBytes = 32;
        String body = json(DataApiContractTest.PO);
        Res r = post("/v1/purchase-orders").token(TOKEN_A1).body(body).send();
        assertThat(r.status()).isEqualTo(201);
        RequestLogEntry e = requestLogs.entry(r.requestId());
        assertThat(text(e.requestBody())).isEqualTo(body.substring(0, 32));
        assertThat(e.requestBody().size()).isEqualTo(body.length());
        assertThat(e.requestBody().truncated()).isTrue();
        assertThat(e.responseBody().length()).isEqualTo(32);
        assertThat(e.responseBody().truncated()).isTrue();
    }

    @Test
    void adminRequestsBelongToTheKeysOrganizationAndNameTheirConnection() {
        Res r = get("/v1/admin/connections/" + CONN_A1).token(KEY_A).send();
        assertThat(r.status()).isEqualTo(200);
        RequestLogEntry e = requestLogs.entry(r.requestId());
        assertThat(e.organizationId()).isEqualTo(ORG_A);
        assertThat(e.connectionId()).isEqualTo(CONN_A1);
        Res list = get("/v1/admin/connections").token(KEY_B).send();
        RequestLogEntry l = requestLogs.entry(list.requestId());
        assertThat(l.organizationId()).isEqualTo(ORG_B);
        assertThat(l.connectionId()).isNull();
    }

    @Test
    void healthOpenApiAndUnauthenticatedRequestsHaveNoOrganization() {
        get("/health/live").send();
        get("/health/ready").send();
        get("/openapi.json").send();
        assertThat(requestLogs.entries()).isEmpty();
        // handed over without an organization: the log keeps none of these (nobody could see
        // them)
        Res r = get("/v1/purchase-orders").token("ibt_nonsense00000000000000000000000").send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(requestLogs.entry(r.requestId()).organizationId()).isNull();
    }

    @Test
    void whenTheLogIsOffNothingIsCaptured() {
        requestLogs.enabled = false;
        assertThat(get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send().status())
                .isEqualTo(200);
        assertThat(requestLogs.entries()).isEmpty();
    }

    // --- GET /v1/admin/logs ---

    @Test
    void theLogListsTheOrganizationsRequestsNewestFirstWithFilters() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send().requestId());
        }
        get("/v1/purchase-orders/" + Fakes.PO_B1_1).token(TOKEN_B1).send();
        Res r = get("/v1/admin/logs").token(KEY_A).query("page_size", 2).send();
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data).as("%s %s", ids, requestLogs.entries()).hasSize(2);
        assertThat(data.get(0).path("request_id").asText())
                .as("%s %s", ids, requestLogs.entries())
                .isEqualTo(ids.get(2));
        assertThat(data.get(1).path("request_id").asText()).isEqualTo(ids.get(1));
        JsonNode first = data.get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "request_id",
                        "started_at",
                        "duration_ms",
                        "connection_id",
                        "method",
                        "path",
                        "query",
                        "status",
                        "error_code",
                        "source_call_count",
                        "bodies_dropped");
        assertThat(first.path("connection_id").asText()).isEqualTo(CONN_A1);
        assertThat(first.path("duration_ms").isNumber()).isTrue();
        assertThat(Instant.parse(first.path("started_at").asText())).isBefore(Instant.now());
        String cursor = r.json().path("next_cursor").asText();
        Res page2 =
                get("/v1/admin/logs")
                        .token(KEY_A)
                        .query("page_size", 2)
                        .query("cursor", cursor)
                        .send();
        assertThat(page2.json().path("data").get(0).path("request_id").asText())
                .isEqualTo(ids.get(0));
        // organization B's read is not in A's log
        assertThat(r.body()).doesNotContain(CONN_B1);

        Res filtered =
                get("/v1/admin/logs")
                        .token(KEY_A)
                        .query("connection_id", CONN_A1)
                        .query("status", "2xx")
                        .query("code", "source_unavailable")
                        .query("since", "2026-11-01T00:00:00Z")
                        .query("until", "2099-01-01T00:00:00Z")
                        .query("q", "po_")
                        .send();
        assertThat(filtered.status()).isEqualTo(200);
        assertThat(filtered.json().path("data")).isEmpty();
        assertThat(filtered.json().path("next_cursor").isNull()).isTrue();
        var q = requestLogs.lastQuery;
        assertThat(q.connectionId()).isEqualTo(CONN_A1);
        assertThat(q.statusFrom()).isEqualTo(200);
        assertThat(q.statusTo()).isEqualTo(300);
        assertThat(q.errorCode()).isEqualTo("source_unavailable");
        assertThat(q.since()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(q.until()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(q.text()).isEqualTo("po_");
        assertThat(q.pageSize()).isEqualTo(50);
        get("/v1/admin/logs").token(KEY_A).query("status", "503").send();
        assertThat(requestLogs.lastQuery.statusFrom()).isEqualTo(503);
        assertThat(requestLogs.lastQuery.statusTo()).isEqualTo(504);
    }

    @Test
    void badFiltersAre422() {
        for (String[] bad :
                new String[][] {
                    {"status", "teapot"},
                    {"status", "600"},
                    {"status", "6xx"},
                    {"since", "yesterday"},
                    {"until", "2026-13-01"},
                    {"page_size", "0"},
                    {"page_size", "101"},
                    {"cursor", "not-a-cursor"},
                    {"q", "x".repeat(201)}
                }) {
            Res r = get("/v1/admin/logs").token(KEY_A).query(bad[0], bad[1]).send();
            assertThat(r.status()).as("%s=%s: %s", bad[0], bad[1], r).isEqualTo(422);
            assertThat(r.code()).isEqualTo("validation_failed");
            assertThat(r.errorFields()).containsExactly(bad[0]);
        }
    }

    @Test
    void theLogNeedsAnAdminKey() {
        assertThat(get("/v1/admin/logs").send().code()).isEqualTo("token_missing");
        assertThat(get("/v1/admin/logs").token(TOKEN_A1).send().code()).isEqualTo("token_invalid");
        assertThat(get("/v1/admin/logs/x").token(TOKEN_A1).send().status()).isEqualTo(401);
    }

    // --- GET /v1/admin/logs/{request_id} ---

    @Test
    void oneEntryIsShownWholeToItsOrganizationOnly() {
        Res w =
                post("/v1/passthrough")
                        .token(TOKEN_A1)
                        .header("X-Request-Id", "pt-1")
                        .json("{'method':'GET','path':'/api/v2/orders/7'}")
                        .send();
        assertThat(w.status()).isEqualTo(200);
        Res r = get("/v1/admin/logs/pt-1").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode e = r.json();
        assertThat(e.path("request_id").asText()).isEqualTo("pt-1");
        assertThat(e.path("method").asText()).isEqualTo("POST");
        assertThat(e.path("status").asInt()).isEqualTo(200);
        assertThat(e.path("source_call_count").asInt()).isEqualTo(1);
        assertThat(e.path("request").path("headers").path("content-type").asText())
                .startsWith("application/json");
        assertThat(e.path("request").path("body").asText()).contains("/api/v2/orders/7");
        assertThat(e.path("request").path("body_truncated").asBoolean()).isFalse();
        assertThat(e.path("response").path("body").asText()).isEqualTo(w.body());
        assertThat(e.path("response").path("body_size").asLong()).isEqualTo(w.body().length());
        JsonNode call = e.path("source_calls").get(0);
        assertThat(call.path("method").asText()).isEqualTo("GET");
        assertThat(call.path("url").asText()).isEqualTo("https://erp.example.com/api/v2/orders/7");
        assertThat(call.path("status").asInt()).isEqualTo(200);
        assertThat(call.path("duration_ms").asDouble()).isEqualTo(1.5);
        assertThat(call.has("error")).isTrue();

        Res other = get("/v1/admin/logs/pt-1").token(KEY_B).send();
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.code()).isEqualTo("not_found");
        assertThat(get("/v1/admin/logs/nothing-here").token(KEY_A).send().status()).isEqualTo(404);
    }

    @Test
    void withoutTheDatabaseTheLogIsUnavailable() {
        services.requestLogs = null;
        Res r = get("/v1/admin/logs").token(KEY_A).send();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("service_unavailable");
        // and requests are still served
        assertThat(get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send().status())
                .isEqualTo(200);
    }

    // --- HTTP metrics ---

    @Test
    void requestsAreTimedByRouteTemplateNeverByRawId() {
        get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send();
        get("/v1/purchase-orders/nope").token(TOKEN_A1).send();
        get("/v1/admin/connections/" + CONN_A1).token(KEY_A).send();
        get("/nothing/here").send();
        String m = Metrics.scrape();
        assertThat(m)
                .contains(
                        "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\","
                                + "status=\"200\",uri=\"/v1/{collection}/{id}\"}")
                .contains(
                        "http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\","
                                + "status=\"404\",uri=\"/v1/{collection}/{id}\"}")
                .contains("uri=\"/v1/admin/connections/{id}\"")
                .contains("uri=\"NOT_FOUND\"")
                .contains("http_server_requests_seconds_bucket{method=\"GET\"");
        assertThat(m).doesNotContain(PO_A1_1).doesNotContain("uri=\"/nothing/here\"");
    }
}
