package org.ironbridge.distribution;

import static org.ironbridge.distribution.ResumeAfterKillIT.await;
import static org.ironbridge.distribution.ResumeAfterKillIT.connectSandbox;
import static org.ironbridge.distribution.ResumeAfterKillIT.distinctStored;
import static org.ironbridge.distribution.ResumeAfterKillIT.stored;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Two real server processes on one MariaDB database: every sync run happens once (the runs of an
 * entity never overlap), and when the node running a sync is killed with {@code kill -9}, the other
 * takes its work over within 60 s and finishes it from the checkpoint.
 */
public class TwoProcessesIT {
    static final int DATASET = 6_000;

    /** A sync run as stored (times in microseconds). */
    record Run(String entity, String status, String node, long started, Long finished) {}

    static List<Run> runs(String url, String connectionId) throws Exception {
        try (Connection c = ServerProcess.jdbc(url);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT entity, status, node, started_at, finished_at FROM"
                                        + " sync_runs WHERE connection_id = ? AND started_at IS"
                                        + " NOT NULL ORDER BY entity, started_at")) {
            ps.setString(1, connectionId);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long f = rs.getLong(5);
                    out.add(
                            new Run(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.wasNull() ? null : f));
                }
            }
            return out;
        }
    }

    /** No two runs of one entity overlapped: each started after the previous one ended. */
    static void assertNoOverlap(List<Run> runs) {
        for (int i = 1; i < runs.size(); i++) {
            Run prev = runs.get(i - 1);
            Run cur = runs.get(i);
            if (!prev.entity().equals(cur.entity())) {
                continue;
            }
            assertTrue(
                    "runs overlap: " + prev + " and " + cur,
                    prev.finished() != null && prev.finished() <= cur.started());
        }
    }

    @Test
    public void twoNodesRunEachSyncOnceAndTakeOverAKilledNodesWork() throws Exception {
        String url = ServerProcess.freshDatabase("dist_two_nodes");
        Path root = Distribution.tempDirectory("ironbridge-two-");
        try (ServerProcess a = new ServerProcess("node-a", root.resolve("a"), url).start();
                ServerProcess b = new ServerProcess("node-b", root.resolve("b"), url).start()) {
            // purchase orders take a while (12 pages of 500, a second each); vendors are quick
            // and synced every 10 s
            String id = connectSandbox(a, DATASET, 1000, "\"purchase-orders\",\"vendors\"", 10);
            await("pages checkpointed", Duration.ofSeconds(60), () -> stored(url, id) >= 1000);

            // kill the node that runs the purchase orders' initial sync
            String runner =
                    runs(url, id).stream()
                            .filter(
                                    r ->
                                            r.entity().equals("purchase-orders")
                                                    && r.status().equals("running"))
                            .findFirst()
                            .orElseThrow()
                            .node();
            ServerProcess victim = runner.equals("node-a") ? a : b;
            String survivor = victim == a ? "node-b" : "node-a";
            victim.kill();
            long killedAt = System.nanoTime();

            await(
                    "the survivor took the purchase orders over",
                    Duration.ofSeconds(60),
                    () ->
                            runs(url, id).stream()
                                    .anyMatch(
                                            r ->
                                                    r.entity().equals("purchase-orders")
                                                            && r.node().equals(survivor)));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            assertTrue(
                    "took over after " + takeover, takeover.compareTo(Duration.ofSeconds(60)) < 0);
            await(
                    "the purchase orders' initial sync finished",
                    Duration.ofSeconds(90),
                    () ->
                            runs(url, id).stream()
                                    .anyMatch(
                                            r ->
                                                    r.entity().equals("purchase-orders")
                                                            && r.status().equals("succeeded")));
            // the survivor goes on with the vendors' incremental syncs alone
            long vendorRunsBefore =
                    runs(url, id).stream().filter(r -> r.entity().equals("vendors")).count();
            await(
                    "more vendor syncs on the survivor",
                    Duration.ofSeconds(60),
                    () ->
                            runs(url, id).stream()
                                                    .filter(
                                                            r ->
                                                                    r.entity().equals("vendors")
                                                                            && r.node()
                                                                                    .equals(
                                                                                            survivor)
                                                                            && r.status()
                                                                                    .equals(
                                                                                            "succeeded"))
                                                    .count()
                                            >= 1
                                    && runs(url, id).stream()
                                                    .filter(r -> r.entity().equals("vendors"))
                                                    .count()
                                            > vendorRunsBefore);

            List<Run> all = runs(url, id);
            assertNoOverlap(all);
            // the only failed runs are the killed node's, interrupted
            assertTrue(
                    all.toString(),
                    all.stream()
                            .filter(r -> r.status().equals("failed"))
                            .allMatch(r -> r.node().equals(runner)));
            assertEquals(DATASET, stored(url, id));
            assertEquals(DATASET, distinctStored(url, id));
        }
    }
}
