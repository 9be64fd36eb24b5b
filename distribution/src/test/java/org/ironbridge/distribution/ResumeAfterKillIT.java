package org.ironbridge.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * {@code kill -9} in the middle of an initial sync, then a restart: the sync continues from its
 * last checkpoint (the first pages are not read again), and ends with every record exactly once.
 * The real server as a child process on MariaDB.
 */
public class ResumeAfterKillIT {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Purchase orders at the sandbox: 24 pages of 500, a second each, so well over 20 s. */
    static final int DATASET = 12_000;

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Duration max, Check check) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(250);
        }
        fail(what + " did not happen within " + max.toSeconds() + " s");
    }

    static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        return JSON.readTree(r.body());
    }

    /** Creates a sandbox connection that syncs only purchase orders; returns its id. */
    static String connectSandbox(ServerProcess server, int dataset, int latencyMs)
            throws Exception {
        return connectSandbox(server, dataset, latencyMs, "\"purchase-orders\"", 600);
    }

    /** Creates a sandbox connection that syncs the given entities (a JSON list's items). */
    static String connectSandbox(
            ServerProcess server, int dataset, int latencyMs, String entities, int intervalSeconds)
            throws Exception {
        await(
                "sandbox connector installed",
                Duration.ofSeconds(60),
                () ->
                        server.call("GET", "/v1/admin/connectors", ServerProcess.ADMIN_KEY, null)
                                .body()
                                .contains("\"system\":\"sandbox\""));
        JsonNode created =
                json(
                        server.call(
                                "POST",
                                "/v1/admin/connections",
                                ServerProcess.ADMIN_KEY,
                                "{\"system\":\"sandbox\",\"customer_id\":\"kill-test\","
                                        + "\"credentials\":{\"username\":\"u\",\"password\":\"sandbox\","
                                        + "\"dataset_size\":"
                                        + dataset
                                        + ",\"activity_per_minute\":0,\"latency_ms\":"
                                        + latencyMs
                                        + "},\"sync\":{\"initial_days\":0,\"interval_seconds\":"
                                        + intervalSeconds
                                        + ",\"entities\":["
                                        + entities
                                        + "]}}"),
                        201);
        return created.path("connection").path("id").asText();
    }

    static long scalar(String url, String sql, String connectionId) throws Exception {
        try (Connection c = ServerProcess.jdbc(url);
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The connection's stored purchase orders. */
    static long stored(String url, String connectionId) throws Exception {
        return scalar(
                url,
                "SELECT COUNT(*) FROM records WHERE connection_id = ? AND entity = 'purchase-orders'",
                connectionId);
    }

    static long distinctStored(String url, String connectionId) throws Exception {
        return scalar(
                url,
                "SELECT COUNT(DISTINCT remote_id) FROM records WHERE connection_id = ? AND entity ="
                        + " 'purchase-orders'",
                connectionId);
    }

    /** A sync run as stored. */
    record Run(
            String id,
            String kind,
            String status,
            String startCursor,
            long seen,
            String errorCode,
            String node) {}

    static List<Run> runs(String url, String connectionId) throws Exception {
        try (Connection c = ServerProcess.jdbc(url);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, kind, status, start_cursor, records_seen, error_code,"
                                        + " node FROM sync_runs WHERE connection_id = ? AND entity"
                                        + " = 'purchase-orders' ORDER BY queued_at, id")) {
            ps.setString(1, connectionId);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Run(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getLong(5),
                                    rs.getString(6),
                                    rs.getString(7)));
                }
            }
            return out;
        }
    }

    static String checkpoint(String url, String connectionId) throws Exception {
        try (Connection c = ServerProcess.jdbc(url);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT cursor_value FROM sync_state WHERE connection_id = ? AND"
                                        + " entity = 'purchase-orders'")) {
            ps.setString(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    public void anInitialSyncKilledWithKill9ResumesFromItsLastCheckpoint() throws Exception {
        String url = ServerProcess.freshDatabase("dist_resume_kill");
        Path data = Distribution.tempDirectory("ironbridge-kill-");
        String id;
        try (ServerProcess first = new ServerProcess("first", data, url).start()) {
            id = connectSandbox(first, DATASET, 1000);
            // some pages are checkpointed
            await("two pages checkpointed", Duration.ofSeconds(60), () -> stored(url, id) >= 1000);
            first.kill();
        }

        // what the database holds now is the last checkpoint: records, cursor and counters agree
        long atKill = stored(url, id);
        String cursorAtKill = checkpoint(url, id);
        assertNotNull(cursorAtKill);
        assertTrue("the sync was still running: " + atKill, atKill < DATASET);
        List<Run> before = runs(url, id);
        assertEquals(before.toString(), 1, before.size());
        assertEquals("running", before.get(0).status());
        assertEquals(atKill, before.get(0).seen());

        try (ServerProcess second = new ServerProcess("second", data, url).start()) {
            await(
                    "the resumed sync finished",
                    Duration.ofSeconds(120),
                    () -> runs(url, id).stream().anyMatch(r -> r.status().equals("succeeded")));
            List<Run> after = runs(url, id);
            assertEquals(after.toString(), 2, after.size());
            Run killed = after.get(0);
            Run resumed = after.get(1);
            assertEquals(after.toString(), "failed", killed.status());
            assertEquals(after.toString(), "interrupted", killed.errorCode());
            assertEquals(after.toString(), "succeeded", resumed.status());
            assertEquals(after.toString(), "initial", resumed.kind());
            // it started from the checkpoint, not from the beginning, and read only the rest
            assertEquals(cursorAtKill, resumed.startCursor());
            // (a record the source changes meanwhile is seen once more at the end: less than a
            // page, never a page read again)
            long rest = DATASET - atKill;
            assertTrue(after.toString(), resumed.seen() >= rest && resumed.seen() < rest + 500);
            // every record exactly once
            assertEquals(DATASET, stored(url, id));
            assertEquals(DATASET, distinctStored(url, id));
        }
    }
}
