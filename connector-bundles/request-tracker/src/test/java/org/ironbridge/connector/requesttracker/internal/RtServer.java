package org.ironbridge.connector.requesttracker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.connector.testkit.TestContext;

/**
 * The real Request Tracker that {@code scripts/provision.sh} starts (root with the password {@code
 * -Drt.password}, default {@code ironbridge}, on 127.0.0.1:8766 unless {@code -Drt.url}). Tests
 * fail, never skip, when it is absent.
 *
 * <p>RT's database persists between runs and builds may run side by side, so each test class works
 * in queues and a catalog of its own, named after a per-run id ({@link Sandbox}).
 */
final class RtServer {
    static final String URL = System.getProperty("rt.url", "http://127.0.0.1:8766/");
    static final String PASSWORD = System.getProperty("rt.password", "ironbridge");
    static final Path TOKEN_FILE =
            Path.of(System.getProperty("rt.token.file", "/var/lib/ironbridge-test/rt/root.token"));

    private RtServer() {}

    /** A per-run id, unique enough to keep concurrent and successive runs apart. */
    static String runId() {
        return Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(46656), 36);
    }

    /** Credentials of root for the given queues and catalog. */
    static Credentials credentials(String password, Sandbox box) {
        Map<String, String> m = new HashMap<>();
        m.put("url", URL);
        m.put("username", "root");
        m.put("password", password);
        if (box != null) {
            m.put("work_order_queue", box.workOrders());
            m.put("service_request_queue", box.serviceRequests());
            m.put("asset_catalog", box.catalog());
        }
        return Credentials.of(m);
    }

    /** Credentials with root's auth token, as provisioned into {@link #TOKEN_FILE}. */
    static Credentials tokenCredentials(Sandbox box) throws IOException {
        String token = Files.readString(TOKEN_FILE).strip();
        return Credentials.of(
                Map.of(
                        "url", URL,
                        "token", token,
                        "work_order_queue", box.workOrders(),
                        "service_request_queue", box.serviceRequests(),
                        "asset_catalog", box.catalog()));
    }

    private static RtClient admin;

    /**
     * A REST2 client of root's own (one RT session for the whole run), for changing data behind the
     * connector's back.
     */
    static synchronized RtClient admin() throws ConnectorException {
        if (admin != null) {
            return admin;
        }
        RtClient c =
                new RtClient(
                        TestContext.create("admin").http(),
                        Clock.systemUTC(),
                        RtConnectorFactory.base(URL),
                        "root",
                        PASSWORD,
                        null);
        try {
            c.verify();
        } catch (ConnectorException e) {
            if (e.kind() == ConnectorException.Kind.SOURCE_UNAVAILABLE) {
                throw new AssertionError(
                        "No Request Tracker at " + URL + ": run scripts/provision.sh first", e);
            }
            throw e;
        }
        admin = c;
        return c;
    }

    static ObjectNode json() {
        return RtClient.MAPPER.createObjectNode();
    }

    /**
     * Two queues and an asset catalog of one test run, created through REST2, with a few records.
     */
    record Sandbox(String workOrders, String serviceRequests, String catalog) {

        /** Creates the queues and the catalog. */
        static Sandbox create(String run) throws ConnectorException {
            RtClient rt = admin();
            Sandbox box =
                    new Sandbox(
                            "Work orders " + run, "Service requests " + run, "Equipment " + run);
            rt.post("queue", json().put("Name", box.workOrders()).put("Description", "test run"));
            rt.post(
                    "queue",
                    json().put("Name", box.serviceRequests()).put("Description", "test run"));
            rt.post("catalog", json().put("Name", box.catalog()).put("Description", "test run"));
            return box;
        }

        /** Adds {@code n} assets, work orders (linked to them) and service requests. */
        void seed(int n) throws ConnectorException {
            RtClient rt = admin();
            for (int i = 0; i < n; i++) {
                String asset =
                        rt.post(
                                        "asset",
                                        json().put("Name", "Pump P-" + (100 + i))
                                                .put("Description", "Feed pump " + i)
                                                .put("Catalog", catalog())
                                                .put("Status", i % 3 == 0 ? "in-use" : "new"))
                                .path("id")
                                .asText();
                rt.post(
                        "ticket",
                        json().put("Queue", workOrders())
                                .put("Subject", "Replace seal " + i)
                                .put("Content", "Leaking at the shaft")
                                .put("Priority", i * 10)
                                .put("RefersTo", "asset:" + asset));
                rt.post(
                        "ticket",
                        json().put("Queue", serviceRequests())
                                .put("Subject", "Noise from pump " + i)
                                .put("Requestor", "operator" + i + "@example.test"));
            }
        }

        /** Disables the queues and the catalog (RT cannot delete them). */
        void close() throws ConnectorException {
            RtClient rt = admin();
            for (String q : List.of(workOrders(), serviceRequests())) {
                rt.put("queue/" + RtClient.encode(q), json().put("Disabled", 1));
            }
            rt.put("catalog/" + RtClient.encode(catalog()), json().put("Disabled", 1));
        }
    }

    /** A ticket or asset as REST2 returns it. */
    static JsonNode record(String kind, String id) throws ConnectorException {
        return admin().get(kind + "/" + id);
    }
}
