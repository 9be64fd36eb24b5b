package org.ironbridge.distribution;

import static org.ironbridge.distribution.ResumeAfterKillIT.await;
import static org.ironbridge.distribution.ResumeAfterKillIT.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.Test;

/**
 * Webhooks of the assembled server as a real process on MariaDB, to a real receiver: a delivery
 * that is in flight when the server is killed with {@code kill -9} is sent again after the restart,
 * signed; a source that starts rejecting the password announces {@code
 * connection.reauthorization_required} exactly once.
 */
public class WebhooksIT {
    /** Fast settings: answers within 2 s, claims last 7 s, retries after about a second. */
    static final String FAST =
            "-Dironbridge.webhooks.timeout_seconds=2 -Dironbridge.webhooks.lease_seconds=7"
                    + " -Dironbridge.webhooks.retry_base_ms=1000 -Dironbridge.webhooks.poll_ms=200";

    /** A receiver on a free port of 127.0.0.1 whose first request can be held unanswered. */
    static final class Receiver implements AutoCloseable {
        record Got(String id, String timestamp, String signature, String body) {}

        final List<Got> got = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release = new CountDownLatch(1);
        private final HttpServer server;
        private final boolean holdFirst;

        Receiver(boolean holdFirst) throws IOException {
            this.holdFirst = holdFirst;
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext(
                    "/",
                    exchange -> {
                        byte[] body;
                        try (InputStream in = exchange.getRequestBody()) {
                            body = in.readAllBytes();
                        }
                        int n;
                        synchronized (got) {
                            got.add(
                                    new Got(
                                            exchange.getRequestHeaders().getFirst("webhook-id"),
                                            exchange.getRequestHeaders()
                                                    .getFirst("webhook-timestamp"),
                                            exchange.getRequestHeaders()
                                                    .getFirst("webhook-signature"),
                                            new String(body, StandardCharsets.UTF_8)));
                            n = got.size();
                        }
                        if (holdFirst && n == 1) {
                            try {
                                release.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        try {
                            exchange.sendResponseHeaders(204, -1);
                        } catch (IOException clientGone) {
                            // the server that sent it was killed
                        }
                        exchange.close();
                    });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        List<Got> ofType(String type) {
            List<Got> out = new ArrayList<>();
            synchronized (got) {
                for (Got g : got) {
                    if (g.body().contains("\"type\":\"" + type + "\"")) {
                        out.add(g);
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    /** Standard Webhooks verification, from the specification (independent of the server). */
    static boolean verifies(String secret, Receiver.Got g) throws Exception {
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(g.timestamp())) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())),
                        "HmacSHA256"));
        byte[] expected =
                mac.doFinal(
                        (g.id() + "." + g.timestamp() + "." + g.body())
                                .getBytes(StandardCharsets.UTF_8));
        for (String s : g.signature().split(" ")) {
            if (s.startsWith("v1,")
                    && MessageDigest.isEqual(
                            expected, Base64.getDecoder().decode(s.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the server is fully up: the admin key works and the sandbox is installed. */
    static void awaitSandbox(ServerProcess server) throws Exception {
        await(
                "sandbox connector installed",
                Duration.ofSeconds(60),
                () ->
                        server.call("GET", "/v1/admin/connectors", ServerProcess.ADMIN_KEY, null)
                                .body()
                                .contains("\"system\":\"sandbox\""));
    }

    /** Registers a webhook; returns {id, secret}. */
    static String[] webhook(ServerProcess server, String url, String events) throws Exception {
        JsonNode created =
                json(
                        server.call(
                                "POST",
                                "/v1/admin/webhooks",
                                ServerProcess.ADMIN_KEY,
                                "{\"url\":\"" + url + "\",\"events\":[" + events + "]}"),
                        201);
        return new String[] {
            created.path("webhook").path("id").asText(), created.path("secret").asText()
        };
    }

    @Test
    public void aDeliveryInFlightWhenTheServerIsKilledIsSentAgainAfterTheRestart()
            throws Exception {
        String db = ServerProcess.freshDatabase("dist_webhooks_kill");
        Path data = Distribution.tempDirectory("ironbridge-hooks-kill-");
        try (Receiver receiver = new Receiver(true)) {
            String[] hook;
            String connection;
            try (ServerProcess first =
                    new ServerProcess("first", data, db).javaOptions(FAST).start()) {
                awaitSandbox(first);
                // the first start connects the sandbox as a demo connection in the background:
                // once it exists, its connection.created cannot reach the webhook made next
                await(
                        "the demo connection",
                        Duration.ofSeconds(60),
                        () ->
                                first.call(
                                                "GET",
                                                "/v1/admin/connections",
                                                ServerProcess.ADMIN_KEY,
                                                null)
                                        .body()
                                        .contains("demo-customer"));
                hook = webhook(first, receiver.url(), "\"connection.created\"");
                connection = ResumeAfterKillIT.connectSandbox(first, 20, 0);
                await(
                        "the webhook request in flight",
                        Duration.ofSeconds(30),
                        () -> receiver.got.size() >= 1);
                first.kill();
            }
            receiver.release.countDown();
            Receiver.Got lost = receiver.got.get(0);
            assertTrue(lost.body(), lost.body().contains(connection));

            try (ServerProcess second =
                    new ServerProcess("second", data, db).javaOptions(FAST).start()) {
                await(
                        "the delivery sent again by the restarted server",
                        Duration.ofSeconds(60),
                        () -> receiver.got.size() >= 2);
                Receiver.Got again = receiver.got.get(receiver.got.size() - 1);
                assertEquals(lost.id(), again.id());
                assertEquals(lost.body(), again.body());
                assertTrue("signature of " + again, verifies(hook[1], again));
                await(
                        "the delivery recorded as succeeded",
                        Duration.ofSeconds(30),
                        () ->
                                json(
                                                second.call(
                                                        "GET",
                                                        "/v1/admin/webhooks/"
                                                                + hook[0]
                                                                + "/deliveries",
                                                        ServerProcess.ADMIN_KEY,
                                                        null),
                                                200)
                                        .path("data")
                                        .path(0)
                                        .path("status")
                                        .asText()
                                        .equals("succeeded"));
                JsonNode delivery =
                        json(
                                        second.call(
                                                "GET",
                                                "/v1/admin/webhooks/" + hook[0] + "/deliveries",
                                                ServerProcess.ADMIN_KEY,
                                                null),
                                        200)
                                .path("data")
                                .path(0);
                assertEquals(lost.id(), delivery.path("event_id").asText());
                JsonNode attempts = delivery.path("attempts");
                assertEquals(204, attempts.path(attempts.size() - 1).path("status_code").asInt());
            }
        }
    }

    @Test
    public void aRejectedPasswordIsAnnouncedOnceWithTheSandbox() throws Exception {
        String db = ServerProcess.freshDatabase("dist_webhooks_reauth");
        Path data = Distribution.tempDirectory("ironbridge-hooks-reauth-");
        try (Receiver receiver = new Receiver(false);
                ServerProcess server =
                        new ServerProcess("reauth", data, db).javaOptions(FAST).start()) {
            awaitSandbox(server);
            String[] hook =
                    webhook(
                            server,
                            receiver.url(),
                            "\"connection.reauthorization_required\",\"connection.status_changed\"");
            // the password is accepted twice (the check at creation and one more call), then
            // rejected, as if it had been changed: the initial syncs of every entity hit it
            JsonNode created =
                    json(
                            server.call(
                                    "POST",
                                    "/v1/admin/connections",
                                    ServerProcess.ADMIN_KEY,
                                    "{\"system\":\"sandbox\",\"customer_id\":\"reauth\","
                                            + "\"credentials\":{\"username\":\"u\","
                                            + "\"password\":\"sandbox\",\"dataset_size\":20,"
                                            + "\"activity_per_minute\":0,"
                                            + "\"fail_auth_after_calls\":2}}"),
                            201);
            String id = created.path("connection").path("id").asText();
            String token = created.path("token").asText();
            // live calls hit it too, concurrently with the syncs
            for (int i = 0; i < 5; i++) {
                server.call(
                        "POST",
                        "/v1/passthrough",
                        token,
                        "{\"method\":\"GET\",\"path\":\"/vendors?limit=1\"}");
            }
            await(
                    "the reauthorization webhook",
                    Duration.ofSeconds(60),
                    () -> !receiver.ofType("connection.reauthorization_required").isEmpty());
            HttpResponse<String> after =
                    server.call(
                            "POST",
                            "/v1/passthrough",
                            token,
                            "{\"method\":\"GET\",\"path\":\"/vendors?limit=1\"}");
            assertEquals(after.body(), 401, after.statusCode());
            assertEquals("reauthorization_required", json(after, 401).path("code").asText());
            Thread.sleep(3000); // time for a duplicate to show up
            List<Receiver.Got> reauth = receiver.ofType("connection.reauthorization_required");
            assertEquals(reauth.toString(), 1, reauth.size());
            assertTrue(verifies(hook[1], reauth.get(0)));
            JsonNode event = ResumeAfterKillIT.JSON.readTree(reauth.get(0).body());
            assertEquals(id, event.path("connection_id").asText());
            assertTrue(
                    event.toString(),
                    event.path("data").path("reason").asText().contains("password was rejected"));
            assertEquals(1, receiver.ofType("connection.status_changed").size());
            JsonNode history =
                    json(
                            server.call(
                                    "GET",
                                    "/v1/admin/connections/" + id + "/status-history",
                                    ServerProcess.ADMIN_KEY,
                                    null),
                            200);
            long reauths = 0;
            for (JsonNode h : history.path("data")) {
                if (h.path("status").asText().equals("reauthorization_required")) {
                    reauths++;
                }
            }
            assertEquals(history.toString(), 1, reauths);
        }
    }
}
