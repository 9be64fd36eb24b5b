package org.ironbridge.distribution;

import static org.ironbridge.distribution.ResumeAfterKillIT.await;
import static org.ironbridge.distribution.ResumeAfterKillIT.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Connection health end to end on the assembled server (MariaDB): the sandbox goes down after the
 * initial sync, the circuit breaker (Resilience4j, embedded in the engine bundle) opens and live
 * calls fail fast with 503 {@code source_unavailable} and {@code Retry-After}; the sandbox comes
 * back and a half-open probe closes the circuit; the status history, the health and the minute
 * statistics tell the story; and the four credential failures are four answers.
 */
public class HealthIT {
    private static final String KEY = ServerProcess.ADMIN_KEY;
    private static final String LIST_VENDORS =
            "{\"method\":\"GET\",\"path\":\"/vendors\",\"query\":{\"limit\":[\"5\"]}}";

    private static String connect(ServerProcess server, String customer, String scenario)
            throws Exception {
        return json(
                        server.call(
                                "POST",
                                "/v1/admin/connections",
                                KEY,
                                "{\"system\":\"sandbox\",\"customer_id\":\""
                                        + customer
                                        + "\",\"credentials\":{\"username\":\"u\","
                                        + "\"password\":\"sandbox\",\"dataset_size\":20,"
                                        + "\"activity_per_minute\":0"
                                        + scenario
                                        + "},\"sync\":{\"initial_days\":0,"
                                        + "\"interval_seconds\":600,\"entities\":[\"vendors\"]}}"),
                        201)
                .toString();
    }

    private static JsonNode admin(ServerProcess server, String path) throws Exception {
        return json(server.call("GET", path, KEY, null), 200);
    }

    private static List<String> history(ServerProcess server, String id) throws Exception {
        List<String> out = new ArrayList<>();
        admin(server, "/v1/admin/connections/" + id + "/status-history")
                .path("data")
                .forEach(e -> out.add(e.path("status").asText()));
        return out;
    }

    @Test
    public void theCircuitOpensFailsFastAndClosesWhenTheSourceIsBack() throws Exception {
        String url = ServerProcess.freshDatabase("dist_health");
        Path data = Distribution.tempDirectory("ironbridge-health-");
        try (ServerProcess server =
                new ServerProcess("health", data, url)
                        .javaOpts(
                                "-Dironbridge.circuit.minimum_calls=4"
                                        + " -Dironbridge.circuit.open_wait_seconds=3"
                                        + " -Dironbridge.circuit.half_open_calls=1")
                        .start()) {
            await(
                    "sandbox connector installed",
                    Duration.ofSeconds(60),
                    () ->
                            server.call("GET", "/v1/admin/connectors", KEY, null)
                                    .body()
                                    .contains("\"system\":\"sandbox\""));
            // the sandbox answers the verification and the initial sync, then is down for 6 s
            JsonNode created =
                    ResumeAfterKillIT.JSON.readTree(
                            connect(
                                    server,
                                    "health",
                                    ",\"faults_after_calls\":2,\"outage_seconds\":6"));
            String id = created.path("connection").path("id").asText();
            String token = created.path("token").asText();
            await(
                    "the initial sync succeeded",
                    Duration.ofSeconds(60),
                    () ->
                            admin(server, "/v1/admin/connections/" + id)
                                    .path("last_sync")
                                    .path("vendors")
                                    .path("status")
                                    .asText()
                                    .equals("succeeded"));

            // the source is down: the calls reach it and fail; the third failure opens the
            // circuit (3 of the 4 calls in the window, the initial sync's read included, failed)
            long down = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r =
                        server.call("POST", "/v1/passthrough", token, LIST_VENDORS);
                assertEquals(r.body(), 503, r.statusCode());
                assertTrue(r.body(), r.body().contains("simulated outage"));
            }
            // then calls fail fast without reaching the source, with the rest of the wait
            long before = System.nanoTime();
            HttpResponse<String> fast = server.call("POST", "/v1/passthrough", token, LIST_VENDORS);
            long took = (System.nanoTime() - before) / 1_000_000;
            assertEquals(fast.body(), 503, fast.statusCode());
            JsonNode problem = ResumeAfterKillIT.JSON.readTree(fast.body());
            assertEquals("source_unavailable", problem.path("code").asText());
            assertTrue(fast.body(), problem.path("detail").asText().contains("circuit open"));
            String retryAfter = fast.headers().firstValue("Retry-After").orElse(null);
            assertNotNull("Retry-After", retryAfter);
            int wait = Integer.parseInt(retryAfter);
            assertTrue("Retry-After " + wait, wait >= 1 && wait <= 3);
            assertTrue("failed fast in " + took + " ms", took < 1_000);

            JsonNode degraded = admin(server, "/v1/admin/connections/" + id);
            assertEquals("degraded", degraded.path("status").asText());
            assertTrue(
                    degraded.path("status_reason").asText(),
                    degraded.path("status_reason").asText().contains("simulated outage"));
            JsonNode health = degraded.path("health");
            assertEquals("open", health.path("circuit").asText());
            assertEquals(4, health.path("requests_1h").asLong());
            assertEquals(0.75, health.path("error_rate_1h").asDouble(), 1e-9);
            assertTrue(health.toString(), health.path("last_success_at").isTextual());

            // the source comes back after 6 s; the next call after the wait is a probe that
            // closes the circuit, and the connection is active again by itself
            long back = down + Duration.ofSeconds(7).toNanos();
            Thread.sleep(Math.max(0, (back - System.nanoTime()) / 1_000_000));
            HttpResponse<String> probe =
                    server.call("POST", "/v1/passthrough", token, LIST_VENDORS);
            assertEquals(probe.body(), 200, probe.statusCode());
            JsonNode active = admin(server, "/v1/admin/connections/" + id);
            assertEquals("active", active.path("status").asText());
            assertEquals("closed", active.path("health").path("circuit").asText());
            assertEquals(List.of("active", "degraded", "active"), history(server, id));
            JsonNode own = json(server.call("GET", "/v1/connection", token, null), 200);
            assertEquals(5, own.path("health").path("requests_1h").asLong());

            // the minute statistics of the connection (this server's current minutes included)
            JsonNode stats = admin(server, "/v1/admin/connections/" + id + "/stats");
            long requests = 0;
            long errors = 0;
            long unavailable = 0;
            long sourceCalls = 0;
            long rejected = 0;
            long syncRuns = 0;
            long changes = 0;
            for (JsonNode p : stats.path("data")) {
                requests += p.path("api_requests").asLong();
                errors += p.path("api_errors").asLong();
                unavailable += p.path("api_error_codes").path("source_unavailable").asLong();
                sourceCalls += p.path("source_calls").asLong();
                rejected += p.path("source_rejected").asLong();
                syncRuns += p.path("sync_runs").asLong();
                changes += p.path("status_changes").asLong();
            }
            assertEquals(stats.toString(), 60, stats.path("step_seconds").asInt());
            // 5 passthroughs and the GET /v1/connection
            assertEquals(stats.toString(), 6, requests);
            assertEquals(stats.toString(), 4, errors);
            assertEquals(stats.toString(), 4, unavailable);
            // the initial sync's read, 3 failed calls and the probe
            assertEquals(stats.toString(), 5, sourceCalls);
            assertEquals(stats.toString(), 1, rejected);
            assertEquals(stats.toString(), 1, syncRuns);
            assertEquals(stats.toString(), 3, changes);
        }
    }

    @Test
    public void theFourCredentialFailuresAreFourAnswers() throws Exception {
        String url = ServerProcess.freshDatabase("dist_health_four");
        Path data = Distribution.tempDirectory("ironbridge-health-four-");
        try (ServerProcess server = new ServerProcess("health-four", data, url).start()) {
            await(
                    "sandbox connector installed",
                    Duration.ofSeconds(60),
                    () ->
                            server.call("GET", "/v1/admin/connectors", KEY, null)
                                    .body()
                                    .contains("\"system\":\"sandbox\""));
            JsonNode gone = ResumeAfterKillIT.JSON.readTree(connect(server, "gone", ""));
            server.call(
                    "DELETE",
                    "/v1/admin/connections/" + gone.path("connection").path("id").asText(),
                    KEY,
                    null);
            // the verification is the one call the password is accepted for
            String reauth =
                    ResumeAfterKillIT.JSON
                            .readTree(connect(server, "reauth", ",\"fail_auth_after_calls\":1"))
                            .path("token")
                            .asText();
            String readOnly =
                    ResumeAfterKillIT.JSON
                            .readTree(connect(server, "read-only", ",\"read_only\":true"))
                            .path("token")
                            .asText();

            List<HttpResponse<String>> answers =
                    List.of(
                            server.call(
                                    "GET",
                                    "/v1/vendors",
                                    "ibt_NoSuchToken0000000000000000000",
                                    null),
                            server.call("GET", "/v1/vendors", gone.path("token").asText(), null),
                            server.call("POST", "/v1/passthrough", reauth, LIST_VENDORS),
                            server.call(
                                    "POST",
                                    "/v1/vendors",
                                    readOnly,
                                    "{\"name\":\"Not allowed GmbH\"}"));
            List<String> got = new ArrayList<>();
            for (HttpResponse<String> r : answers) {
                got.add(
                        r.statusCode()
                                + " "
                                + ResumeAfterKillIT.JSON.readTree(r.body()).path("code").asText());
            }
            assertEquals(
                    List.of(
                            "401 token_invalid",
                            "401 token_revoked",
                            "401 reauthorization_required",
                            "403 insufficient_permissions"),
                    got);
        }
    }
}
