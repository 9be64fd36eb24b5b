package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Request logs and metrics in the assembled server: a failed request is found by its request id
 * with the source call behind it, secrets never show, another organization's key cannot see it, and
 * {@code /metrics} serves Prometheus text without a token.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ObservabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject private BundleContext ctx;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws Exception {
        Path deploy = Distribution.tempDirectory("ironbridge-it-deploy");
        for (Path connector : Distribution.shippedConnectors()) {
            Files.copy(connector, deploy.resolve(connector.getFileName()));
        }
        return Distribution.options(deploy);
    }

    private HttpResponse<String> call(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + ctx.getProperty("org.osgi.service.http.port")
                                                + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode n = check.get();
                if (n != null) {
                    return n;
                }
            } catch (java.io.IOException notUpYet) {
                // the server is still starting
            }
            Thread.sleep(250);
        }
        fail(what + " did not happen within 90 s");
        return null;
    }

    interface Check {
        JsonNode get() throws Exception;
    }

    @Test
    public void aFailedRequestIsFoundWithTheSourceCallBehindItAndNoSecrets() throws Exception {
        String admin = Distribution.ADMIN_KEY;
        await(
                "tryton connector installed",
                () -> {
                    HttpResponse<String> r = call("GET", "/v1/admin/connectors", admin, null);
                    return r.statusCode() == 200 && r.body().contains("\"system\":\"tryton\"")
                            ? JSON.readTree(r.body())
                            : null;
                });
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        // the credentials are verified live: the source (a closed port) cannot be reached
        HttpResponse<String> failed =
                call(
                        "POST",
                        "/v1/admin/connections",
                        admin,
                        "{\"system\":\"tryton\",\"customer_id\":\"it-logs\",\"credentials\":{"
                                + "\"url\":\"http://erpuser:hunter2@127.0.0.1:"
                                + closed
                                + "/?api_key=k3y\",\"database\":\"db\",\"username\":\"admin\","
                                + "\"password\":\"TopSecret123\"}}");
        assertEquals(failed.body(), 503, failed.statusCode());
        String requestId = failed.headers().firstValue("X-Request-Id").orElseThrow();

        JsonNode entry =
                await(
                        "the request in the log",
                        () -> {
                            HttpResponse<String> r =
                                    call("GET", "/v1/admin/logs/" + requestId, admin, null);
                            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                        });
        assertEquals(503, entry.path("status").asInt());
        assertEquals("source_unavailable", entry.path("error_code").asText());
        assertEquals("POST", entry.path("method").asText());
        assertEquals("/v1/admin/connections", entry.path("path").asText());
        assertEquals(
                "[REDACTED]", entry.path("request").path("headers").path("authorization").asText());
        String requestBody = entry.path("request").path("body").asText();
        assertTrue(requestBody, requestBody.contains("\"credentials\":\"[REDACTED]\""));
        assertTrue(
                entry.path("response").path("body").asText(),
                entry.path("response").path("body").asText().contains("source_unavailable"));
        JsonNode call = entry.path("source_calls").get(0);
        assertEquals(entry.toString(), "POST", call.path("method").asText());
        String url = call.path("url").asText();
        assertTrue(url, url.startsWith("http://127.0.0.1:" + closed + "/"));
        assertFalse("no user info in " + url, url.contains("erpuser"));
        assertTrue(call.path("status").isNull());
        assertFalse(call.path("error").asText().isEmpty());
        String all = entry.toString();
        for (String secret : new String[] {"TopSecret123", "hunter2", "k3y", admin}) {
            assertFalse(secret + " in " + all, all.contains(secret));
        }

        // listed with the filters, newest first
        JsonNode list =
                JSON.readTree(
                        call(
                                        "GET",
                                        "/v1/admin/logs?status=5xx&code=source_unavailable",
                                        admin,
                                        null)
                                .body());
        assertEquals(requestId, list.path("data").get(0).path("request_id").asText());
        assertEquals(1, list.path("data").get(0).path("source_call_count").asInt());
    }

    @Test
    public void metricsArePrometheusTextWithoutAToken() throws Exception {
        await(
                "ready",
                () ->
                        call("GET", "/health/ready", null, null).statusCode() == 200
                                ? JSON.createObjectNode()
                                : null);
        call("GET", "/v1/admin/connectors", Distribution.ADMIN_KEY, null);
        HttpResponse<String> m = call("GET", "/metrics", null, null);
        assertEquals(200, m.statusCode());
        assertTrue(
                m.headers().firstValue("Content-Type").orElse(""),
                m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = m.body();
        for (String expected :
                new String[] {
                    "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/admin/connectors\"}",
                    "hikaricp_connections_active{pool=\"ironbridge\"}",
                    "jvm_memory_used_bytes{",
                    "jvm_gc_",
                    "jvm_threads_live_threads",
                    "ironbridge_request_log_queue_size",
                    "ironbridge_request_log_dropped_total{what=\"entries\"}"
                }) {
            assertTrue(expected + " in /metrics", text.contains(expected));
        }
        // /metrics itself is not an API request: not in the request log
        JsonNode logs =
                JSON.readTree(
                        call("GET", "/v1/admin/logs?q=metrics", Distribution.ADMIN_KEY, null)
                                .body());
        assertEquals(0, logs.path("data").size());
    }
}
