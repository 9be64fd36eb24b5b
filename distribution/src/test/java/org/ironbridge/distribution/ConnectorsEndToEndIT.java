package org.ironbridge.distribution;

import static org.ironbridge.distribution.ResumeAfterKillIT.JSON;
import static org.ironbridge.distribution.ResumeAfterKillIT.await;
import static org.ironbridge.distribution.ResumeAfterKillIT.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The real connectors end to end through the assembled server (a real process on a fresh MariaDB
 * database): the real Tryton 6.0 and Request Tracker 5 that {@code scripts/provision.sh} starts on
 * loopback (Tryton on 127.0.0.1:8765, database {@code ironbridge}, admin/admin; RT on
 * 127.0.0.1:8766, root/ironbridge; {@code -Dtryton.url}, {@code -Drt.url}, {@code -Drt.password}
 * point elsewhere). Each test connects through {@code POST /v1/admin/connections}, waits for the
 * initial sync, reads through the unified API, creates through it and finds the record with the
 * source's own API (JSON-RPC, REST2), then changes the record at the source and sees the change
 * through the unified API after an incremental sync triggered with {@code POST
 * /v1/admin/connections/{id}/syncs}.
 *
 * <p>Both servers are shared with other tests and builds: everything this test creates carries a
 * per-run id, RT records go into queues and a catalog of this run (disabled afterwards). A missing
 * server fails the test; it is never skipped.
 */
public class ConnectorsEndToEndIT {
    private static final String KEY = ServerProcess.ADMIN_KEY;
    static final String TRYTON_URL = System.getProperty("tryton.url", "http://127.0.0.1:8765/");
    static final String TRYTON_DB = "ironbridge";
    static final String RT_URL = System.getProperty("rt.url", "http://127.0.0.1:8766/");
    static final String RT_PASSWORD = System.getProperty("rt.password", "ironbridge");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Unique per run: keeps this run's records apart from other tests' and earlier runs'. */
    private static final String RUN = "e2e" + Long.toString(System.currentTimeMillis(), 36);

    private static ServerProcess server;

    @BeforeClass
    public static void startServer() throws Exception {
        String url = ServerProcess.freshDatabase("dist_e2e");
        Path data = Distribution.tempDirectory("ironbridge-e2e-");
        server = new ServerProcess("e2e", data, url).start();
        await(
                "the Tryton and Request Tracker connectors are installed",
                Duration.ofSeconds(60),
                () -> {
                    String body = server.call("GET", "/v1/admin/connectors", KEY, null).body();
                    return body.contains("\"system\":\"tryton\"")
                            && body.contains("\"system\":\"request-tracker\"");
                });
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    // ---- Tryton -------------------------------------------------------------------------------

    @Test
    public void trytonPurchaseOrdersThroughTheUnifiedApi() throws Throwable {
        Tryton tryton = Tryton.login(TRYTON_URL, TRYTON_DB, "admin", "admin");
        // a vendor (with the address Tryton needs for an invoice address) and a product of this
        // run, created in Tryton directly, and a purchase order of them, before connecting
        long party = tryton.createVendor("Supplier " + RUN);
        long product = tryton.createProduct("Gasket " + RUN, "G-" + RUN, "1.2500");
        List<Long> purchases = new ArrayList<>();
        try {
            trytonRoundTrip(tryton, party, product, purchases);
        } catch (Throwable failure) {
            try {
                tryton.remove(purchases, party, product);
            } catch (Throwable cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        tryton.remove(purchases, party, product);
    }

    private static void trytonRoundTrip(
            Tryton tryton, long party, long product, List<Long> purchases) throws Exception {
        long before = tryton.createPurchase(party, product, "3", "1.2500", "seeded " + RUN);
        purchases.add(before);
        Set<Long> existing = tryton.purchaseIds();
        assertTrue(existing.contains(before));

        Connection conn =
                connect(
                        "{\"system\":\"tryton\",\"customer_id\":\"tryton-"
                                + RUN
                                + "\",\"credentials\":{\"url\":\""
                                + TRYTON_URL
                                + "\",\"database\":\""
                                + TRYTON_DB
                                + "\",\"username\":\"admin\",\"password\":\"admin\"},"
                                + "\"sync\":{\"initial_days\":0,\"interval_seconds\":3600,"
                                + "\"entities\":[\"vendors\",\"items\",\"purchase-orders\"]}}",
                        List.of("vendors", "items", "purchase-orders"));

        // read its purchase orders: every order that existed before the initial sync and still
        // exists (other tests delete theirs meanwhile) is there, referring to the synced vendor
        // and item of this run
        Map<String, JsonNode> byRemote = listAll(conn.token, "purchase-orders");
        existing.retainAll(tryton.purchaseIds());
        for (long id : existing) {
            assertTrue(
                    "purchase " + id + " was not synced", byRemote.containsKey(Long.toString(id)));
        }
        JsonNode seeded = byRemote.get(Long.toString(before));
        assertEquals("seeded " + RUN, seeded.path("notes").asText());
        assertEquals("draft", seeded.path("status").asText());
        assertEquals("draft", seeded.path("remote_status").asText());
        assertEquals("1.2500", seeded.path("lines").get(0).path("unit_price").asText());
        assertEquals(0, new BigDecimal("3").compareTo(lineQuantity(seeded)));
        JsonNode sync = lastRun(conn.id, "purchase-orders");
        assertEquals("initial", sync.path("kind").asText());
        assertTrue(sync.toString(), sync.path("records_seen").asLong() >= existing.size());

        // create one through the unified API, with the Ironbridge ids of the synced vendor and
        // item, and find it in Tryton through Tryton's own JSON-RPC
        String vendorId = seeded.path("vendor_id").asText();
        String itemId = seeded.path("lines").get(0).path("item_id").asText();
        assertTrue(vendorId, vendorId.startsWith("ven_"));
        assertTrue(itemId, itemId.startsWith("itm_"));
        JsonNode vendor =
                json(server.call("GET", "/v1/vendors/" + vendorId, conn.token, null), 200);
        assertEquals(Long.toString(party), vendor.path("remote_id").asText());
        assertEquals("Supplier " + RUN, vendor.path("name").asText());
        JsonNode item = json(server.call("GET", "/v1/items/" + itemId, conn.token, null), 200);
        assertEquals(Long.toString(product), item.path("remote_id").asText());
        assertEquals("Gasket " + RUN, item.path("name").asText());
        JsonNode created =
                json(
                        server.call(
                                "POST",
                                "/v1/purchase-orders",
                                conn.token,
                                "{\"vendor_id\":\""
                                        + vendorId
                                        + "\",\"notes\":\"created through Ironbridge "
                                        + RUN
                                        + "\",\"status\":\"pending_approval\",\"lines\":[{\"item_id\":\""
                                        + itemId
                                        + "\",\"quantity\":\"7\",\"unit_price\":\"2.5000\"}]}"),
                        201);
        String poId = created.path("id").asText();
        long remote = Long.parseLong(created.path("remote_id").asText());
        purchases.add(remote);
        assertEquals("pending_approval", created.path("status").asText());
        assertEquals("17.50", created.path("total_net").asText());

        JsonNode inTryton = tryton.readPurchase(remote);
        assertEquals("created through Ironbridge " + RUN, inTryton.path("description").asText());
        assertEquals(party, inTryton.path("party").asLong());
        assertEquals("quotation", inTryton.path("state").asText());
        JsonNode line = tryton.readLine(inTryton.path("lines").get(0).asLong());
        assertEquals(product, line.path("product").asLong());
        assertEquals(7.0, line.path("quantity").asDouble(), 0.0);
        assertEquals("2.5000", line.path("unit_price").path("decimal").asText());

        // change the seeded order in Tryton directly (its description, and one line's quantity,
        // which does not touch the order's write_date) and the created one's state (back from
        // quotation to draft with Tryton's button); see both
        // through the unified API after the next incremental sync
        Thread.sleep(1_100); // Tryton's timestamps: be in a later second than the initial sync
        tryton.write(
                "purchase.purchase", before, obj().put("description", "changed in Tryton " + RUN));
        tryton.write(
                "purchase.line",
                tryton.readPurchase(before).path("lines").get(0).asLong(),
                obj().put("quantity", 11.0));
        tryton.call("model.purchase.purchase.draft", JSON.createArrayNode().add(arr(remote)));
        assertEquals("draft", tryton.readPurchase(remote).path("state").asText());

        String seededId = seeded.path("id").asText();
        JsonNode stale =
                json(server.call("GET", "/v1/purchase-orders/" + seededId, conn.token, null), 200);
        assertEquals("seeded " + RUN, stale.path("notes").asText());
        JsonNode run = syncNow(conn.id, "purchase-orders");
        assertEquals("incremental", run.path("kind").asText());
        assertTrue(run.toString(), run.path("records_changed").asLong() >= 2);

        JsonNode changed =
                json(server.call("GET", "/v1/purchase-orders/" + seededId, conn.token, null), 200);
        assertEquals("changed in Tryton " + RUN, changed.path("notes").asText());
        assertEquals(0, new BigDecimal("11").compareTo(lineQuantity(changed)));
        JsonNode backToDraft =
                json(server.call("GET", "/v1/purchase-orders/" + poId, conn.token, null), 200);
        assertEquals("draft", backToDraft.path("status").asText());
        assertEquals("draft", backToDraft.path("remote_status").asText());
        // and the list shows the change too
        assertEquals(
                "changed in Tryton " + RUN,
                listAll(conn.token, "purchase-orders")
                        .get(Long.toString(before))
                        .path("notes")
                        .asText());
    }

    private static BigDecimal lineQuantity(JsonNode po) {
        return new BigDecimal(po.path("lines").get(0).path("quantity").asText());
    }

    // ---- Request Tracker ----------------------------------------------------------------------

    @Test
    public void requestTrackerWorkOrdersThroughTheUnifiedApi() throws Throwable {
        Rt rt = new Rt(RT_URL, "root", RT_PASSWORD);
        String workOrders = "Work orders " + RUN;
        String serviceRequests = "Service requests " + RUN;
        String catalog = "Equipment " + RUN;
        rt.post("queue", obj().put("Name", workOrders).put("Description", "ConnectorsEndToEndIT"));
        rt.post(
                "queue",
                obj().put("Name", serviceRequests).put("Description", "ConnectorsEndToEndIT"));
        rt.post("catalog", obj().put("Name", catalog).put("Description", "ConnectorsEndToEndIT"));
        try {
            String asset =
                    rt.post("asset", obj().put("Name", "Pump " + RUN).put("Catalog", catalog))
                            .path("id")
                            .asText();
            String seededTicket =
                    rt.post(
                                    "ticket",
                                    obj().put("Queue", workOrders)
                                            .put("Subject", "Replace seal " + RUN)
                                            .put("Content", "Leaking at the shaft")
                                            .put("Priority", 50)
                                            .put("RefersTo", "asset:" + asset))
                            .path("id")
                            .asText();

            Connection conn =
                    connect(
                            "{\"system\":\"request-tracker\",\"customer_id\":\"rt-"
                                    + RUN
                                    + "\",\"credentials\":{\"url\":\""
                                    + RT_URL
                                    + "\",\"username\":\"root\",\"password\":\""
                                    + RT_PASSWORD
                                    + "\",\"work_order_queue\":\""
                                    + workOrders
                                    + "\",\"service_request_queue\":\""
                                    + serviceRequests
                                    + "\",\"asset_catalog\":\""
                                    + catalog
                                    + "\"},\"sync\":{\"initial_days\":0,\"interval_seconds\":3600,"
                                    + "\"entities\":[\"assets\",\"work-orders\"]}}",
                            List.of("assets", "work-orders"));

            // read its work orders: exactly the ticket of this run's queue, linked to the asset
            Map<String, JsonNode> wos = listAll(conn.token, "work-orders");
            assertEquals(wos.keySet().toString(), Set.of(seededTicket), wos.keySet());
            JsonNode seeded = wos.get(seededTicket);
            assertEquals("Replace seal " + RUN, seeded.path("title").asText());
            assertEquals("requested", seeded.path("status").asText());
            assertEquals("new", seeded.path("remote_status").asText());
            assertEquals("medium", seeded.path("priority").asText());
            Map<String, JsonNode> assets = listAll(conn.token, "assets");
            String assetId = assets.get(asset).path("id").asText();
            assertEquals(assetId, seeded.path("asset_id").asText());

            // create one through the unified API and find it through RT's REST2
            JsonNode created =
                    json(
                            server.call(
                                    "POST",
                                    "/v1/work-orders",
                                    conn.token,
                                    "{\"title\":\"Replace bearing "
                                            + RUN
                                            + "\",\"description\":\"Noisy bearing\","
                                            + "\"priority\":\"high\",\"asset_id\":\""
                                            + assetId
                                            + "\"}"),
                            201);
            String woId = created.path("id").asText();
            String ticket = created.path("remote_id").asText();
            assertEquals("requested", created.path("status").asText());
            JsonNode inRt = rt.get("ticket/" + ticket);
            assertEquals("Replace bearing " + RUN, inRt.path("Subject").asText());
            assertEquals(100, inRt.path("Priority").asInt());
            assertEquals("new", inRt.path("Status").asText());
            JsonNode queue = rt.get("queue/" + inRt.path("Queue").path("id").asText());
            assertEquals(workOrders, queue.path("Name").asText());
            boolean linked = false;
            for (JsonNode h : inRt.path("_hyperlinks")) {
                if ("refers-to".equals(h.path("ref").asText())
                        && h.path("_url").asText().endsWith("/asset/" + asset)) {
                    linked = true;
                }
            }
            assertTrue(inRt.path("_hyperlinks").toString(), linked);

            // change the seeded ticket in RT directly; see it after the next incremental sync
            Thread.sleep(1_100); // RT's LastUpdated has whole seconds
            rt.put(
                    "ticket/" + seededTicket,
                    obj().put("Status", "open")
                            .put("Subject", "Replace seal, changed in RT " + RUN));
            assertEquals("open", rt.get("ticket/" + seededTicket).path("Status").asText());
            String seededId = seeded.path("id").asText();
            assertEquals(
                    "requested",
                    json(server.call("GET", "/v1/work-orders/" + seededId, conn.token, null), 200)
                            .path("status")
                            .asText());
            JsonNode run = syncNow(conn.id, "work-orders");
            assertEquals("incremental", run.path("kind").asText());
            assertTrue(run.toString(), run.path("records_changed").asLong() >= 1);

            JsonNode changed =
                    json(server.call("GET", "/v1/work-orders/" + seededId, conn.token, null), 200);
            assertEquals("in_progress", changed.path("status").asText());
            assertEquals("open", changed.path("remote_status").asText());
            assertEquals("Replace seal, changed in RT " + RUN, changed.path("title").asText());
            Map<String, JsonNode> after = listAll(conn.token, "work-orders");
            assertEquals(Set.of(seededTicket, ticket), after.keySet());
            assertEquals(woId, after.get(ticket).path("id").asText());
            assertEquals("in_progress", after.get(seededTicket).path("status").asText());
        } catch (Throwable failure) {
            try {
                disable(rt, workOrders, serviceRequests, catalog);
            } catch (Throwable cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        disable(rt, workOrders, serviceRequests, catalog);
    }

    /** RT cannot delete queues or catalogs: disables this run's. */
    private static void disable(Rt rt, String workOrders, String serviceRequests, String catalog)
            throws Exception {
        for (String q : List.of(workOrders, serviceRequests)) {
            rt.put("queue/" + Rt.encode(q), obj().put("Disabled", 1));
        }
        rt.put("catalog/" + Rt.encode(catalog), obj().put("Disabled", 1));
    }

    // ---- the unified API ----------------------------------------------------------------------

    /** A connection created through the admin API, and its token. */
    record Connection(String id, String token) {}

    /** Connects and waits until the initial sync of every given entity succeeded. */
    private static Connection connect(String body, List<String> entities) throws Exception {
        JsonNode created = json(server.call("POST", "/v1/admin/connections", KEY, body), 201);
        String id = created.path("connection").path("id").asText();
        String token = created.path("token").asText();
        await(
                "the initial sync of " + entities,
                Duration.ofSeconds(180),
                () -> {
                    JsonNode last =
                            json(server.call("GET", "/v1/admin/connections/" + id, KEY, null), 200)
                                    .path("last_sync");
                    for (String e : entities) {
                        String status = last.path(e).path("status").asText();
                        if ("failed".equals(status)) {
                            fail("the initial sync of " + e + " failed: " + last);
                        }
                        if (!"succeeded".equals(status)) {
                            return false;
                        }
                    }
                    return true;
                });
        return new Connection(id, token);
    }

    /** Every record of a collection, by remote id, paging through {@code GET /v1/{collection}}. */
    private static Map<String, JsonNode> listAll(String token, String collection) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        String cursor = null;
        do {
            String path =
                    "/v1/"
                            + collection
                            + "?page_size=500"
                            + (cursor == null
                                    ? ""
                                    : "&cursor="
                                            + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = json(server.call("GET", path, token, null), 200);
            for (JsonNode r : page.path("data")) {
                assertTrue(
                        "twice: " + r.path("remote_id"),
                        out.put(r.path("remote_id").asText(), r) == null);
            }
            cursor =
                    page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return out;
    }

    /** The newest sync run of an entity. */
    private static JsonNode lastRun(String connection, String entity) throws Exception {
        JsonNode runs =
                json(
                        server.call(
                                "GET", "/v1/admin/connections/" + connection + "/syncs", KEY, null),
                        200);
        JsonNode newest = null;
        for (JsonNode r : runs.path("data")) {
            if (entity.equals(r.path("entity").asText())
                    && (newest == null
                            || r.path("started_at")
                                            .asText("")
                                            .compareTo(newest.path("started_at").asText(""))
                                    > 0)) {
                newest = r;
            }
        }
        assertFalse("no sync run of " + entity + ": " + runs, newest == null);
        return newest;
    }

    /**
     * Triggers a sync of one entity ({@code POST /v1/admin/connections/{id}/syncs}, which answers
     * 202 with the queued runs) and waits until a run that did not exist before succeeded; that
     * run.
     */
    private static JsonNode syncNow(String connection, String entity) throws Exception {
        String runs = "/v1/admin/connections/" + connection + "/syncs";
        Set<String> before = new HashSet<>();
        json(server.call("GET", runs, KEY, null), 200)
                .path("data")
                .forEach(r -> before.add(r.path("id").asText()));
        JsonNode accepted =
                json(server.call("POST", runs, KEY, "{\"entities\":[\"" + entity + "\"]}"), 202);
        assertTrue(accepted.toString(), accepted.path("data").toString().contains(entity));
        JsonNode[] found = new JsonNode[1];
        await(
                "a triggered sync of " + entity,
                Duration.ofSeconds(120),
                () -> {
                    for (JsonNode r : json(server.call("GET", runs, KEY, null), 200).path("data")) {
                        if (before.contains(r.path("id").asText())
                                || !entity.equals(r.path("entity").asText())) {
                            continue;
                        }
                        if ("failed".equals(r.path("status").asText())) {
                            fail("the sync failed: " + r);
                        }
                        if ("succeeded".equals(r.path("status").asText())) {
                            found[0] = r;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private static ArrayNode arr(Object... values) {
        return JSON.valueToTree(List.of(values));
    }

    // ---- the sources' own APIs ----------------------------------------------------------------

    /** Tryton's JSON-RPC, as its own client speaks it: a session header and the user's context. */
    static final class Tryton {
        private final URI db;
        private final String session;
        private final ObjectNode context;

        private Tryton(URI db, String session, ObjectNode context) {
            this.db = db;
            this.session = session;
            this.context = context;
        }

        /** Logs in; fails (never skips) when no Tryton answers. */
        static Tryton login(String url, String database, String user, String password)
                throws Exception {
            URI db = URI.create(url).resolve(database + "/");
            ArrayNode params = JSON.createArrayNode().add(user);
            params.addObject().put("password", password);
            params.add("en");
            JsonNode r;
            try {
                r = rpc(db, null, "common.db.login", params);
            } catch (IOException e) {
                throw new AssertionError(
                        "No Tryton server at " + url + ": run scripts/provision.sh first", e);
            }
            String session =
                    "Session "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (user
                                                            + ":"
                                                            + r.get(0).asText()
                                                            + ":"
                                                            + r.get(1).asText())
                                                    .getBytes(StandardCharsets.UTF_8));
            ArrayNode prefParams = JSON.createArrayNode().add(true);
            prefParams.addObject();
            JsonNode prefs = rpc(db, session, "model.res.user.get_preferences", prefParams);
            ObjectNode ctx = JSON.createObjectNode();
            ctx.set("company", prefs.get("company"));
            ctx.put("language", "en");
            return new Tryton(db, session, ctx);
        }

        private static JsonNode rpc(URI db, String session, String method, ArrayNode params)
                throws IOException, InterruptedException {
            ObjectNode body = JSON.createObjectNode().put("id", 1).put("method", method);
            body.set("params", params);
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(db)
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (session != null) {
                b.header("Authorization", session);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(method + ": HTTP " + r.statusCode() + " " + r.body());
            }
            JsonNode answer = JSON.readTree(r.body());
            if (answer.hasNonNull("error")) {
                throw new AssertionError(method + ": " + answer.get("error"));
            }
            return answer.get("result");
        }

        /** Calls a model method with the given arguments and the user's context appended. */
        JsonNode call(String method, ArrayNode args) throws Exception {
            return rpc(db, session, method, args.deepCopy().add(context));
        }

        long create(String model, ObjectNode values) throws Exception {
            return call("model." + model + ".create", JSON.createArrayNode().add(arr(values)))
                    .get(0)
                    .asLong();
        }

        void write(String model, long id, ObjectNode values) throws Exception {
            call("model." + model + ".write", JSON.createArrayNode().add(arr(id)).add(values));
        }

        JsonNode read(String model, long id, String... fields) throws Exception {
            JsonNode r =
                    call(
                            "model." + model + ".read",
                            JSON.createArrayNode().add(arr(id)).add(arr((Object[]) fields)));
            assertEquals(model + " " + id + ": " + r, 1, r.size());
            return r.get(0);
        }

        long createVendor(String name) throws Exception {
            long party = create("party.party", obj().put("name", name));
            create(
                    "party.address",
                    obj().put("party", party)
                            .put("street", "Hauptstr. 1")
                            .put("postal_code", "10115")
                            .put("city", "Berlin"));
            return party;
        }

        /** A purchasable goods product with the first account category (as the setup made). */
        long createProduct(String name, String code, String cost) throws Exception {
            JsonNode category =
                    call(
                            "model.product.category.search",
                            JSON.createArrayNode()
                                    .add(arr(arr("accounting", "=", true)))
                                    .add(0)
                                    .add(1)
                                    .add(JSON.nullNode()));
            JsonNode unit =
                    call(
                            "model.product.uom.search",
                            JSON.createArrayNode().add(arr(arr("symbol", "=", "u"))));
            ObjectNode template =
                    obj().put("name", name)
                            .put("type", "goods")
                            .put("code", code)
                            .put("purchasable", true)
                            .put("default_uom", unit.get(0).asLong())
                            .put("purchase_uom", unit.get(0).asLong());
            template.set("list_price", decimal("0"));
            if (category.size() > 0) {
                template.put("account_category", category.get(0).asLong());
            }
            template.putArray("products")
                    .addArray()
                    .add("create")
                    .add(arr(obj().set("cost_price", decimal(cost))));
            long t = create("product.template", template);
            return call(
                            "model.product.product.search",
                            JSON.createArrayNode().add(arr(arr("template", "=", t))))
                    .get(0)
                    .asLong();
        }

        long createPurchase(long party, long product, String quantity, String price, String notes)
                throws Exception {
            JsonNode address =
                    call(
                            "model.party.address.search",
                            JSON.createArrayNode().add(arr(arr("party", "=", party))));
            JsonNode uom = read("product.product", product, "default_uom").get("default_uom");
            ObjectNode po =
                    obj().put("party", party)
                            .put("invoice_address", address.get(0).asLong())
                            .put("description", notes);
            po.putArray("lines")
                    .addArray()
                    .add("create")
                    .add(
                            arr(
                                    obj().put("type", "line")
                                            .put("product", product)
                                            .put("description", "line of " + notes)
                                            .put("quantity", Double.parseDouble(quantity))
                                            .put("unit", uom.asLong())
                                            .set("unit_price", decimal(price))));
            return create("purchase.purchase", po);
        }

        JsonNode readPurchase(long id) throws Exception {
            return read("purchase.purchase", id, "description", "party", "state", "lines");
        }

        JsonNode readLine(long id) throws Exception {
            return read("purchase.line", id, "product", "quantity", "unit_price");
        }

        /** Cancels and deletes this run's purchases, then its product and party. */
        void remove(List<Long> purchases, long party, long product) throws Exception {
            if (!purchases.isEmpty()) {
                call(
                        "model.purchase.purchase.cancel",
                        JSON.createArrayNode().add(arr(purchases.toArray())));
                call(
                        "model.purchase.purchase.delete",
                        JSON.createArrayNode().add(arr(purchases.toArray())));
            }
            long template = read("product.product", product, "template").get("template").asLong();
            call("model.product.template.delete", JSON.createArrayNode().add(arr(template)));
            call("model.party.party.delete", JSON.createArrayNode().add(arr(party)));
        }

        Set<Long> purchaseIds() throws Exception {
            Set<Long> ids = new HashSet<>();
            call(
                            "model.purchase.purchase.search",
                            JSON.createArrayNode().add(JSON.createArrayNode()))
                    .forEach(i -> ids.add(i.asLong()));
            return ids;
        }

        static ObjectNode decimal(String value) {
            return obj().put("__class__", "Decimal").put("decimal", value);
        }
    }

    /** Request Tracker's REST2 with Basic authentication (root's password). */
    static final class Rt {
        private final URI base;
        private final String auth;

        Rt(String url, String user, String password) {
            this.base = URI.create(url).resolve("REST/2.0/");
            this.auth =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (user + ":" + password)
                                                    .getBytes(StandardCharsets.UTF_8));
        }

        static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }

        JsonNode get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
        }

        JsonNode post(String path, ObjectNode body) throws Exception {
            return send(
                    HttpRequest.newBuilder(base.resolve(path))
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                    path);
        }

        JsonNode put(String path, ObjectNode body) throws Exception {
            return send(
                    HttpRequest.newBuilder(base.resolve(path))
                            .PUT(HttpRequest.BodyPublishers.ofString(body.toString())),
                    path);
        }

        private JsonNode send(HttpRequest.Builder b, String path) throws Exception {
            HttpResponse<String> r;
            try {
                r =
                        HTTP.send(
                                b.timeout(Duration.ofSeconds(60))
                                        .header("Authorization", auth)
                                        .header("Content-Type", "application/json")
                                        .header("Accept", "application/json")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError(
                        "No Request Tracker at " + base + ": run scripts/provision.sh first", e);
            }
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError(path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        }
    }
}
