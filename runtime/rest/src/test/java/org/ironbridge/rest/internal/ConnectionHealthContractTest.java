package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.CONN_A1;
import static org.ironbridge.rest.internal.Fakes.CONN_B1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_REVOKED;
import static org.ironbridge.rest.internal.Fakes.TOKEN_UNKNOWN;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of connection health, the per-connection statistics endpoint and the counting
 * of data API requests, against fakes of the engine.
 */
class ConnectionHealthContractTest extends ApiTestBase {
    private static final String STATS = "/v1/admin/connections/" + CONN_A1 + "/stats";

    private static void assertHealth(JsonNode h) {
        assertThat(h.isObject()).as("health of %s", h).isTrue();
        assertThat(h.path("error_rate_1h").asDouble()).isEqualTo(0.25);
        assertThat(h.path("requests_1h").asLong()).isEqualTo(8);
        assertThat(h.path("last_success_at").asText()).isEqualTo("2026-11-01T09:00:00Z");
        assertThat(h.path("circuit").asText()).isEqualTo("closed");
        assertThat(h.size()).isEqualTo(4);
    }

    @Test
    void theAdminViewsOfAConnectionCarryItsHealth() {
        Res one = get("/v1/admin/connections/" + CONN_A1).token(KEY_A).send();
        assertThat(one.status()).isEqualTo(200);
        assertHealth(one.json().path("health"));
        Res list = get("/v1/admin/connections").token(KEY_A).send();
        assertThat(list.status()).isEqualTo(200);
        list.json().path("data").forEach(c -> assertHealth(c.path("health")));
    }

    @Test
    void theConnectionOfATokenCarriesItsHealth() {
        Res r = get("/v1/connection").token(TOKEN_A1).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("id").asText()).isEqualTo(CONN_A1);
        assertHealth(r.json().path("health"));
    }

    @Test
    void statsAreAMinuteSeriesForCharts() {
        Res r =
                get(STATS)
                        .token(KEY_A)
                        .query("since", "2026-11-01T08:00:00Z")
                        .query("until", "2026-11-01T09:00:00Z")
                        .query("step", "300")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("connection_id").asText()).isEqualTo(CONN_A1);
        assertThat(j.path("since").asText()).isEqualTo("2026-11-01T08:00:00Z");
        assertThat(j.path("until").asText()).isEqualTo("2026-11-01T09:00:00Z");
        assertThat(j.path("step_seconds").asInt()).isEqualTo(300);
        JsonNode p = j.path("data").get(0);
        assertThat(p.path("at").asText()).isEqualTo("2026-11-01T08:00:00Z");
        assertThat(p.path("api_requests").asLong()).isEqualTo(120);
        assertThat(p.path("api_errors").asLong()).isEqualTo(3);
        assertThat(p.path("api_server_errors").asLong()).isEqualTo(1);
        assertThat(p.path("api_error_codes").path("not_found").asLong()).isEqualTo(2);
        assertThat(p.path("api_latency_p50_ms").asDouble()).isEqualTo(4.2);
        assertThat(p.path("api_latency_p95_ms").asDouble()).isEqualTo(18.5);
        assertThat(p.path("api_latency_p99_ms").asDouble()).isEqualTo(96.0);
        assertThat(p.path("api_latency_max_ms").asDouble()).isEqualTo(130.25);
        assertThat(p.path("source_calls").asLong()).isEqualTo(6);
        assertThat(p.path("source_errors").asLong()).isEqualTo(1);
        assertThat(p.path("source_rejected").asLong()).isZero();
        assertThat(p.path("sync_runs").asLong()).isEqualTo(1);
        assertThat(p.path("sync_failures").asLong()).isZero();
        assertThat(p.path("sync_duration_avg_ms").asDouble()).isEqualTo(1530.0);
        assertThat(p.path("sync_duration_max_ms").asLong()).isEqualTo(1530);
        assertThat(p.path("status_changes").asLong()).isZero();
        JsonNode quiet = j.path("data").get(1);
        assertThat(quiet.path("at").asText()).isEqualTo("2026-11-01T08:05:00Z");
        assertThat(quiet.path("api_latency_p50_ms").isNull()).isTrue();
        assertThat(quiet.path("sync_duration_avg_ms").isNull()).isTrue();
        assertThat(quiet.path("status_changes").asLong()).isEqualTo(1);
        assertThat(stats.seriesArgs)
                .containsExactly(
                        Arrays.asList(
                                "org_a",
                                CONN_A1,
                                Instant.parse("2026-11-01T08:00:00Z"),
                                Instant.parse("2026-11-01T09:00:00Z")));
    }

    @Test
    void statsDefaultToTheLastHourPerMinute() {
        Res r = get(STATS).token(KEY_A).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("step_seconds").asInt()).isEqualTo(60);
        assertThat(stats.seriesArgs).containsExactly(Arrays.asList("org_a", CONN_A1, null, null));
    }

    @Test
    void malformedStatsParametersAre422NamingTheParameter() {
        Res since = get(STATS).token(KEY_A).query("since", "yesterday").send();
        assertThat(since.status()).isEqualTo(422);
        assertThat(since.code()).isEqualTo("validation_failed");
        assertThat(since.errorFields()).containsExactly("since");
        Res until = get(STATS).token(KEY_A).query("until", "2026-13-01").send();
        assertThat(until.errorFields()).containsExactly("until");
        Res step = get(STATS).token(KEY_A).query("step", "minute").send();
        assertThat(step.status()).isEqualTo(422);
        assertThat(step.errorFields()).containsExactly("step");
        Res odd = get(STATS).token(KEY_A).query("step", "61").send();
        assertThat(odd.status()).isEqualTo(422);
        assertThat(odd.errorFields()).containsExactly("step");
    }

    @Test
    void anotherOrganizationsConnectionHasNoStats() {
        Res other = get(STATS).token(KEY_B).send();
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.code()).isEqualTo("not_found");
        Res unknown = get("/v1/admin/connections/con_nope/stats").token(KEY_A).send();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(other.json().path("detail").asText())
                .isEqualTo(unknown.json().path("detail").asText());
        assertThat(get("/v1/admin/connections/" + CONN_B1 + "/stats").token(KEY_B).send().status())
                .isEqualTo(200);
    }

    @Test
    void organizationStatsAddUpTheOrganizationsOwnConnections() {
        Res r = get("/v1/admin/stats").token(KEY_A).query("step", 300).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("connection_id").isNull()).isTrue();
        assertThat(r.json().get("step_seconds").asInt()).isEqualTo(300);
        assertThat(r.json().at("/data/0/api_requests").asLong()).isEqualTo(120);
        // organization B's series comes from its own connections
        assertThat(stats.seriesArgs.get(0).get(0)).isEqualTo("org_a");
        Res b = get("/v1/admin/stats").token(KEY_B).send();
        assertThat(b.status()).isEqualTo(200);
        assertThat(stats.seriesArgs.get(1).subList(0, 2)).containsExactly("org_b", CONN_B1);
        Res bad = get("/v1/admin/stats").token(KEY_A).query("step", "7").send();
        assertThat(bad.status()).isEqualTo(422);
        assertThat(get("/v1/admin/stats").token(TOKEN_A1).send().status()).isEqualTo(401);
    }

    @Test
    void statsNeedAnAdminKey() {
        Res none = get(STATS).send();
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("token_missing");
        Res token = get(STATS).token(TOKEN_A1).send();
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.code()).isEqualTo("token_invalid");
        assertThat(post(STATS).token(KEY_A).json("{}").send().status()).isEqualTo(405);
    }

    @Test
    void everyDataApiRequestOfAConnectionIsCountedWithItsStatusAndCode() {
        assertThat(get("/v1/purchase-orders").token(TOKEN_A1).send().status()).isEqualTo(200);
        assertThat(get("/v1/purchase-orders/po_nope").token(TOKEN_A1).send().status())
                .isEqualTo(404);
        assertThat(
                        post("/v1/purchase-orders")
                                .token(TOKEN_A1)
                                .json(DataApiContractTest.PO.replace("rush", "source-down"))
                                .send()
                                .status())
                .isEqualTo(503);
        assertThat(get("/v1/connection").token(TOKEN_A1).send().status()).isEqualTo(200);
        assertThat(stats.recorded)
                .extracting(
                        Fakes.FakeConnectionStats.Recorded::connectionId,
                        Fakes.FakeConnectionStats.Recorded::status,
                        Fakes.FakeConnectionStats.Recorded::errorCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CONN_A1, 200, null),
                        org.assertj.core.groups.Tuple.tuple(CONN_A1, 404, "not_found"),
                        org.assertj.core.groups.Tuple.tuple(CONN_A1, 503, "source_unavailable"),
                        org.assertj.core.groups.Tuple.tuple(CONN_A1, 200, null));
        assertThat(stats.recorded).allSatisfy(r -> assertThat(r.nanos()).isPositive());
    }

    @Test
    void requestsWithoutAnAcceptedConnectionTokenAreNotCounted() {
        get("/v1/purchase-orders").token(TOKEN_UNKNOWN).send();
        get("/v1/purchase-orders").token(TOKEN_REVOKED).send();
        get("/v1/purchase-orders").send();
        get("/v1/nonsense").token(TOKEN_A1).send();
        get("/v1/admin/connections").token(KEY_A).send();
        get(STATS).token(KEY_A).send();
        assertThat(stats.recorded).isEmpty();
    }

    private static java.util.Set<String> names(JsonNode object) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theOpenApiDocumentDescribesTheseAnswersFieldForField() {
        JsonNode doc = get("/openapi.json").send().json();
        JsonNode schemas = doc.path("components").path("schemas");
        JsonNode health = get("/v1/connection").token(TOKEN_A1).send().json().path("health");
        assertThat(names(schemas.path("ConnectionHealth").path("properties")))
                .isEqualTo(names(health));
        assertThat(schemas.path("Connection").path("required").toString()).contains("\"health\"");
        JsonNode series = get(STATS).token(KEY_A).send().json();
        assertThat(names(schemas.path("ConnectionStats").path("properties")))
                .isEqualTo(names(series));
        assertThat(names(schemas.path("ConnectionStatsPoint").path("properties")))
                .isEqualTo(names(series.path("data").get(0)));
        JsonNode example =
                doc.path("paths")
                        .path("/v1/admin/connections/{id}/stats")
                        .path("get")
                        .path("responses")
                        .path("200")
                        .path("content")
                        .path("application/json")
                        .path("example");
        assertThat(names(example)).isEqualTo(names(series));
        example.path("data")
                .forEach(p -> assertThat(names(p)).isEqualTo(names(series.path("data").get(0))));
    }

    @Test
    void aConnectionThatNeedsReauthorizationAnswersEveryDataCallWith401ButItsOwnStatus() {
        connections.setStatus(
                CONN_A1,
                "reauthorization_required",
                "The source rejected the stored credentials: password expired");
        for (Res r :
                List.of(
                        get("/v1/purchase-orders").token(TOKEN_A1).send(),
                        get("/v1/purchase-orders/po_1").token(TOKEN_A1).send(),
                        get("/v1/capabilities").token(TOKEN_A1).send(),
                        post("/v1/passthrough")
                                .token(TOKEN_A1)
                                .json("{'method':'GET','path':'/'}")
                                .send())) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("reauthorization_required");
            assertThat(r.json().path("detail").asText()).contains("password expired");
        }
        Res self = get("/v1/connection").token(TOKEN_A1).send();
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().path("status").asText()).isEqualTo("reauthorization_required");
        // other connections of the organization are not affected
        assertThat(get("/v1/purchase-orders").token(Fakes.TOKEN_A2).send().status()).isEqualTo(200);
    }

    @Test
    void theFourCredentialFailuresAreFourDistinctAnswers() {
        Res invalid = get("/v1/purchase-orders").token(TOKEN_UNKNOWN).send();
        Res revoked = get("/v1/purchase-orders").token(TOKEN_REVOKED).send();
        Res reauth =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .json(DataApiContractTest.PO.replace("rush", "source-reauth"))
                        .send();
        Res forbidden =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .json(DataApiContractTest.PO.replace("rush", "source-forbidden"))
                        .send();
        List<Res> all = List.of(invalid, revoked, reauth, forbidden);
        assertThat(all)
                .extracting(Res::status, Res::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(401, "token_invalid"),
                        org.assertj.core.groups.Tuple.tuple(401, "token_revoked"),
                        org.assertj.core.groups.Tuple.tuple(401, "reauthorization_required"),
                        org.assertj.core.groups.Tuple.tuple(403, "insufficient_permissions"));
        assertThat(all).extracting(r -> r.json().path("type").asText()).doesNotHaveDuplicates();
        assertThat(all)
                .extracting(r -> r.json().path("title").asText())
                .containsExactly(
                        "Token invalid",
                        "Token revoked",
                        "Reauthorization required",
                        "Insufficient permissions");
        // only the 401s ask for other credentials
        assertThat(forbidden.header("WWW-Authenticate")).isNull();
    }
}
