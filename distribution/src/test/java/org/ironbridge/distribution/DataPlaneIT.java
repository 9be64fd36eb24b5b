package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The data plane in the assembled server: connect the sandbox through the admin API, wait for its
 * initial sync, then round-trip a purchase order through the unified data API (create, read back,
 * update, idempotent replay, delete).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DataPlaneIT {
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

    private HttpResponse<String> call(
            String method, String path, String token, String body, String... headers)
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
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r, int expectedStatus) throws Exception {
        assertEquals(r.body(), expectedStatus, r.statusCode());
        return JSON.readTree(r.body());
    }

    private void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (java.io.IOException notUpYet) {
                // the server is still starting
            }
            Thread.sleep(250);
        }
        fail(what + " did not happen within 90 s");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    @Test
    public void connectTheSandboxAndRoundTripAPurchaseOrder() throws Exception {
        String admin = Distribution.ADMIN_KEY;
        await("ready", () -> call("GET", "/health/ready", null, null).statusCode() == 200);
        await(
                "sandbox connector installed",
                () ->
                        call("GET", "/v1/admin/connectors", admin, null)
                                .body()
                                .contains("\"system\":\"sandbox\""));

        // wrong password: rejected live, nothing created
        HttpResponse<String> rejected =
                call(
                        "POST",
                        "/v1/admin/connections",
                        admin,
                        "{\"system\":\"sandbox\",\"customer_id\":\"it\",\"credentials\":{\"username\":\"u\",\"password\":\"nope\"}}");
        assertEquals(
                rejected.body(), "credentials_rejected", json(rejected, 422).path("code").asText());

        JsonNode created =
                json(
                        call(
                                "POST",
                                "/v1/admin/connections",
                                admin,
                                "{\"system\":\"sandbox\",\"customer_id\":\"it-customer\",\"name\":\"IT\","
                                        + "\"credentials\":{\"username\":\"u\",\"password\":\"sandbox\",\"dataset_size\":200,\"activity_per_minute\":0},"
                                        + "\"sync\":{\"initial_days\":0,\"interval_seconds\":600}}"),
                        201);
        String token = created.path("token").asText();
        String connectionId = created.path("connection").path("id").asText();
        assertTrue(token, token.startsWith("ibt_"));
        assertFalse("credentials are never returned", created.toString().contains("\"password\""));

        await(
                "initial sync of purchase orders, vendors and items",
                () -> {
                    JsonNode c =
                            JSON.readTree(
                                    call(
                                                    "GET",
                                                    "/v1/admin/connections/" + connectionId,
                                                    admin,
                                                    null)
                                            .body());
                    JsonNode last = c.path("last_sync");
                    for (String e : new String[] {"purchase-orders", "vendors", "items"}) {
                        if (!"succeeded".equals(last.path(e).path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                });

        JsonNode page = json(call("GET", "/v1/purchase-orders?page_size=5", token, null), 200);
        assertEquals(5, page.path("data").size());
        assertFalse(page.path("next_cursor").isNull());
        JsonNode first = page.path("data").get(0);
        String vendorId = first.path("vendor_id").asText();
        String itemId = first.path("lines").get(0).path("item_id").asText();
        assertTrue(vendorId, vendorId.startsWith("ven_"));
        assertTrue(itemId, itemId.startsWith("itm_"));

        String body =
                "{\"vendor_id\":\""
                        + vendorId
                        + "\",\"currency\":\"EUR\",\"notes\":\"from the IT\",\"lines\":[{\"item_id\":\""
                        + itemId
                        + "\",\"quantity\":\"3\",\"unit_price\":\"12.50\"}]}";
        HttpResponse<String> post =
                call("POST", "/v1/purchase-orders", token, body, "Idempotency-Key", "it-po-1");
        JsonNode po = json(post, 201);
        String id = po.path("id").asText();
        assertTrue(id, id.startsWith("po_"));
        assertEquals(
                "/v1/purchase-orders/" + id,
                URI.create(post.headers().firstValue("Location").orElseThrow()).getPath());
        assertEquals("37.50", po.path("total_net").asText());
        assertFalse(po.path("remote_id").asText().isEmpty());

        JsonNode read = json(call("GET", "/v1/purchase-orders/" + id, token, null), 200);
        assertEquals(po.path("number").asText(), read.path("number").asText());
        assertEquals(vendorId, read.path("vendor_id").asText());
        assertEquals(itemId, read.path("lines").get(0).path("item_id").asText());

        HttpResponse<String> replay =
                call("POST", "/v1/purchase-orders", token, body, "Idempotency-Key", "it-po-1");
        assertEquals(id, json(replay, 201).path("id").asText());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));

        JsonNode patched =
                json(
                        call(
                                "PATCH",
                                "/v1/purchase-orders/" + id,
                                token,
                                "{\"notes\":\"changed\"}"),
                        200);
        assertEquals("changed", patched.path("notes").asText());
        assertEquals(po.path("number").asText(), patched.path("number").asText());

        JsonNode raw =
                json(
                        call(
                                "POST",
                                "/v1/passthrough",
                                token,
                                "{\"method\":\"GET\",\"path\":\"/purchase-orders/"
                                        + po.path("remote_id").asText()
                                        + "\"}"),
                        200);
        assertEquals(200, raw.path("status").asInt());

        assertEquals(204, call("DELETE", "/v1/purchase-orders/" + id, token, null).statusCode());
        JsonNode deleted = json(call("GET", "/v1/purchase-orders/" + id, token, null), 200);
        assertNotEquals("null", deleted.path("deleted_at").asText("null"));

        // the admin key is not a connection token, and vice versa
        assertEquals(401, call("GET", "/v1/purchase-orders", admin, null).statusCode());
        assertEquals(401, call("GET", "/v1/admin/connections", token, null).statusCode());
    }
}
