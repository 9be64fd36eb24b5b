package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

/**
 * Two engines (two server nodes) on one MariaDB database, each with its own db-scheduler: every
 * sync runs once, and the work of a node that stops heartbeating is taken over by the other.
 */
class ClusterSchedulingTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static Engine.Settings node(String name) {
        // heartbeat 1 s, dead after 4 missed (db-scheduler's minimum): takeover within a few
        // seconds
        return new Engine.Settings(2, Duration.ofMillis(100), name, Duration.ofSeconds(1), 4);
    }

    /** A second node on the fixture's database, with its own registry holding the connector. */
    private static Engine secondNode(Fixture f, FakeConnector connector, String name) {
        FakeRegistry registry = new FakeRegistry();
        registry.install(connector);
        return new Engine(
                f.db.dataSource(),
                registry,
                CanonicalModel.standard(),
                new Vault(f.vaultKey.clone()),
                f.clock,
                node(name));
    }

    private static Fixture mariadbFixture(String name) throws Exception {
        return new Fixture(
                TestDatabases.mariadb(name + "_" + COUNTER.incrementAndGet()), node("node-1"));
    }

    private static void await(Duration max, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(50);
        }
    }

    private static int stored(Fixture f, String id, EntityType type) throws Exception {
        return f.records()
                .list(id, type, new RecordQuery(1000, null, null, null, false, false, Map.of()))
                .data()
                .size();
    }

    private static List<SyncView> runs(Fixture f, String id) {
        try {
            return f.connections().syncs("org_a", id, 10);
        } catch (org.ironbridge.engine.EngineException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allSucceeded(List<SyncView> runs) {
        return !runs.isEmpty() && runs.stream().allMatch(r -> r.status().equals("succeeded"));
    }

    @Test
    void twoNodesRunEachSyncOnce() throws Exception {
        try (Fixture f = mariadbFixture("cluster_once")) {
            for (int i = 1; i <= 30; i++) {
                f.fake.put(EntityType.VENDORS, "V" + i, FakeConnector.vendor("V" + i, "active"));
                f.fake.put(EntityType.ITEMS, "I" + i, FakeConnector.item("I" + i, "V" + i));
            }
            f.fake.readDelayMillis = 20;
            try (Engine second = secondNode(f, f.fake, "node-2")) {
                f.engine.start();
                second.start();
                String id =
                        f.connect("org_a", EntityType.VENDORS, EntityType.ITEMS).connection().id();
                await(Duration.ofSeconds(60), () -> allSucceeded(runs(f, id)));
                // an on-demand sync through the other node
                second.connections()
                        .requestSync(
                                "org_a", id, Set.of(EntityType.VENDORS, EntityType.ITEMS), false);
                await(
                        Duration.ofSeconds(60),
                        () -> {
                            List<SyncView> runs = runs(f, id);
                            return runs.size() == 4 && allSucceeded(runs);
                        });
                Thread.sleep(1500); // time for a wrong second run to show up
                List<SyncView> runs = runs(f, id);
                assertThat(runs).hasSize(4).allMatch(r -> r.status().equals("succeeded"));
                assertThat(runs)
                        .extracting(SyncView::entity)
                        .containsExactlyInAnyOrder("vendors", "vendors", "items", "items");
                for (EntityType type : List.of(EntityType.VENDORS, EntityType.ITEMS)) {
                    List<ReadRequest> reads = f.fake.readsOf(type);
                    // the initial sync started once from the beginning and read each of its 10
                    // pages once; the incremental run read them once more (all records share one
                    // timestamp, inside the overlap window): 20 reads, not more
                    assertThat(reads.stream().filter(r -> r.cursor() == null)).hasSize(1);
                    assertThat(reads).hasSize(20);
                    assertThat(reads.subList(0, 10).stream().map(ReadRequest::cursor).distinct())
                            .hasSize(10);
                    assertThat(stored(f, id, type)).isEqualTo(30);
                    // the runs of an entity did not overlap
                    List<SyncView> ofType =
                            runs.stream()
                                    .filter(r -> r.entity().equals(type.collection()))
                                    .sorted(java.util.Comparator.comparing(SyncView::startedAt))
                                    .toList();
                    assertThat(ofType.get(0).finishedAt())
                            .isBeforeOrEqualTo(ofType.get(1).startedAt());
                }
            }
        }
    }

    @Test
    void theWorkOfANodeThatStopsHeartbeatingIsTakenOver() throws Exception {
        try (Fixture f = mariadbFixture("cluster_takeover")) {
            FakeConnector other = new FakeConnector(f.clock);
            for (int i = 1; i <= 30; i++) {
                String rid = "V" + (100 + i);
                f.fake.put(EntityType.VENDORS, rid, FakeConnector.vendor(rid, "active"));
                other.put(EntityType.VENDORS, rid, FakeConnector.vendor(rid, "active"));
            }
            // node 1 reads two pages, then hangs in its third read
            CountDownLatch hang = new CountDownLatch(1);
            f.fake.readGate = hang;
            f.fake.gateFromRead = 2;
            f.engine.start();
            String id = f.connect("org_a", EntityType.VENDORS).connection().id();
            await(Duration.ofSeconds(30), () -> f.fake.readsWaiting.get() == 1);
            assertThat(stored(f, id, EntityType.VENDORS)).isEqualTo(6);

            try (Engine second = secondNode(f, other, "node-2")) {
                second.start();
                f.engine.scheduler().simulateHang();
                long stoppedAt = System.nanoTime();
                await(
                        Duration.ofSeconds(60),
                        () -> runs(f, id).stream().anyMatch(r -> r.status().equals("succeeded")));
                Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
                assertThat(takeover).isLessThan(Duration.ofSeconds(60));

                // node 2 continued from node 1's last checkpoint: the first pages were not read
                // again
                List<ReadRequest> reads = other.readsOf(EntityType.VENDORS);
                assertThat(reads.get(0).cursor()).isNotNull();
                assertThat(reads).hasSize(8);
                assertThat(stored(f, id, EntityType.VENDORS)).isEqualTo(30);

                List<SyncView> runs = runs(f, id);
                assertThat(runs)
                        .extracting(SyncView::status)
                        .containsExactlyInAnyOrder("failed", "succeeded");

                // the hung node wakes up: it lost the sync and writes nothing
                hang.countDown();
                Thread.sleep(1000);
                assertThat(stored(f, id, EntityType.VENDORS)).isEqualTo(30);
                assertThat(runs(f, id))
                        .extracting(SyncView::status)
                        .containsExactlyInAnyOrder("failed", "succeeded");
            }
        }
    }
}
