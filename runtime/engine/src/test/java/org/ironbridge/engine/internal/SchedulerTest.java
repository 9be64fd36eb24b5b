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
            // the long poll interval proves that create scheduled the syncs to run at once
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
        try (Fixture f = new Fixture(s, new Engine.Settings(2, Duration.ofMillis(200), "node-1"))) {
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("V1", "active"));
            // created while no scheduler runs (a server that stopped right after)
            String id = f.connect("org_a", EntityType.VENDORS).connection().id();
            assertThat(f.connections().syncs("org_a", id, 10))
                    .extracting(SyncView::status)
                    .containsExactly("queued");
            // the scheduler of the "restarted" engine finds it in the database
            f.engine.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<SyncView> runs;
            do {
                Thread.sleep(50);
                runs = f.connections().syncs("org_a", id, 10);
            } while (!runs.get(0).status().equals("succeeded") && System.nanoTime() < deadline);
            assertThat(runs).extracting(SyncView::status).containsExactly("succeeded");
            // nothing is due until the interval (60 s) passed
            Thread.sleep(1000);
            assertThat(f.connections().syncs("org_a", id, 10)).hasSize(1);
            assertThat(f.fake.readsOf(EntityType.VENDORS)).hasSize(1);
        }
    }
}
