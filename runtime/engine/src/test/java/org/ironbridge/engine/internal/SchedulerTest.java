package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine with its scheduler running on real threads. */
class SchedulerTest {

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("sched");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theInitialSyncRunsInTheBackgroundRightAfterCreate(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s, new Engine.Settings(2, Duration.ofMinutes(10), "node-1"))) {
            for (int i = 1; i <= 8; i++) {
                f.fake.put(EntityType.VENDORS, "V" + i, FakeConnector.vendor("V" + i, "active"));
                f.fake.put(EntityType.ITEMS, "I" + i, FakeConnector.item("I" + i, "V" + i));
            }
            f.engine.start();
            String caller = Thread.currentThread().getName();
            String id = f.connect("org_a", EntityType.VENDORS, EntityType.ITEMS).connection().id();
            // the long poll interval proves that create woke the scheduler
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<SyncView> runs;
            do {
                Thread.sleep(50);
                runs = f.connections().syncs("org_a", id, 10);
            } while (!runs.stream().allMatch(r -> r.status().equals("succeeded"))
                    && System.nanoTime() < deadline);
            assertThat(runs)
                    .extracting(SyncView::entity, SyncView::status)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("vendors", "succeeded"),
                            org.assertj.core.groups.Tuple.tuple("items", "succeeded"));
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.ITEMS,
                                            new RecordQuery(
                                                    100, null, null, null, false, false, Map.of()))
                                    .data())
                    .hasSize(8);
            assertThat(caller).doesNotStartWith("ironbridge-sync");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void onStartDueWorkFromTheDatabaseIsPickedUp(DatabaseSettings s) throws Exception {
        String id;
        try (Fixture f = new Fixture(s)) {
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("V1", "active"));
            // created while no scheduler runs (a server that stopped right after)
            id = f.connect("org_a", EntityType.VENDORS).connection().id();
            assertThat(f.connections().syncs("org_a", id, 10))
                    .extracting(SyncView::status)
                    .containsExactly("queued");
            // the scheduler of a "restarted" engine on the same database
            SyncScheduler scheduler =
                    new SyncScheduler(
                            new org.ironbridge.store.SyncRepository(f.db.dataSource()),
                            f.engine.syncEngine(),
                            f.clock,
                            Runnable::run,
                            2,
                            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(),
                            Duration.ofHours(1));
            assertThat(scheduler.poll()).isEqualTo(1);
            assertThat(f.connections().syncs("org_a", id, 10))
                    .extracting(SyncView::status)
                    .containsExactly("succeeded");
            assertThat(scheduler.poll()).isZero(); // nothing due until the interval passed
            f.clock.advance(Duration.ofSeconds(60));
            assertThat(scheduler.poll()).isEqualTo(1);
            scheduler.close();
        }
    }
}
