package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.SyncRepository;
import org.ironbridge.store.SyncStateRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sync engine on H2 and MariaDB with the fake connector (3 records per page). */
class SyncEngineTest {
    private static final EntityType V = EntityType.VENDORS;

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("sync");
    }

    /** V01..Vnn, one minute apart (the overlap window is two minutes). */
    private static void seedVendors(Fixture f, int n) {
        for (int i = 1; i <= n; i++) {
            f.fake.put(V, String.format("V%02d", i), FakeConnector.vendor("Vendor " + i, "active"));
            f.clock.advance(Duration.ofMinutes(1));
        }
    }

    private static long stored(Fixture f, String connectionId) {
        return new RecordRepository(f.db.dataSource()).count(connectionId, V.collection());
    }

    /** The latest run of the vendors. */
    private static SyncView latest(Fixture f, String connectionId) throws Exception {
        return f.connections().syncs("org_a", connectionId, 100).stream()
                .filter(r -> r.entity().equals("vendors"))
                .findFirst()
                .orElseThrow();
    }

    private static SyncStateRow state(Fixture f, String connectionId) {
        return new SyncRepository(f.db.dataSource())
                .state(connectionId, V.collection())
                .orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void initialThenIncrementalSyncsPickUpOnlyChanges(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 10);
            String id = f.connect("org_a", V).connection().id();
            Instant start = f.clock.instant();
            assertThat(f.sync(id, V)).isTrue();

            SyncView initial = latest(f, id);
            assertThat(initial.kind()).isEqualTo("initial");
            assertThat(initial.status()).isEqualTo("succeeded");
            assertThat(initial.recordsSeen()).isEqualTo(10);
            assertThat(initial.recordsChanged()).isEqualTo(10);
            assertThat(initial.recordsDeleted()).isZero();
            assertThat(initial.startedAt()).isEqualTo(start);
            assertThat(initial.finishedAt()).isEqualTo(start);
            assertThat(initial.error()).isNull();
            assertThat(stored(f, id)).isEqualTo(10);
            // the first read is the initial one: no cursor, the lookback of initial_days (30)
            List<ReadRequest> reads = f.fake.readsOf(V);
            assertThat(reads).hasSize(4); // 3 + 3 + 3 + 1
            assertThat(reads.get(0).cursor()).isNull();
            assertThat(reads.get(0).since()).isEqualTo(start.minus(Duration.ofDays(30)));
            assertThat(reads.get(0).pageSize()).isEqualTo(500);
            ConnectionView v = f.connections().find("org_a", id).orElseThrow();
            assertThat(v.lastSync().get("vendors")).isEqualTo(initial);
            SyncStateRow st = state(f, id);
            assertThat(st.initialDone()).isTrue();
            assertThat(st.cursorComplete()).isTrue();
            assertThat(st.nextRunAt()).isEqualTo(start.plusSeconds(60));
            assertThat(Cursor.parse(st.cursor()).state()).isEqualTo("V10");

            // not due before the interval
            assertThat(f.sync(id, V)).isFalse();

            // changes at the source: 2 updated, 1 added, 1 deleted
            f.clock.advance(Duration.ofMinutes(10));
            f.fake.put(V, "V03", FakeConnector.vendor("Vendor 3b", "inactive"));
            f.fake.put(V, "V07", FakeConnector.vendor("Vendor 7b", "active"));
            f.fake.put(V, "V11", FakeConnector.vendor("Vendor 11", "active"));
            f.fake.remove(V, "V05");
            int before = f.fake.readsOf(V).size();
            assertThat(f.sync(id, V)).isTrue();

            SyncView inc = latest(f, id);
            assertThat(inc.kind()).isEqualTo("incremental");
            assertThat(inc.status()).isEqualTo("succeeded");
            // V08..V10 again (the overlap window, unchanged) and the three changes
            assertThat(inc.recordsSeen()).isEqualTo(6);
            assertThat(inc.recordsChanged()).isEqualTo(3);
            assertThat(inc.recordsDeleted()).isEqualTo(1);
            ReadRequest first = f.fake.readsOf(V).get(before);
            // from the stored cursor moved back by the overlap window, without connector state
            assertThat(first.cursor().watermark())
                    .contains(
                            Cursor.parse(st.cursor())
                                    .watermark()
                                    .orElseThrow()
                                    .minus(SyncEngine.OVERLAP));
            assertThat(first.cursor().state()).isEmpty();
            assertThat(first.since()).isNull();
            assertThat(stored(f, id)).isEqualTo(11);
            var active =
                    f.records()
                            .list(
                                    id,
                                    V,
                                    new RecordQuery(100, null, null, null, false, false, Map.of()))
                            .data();
            assertThat(active)
                    .extracting(r -> r.get("remote_id").asText())
                    .hasSize(10)
                    .doesNotContain("V05");
            assertThat(
                            f.records()
                                    .get(id, V, RecordIds.of(id, V, "V03"), false)
                                    .orElseThrow()
                                    .get("name")
                                    .asText())
                    .isEqualTo("Vendor 3b");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void unchangedRecordsAreNeitherRewrittenNorCounted(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 4);
            String id = f.connect("org_a", V).connection().id();
            assertThat(f.sync(id, V)).isTrue();
            String storedAt = storedAt(f, id, "V04");
            String before =
                    f.records()
                            .get(id, V, RecordIds.of(id, V, "V04"), false)
                            .orElseThrow()
                            .toString();

            // the overlap window returns V02..V04 again, unchanged
            f.clock.advance(Duration.ofSeconds(61));
            assertThat(f.sync(id, V)).isTrue();
            SyncView inc = latest(f, id);
            assertThat(inc.recordsSeen()).isEqualTo(3);
            assertThat(inc.recordsChanged()).isZero();
            assertThat(storedAt(f, id, "V04")).isEqualTo(storedAt);
            assertThat(
                            f.records()
                                    .get(id, V, RecordIds.of(id, V, "V04"), false)
                                    .orElseThrow()
                                    .toString())
                    .isEqualTo(before);

            // a source that touches a record without changing it (only its timestamp moves)
            f.clock.advance(Duration.ofSeconds(61));
            f.fake.put(V, "V02", FakeConnector.vendor("Vendor 2", "active"));
            assertThat(f.sync(id, V)).isTrue();
            assertThat(latest(f, id).recordsSeen()).isEqualTo(3);
            assertThat(latest(f, id).recordsChanged()).isZero();
            assertThat(
                            f.records()
                                    .get(id, V, RecordIds.of(id, V, "V02"), false)
                                    .orElseThrow()
                                    .get("updated_at")
                                    .asText())
                    .isEqualTo(Fixture.T0.plus(Duration.ofMinutes(1)).toString());
        }
    }

    private static String storedAt(Fixture f, String connectionId, String remoteId)
            throws Exception {
        try (var c = f.db.dataSource().getConnection();
                var ps =
                        c.prepareStatement(
                                "SELECT stored_at FROM records WHERE connection_id = ? AND remote_id = ?")) {
            ps.setString(1, connectionId);
            ps.setString(2, remoteId);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anInterruptedSyncResumesFromItsCheckpoint(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 10);
            String id = f.connect("org_a", V).connection().id();
            // the third read fails every attempt
            for (int n = 3; n < 3 + SyncEngine.READ_ATTEMPTS; n++) {
                f.fake.failRead(
                        V, n, ConnectorException.sourceUnavailable("connection reset", null));
            }
            Instant start = f.clock.instant();
            assertThat(f.sync(id, V)).isTrue();

            SyncView failed = latest(f, id);
            assertThat(failed.kind()).isEqualTo("initial");
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).isEqualTo("connection reset");
            assertThat(failed.recordsSeen()).isEqualTo(6);
            assertThat(failed.recordsChanged()).isEqualTo(6);
            // the source said 4 records remained after the last checkpoint
            assertThat(failed.progress()).isEqualTo(0.6);
            assertThat(stored(f, id)).isEqualTo(6);
            SyncStateRow st = state(f, id);
            assertThat(st.initialDone()).isFalse();
            assertThat(st.cursorComplete()).isFalse();
            assertThat(Cursor.parse(st.cursor()).state()).isEqualTo("V06");
            assertThat(st.consecutiveFailures()).isEqualTo(1);
            // retried at the next interval
            assertThat(st.nextRunAt()).isEqualTo(start.plusSeconds(60));
            assertThat(f.sync(id, V)).isFalse();

            f.clock.advance(Duration.ofSeconds(60));
            int before = f.fake.readsOf(V).size();
            assertThat(f.sync(id, V)).isTrue();
            SyncView resumed = latest(f, id);
            assertThat(resumed.kind()).isEqualTo("initial");
            assertThat(resumed.status()).isEqualTo("succeeded");
            assertThat(resumed.recordsSeen()).isEqualTo(4);
            assertThat(resumed.progress()).isEqualTo(1.0);
            assertThat(f.sleeps).containsExactly(secs(1), secs(2), secs(4), secs(8));
            List<ReadRequest> reads = f.fake.readsOf(V).subList(before, f.fake.readsOf(V).size());
            // page 1 is not read again: the run continues from the checkpoint as-is
            assertThat(reads.get(0).cursor()).isEqualTo(Cursor.parse(st.cursor()));
            assertThat(reads.get(0).since()).isNotNull();
            assertThat(reads).hasSize(2);
            assertThat(stored(f, id)).isEqualTo(10);
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            V,
                                            new RecordQuery(
                                                    100, null, null, null, true, false, Map.of()))
                                    .data())
                    .extracting(r -> r.get("remote_id").asText())
                    .doesNotHaveDuplicates()
                    .hasSize(10);
            assertThat(state(f, id).initialDone()).isTrue();
            assertThat(state(f, id).consecutiveFailures()).isZero();
            assertThat(f.connections().syncs("org_a", id, 10))
                    .extracting(SyncView::status)
                    .containsExactly("succeeded", "failed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void transientFailuresHonourRetryAfterAndRepeatedOnesDegradeTheConnection(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 2);
            String id = f.connect("org_a", V).connection().id();
            f.fake.failRead(
                    V,
                    1,
                    ConnectorException.rateLimited("429 from source", Duration.ofMinutes(15)));
            Instant t = f.clock.instant();
            assertThat(f.sync(id, V)).isTrue();
            assertThat(latest(f, id).status()).isEqualTo("failed");
            assertThat(state(f, id).nextRunAt()).isEqualTo(t.plus(Duration.ofMinutes(15)));
            assertThat(state(f, id).lastError()).isEqualTo("429 from source");

            for (int i = 2; i <= 3; i++) {
                f.clock.advance(Duration.ofMinutes(15));
                for (int n = 1; n <= SyncEngine.READ_ATTEMPTS; n++) {
                    f.fake.failRead(V, n, ConnectorException.sourceUnavailable("down", null));
                }
                assertThat(f.sync(id, V)).isTrue();
            }
            ConnectionView v = f.connections().find("org_a", id).orElseThrow();
            assertThat(v.status()).isEqualTo("degraded");
            assertThat(v.statusReason()).contains("the last 3 syncs of vendors failed");
            // degraded connections keep syncing, and recover
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(f.sync(id, V)).isTrue();
            assertThat(latest(f, id).status()).isEqualTo("succeeded");
            assertThat(f.connections().find("org_a", id).orElseThrow().status())
                    .isEqualTo("active");
            assertThat(f.connections().statusHistory("org_a", id))
                    .extracting(e -> e.status())
                    .containsExactly("active", "degraded", "active");
        }
    }

    private static Duration secs(long n) {
        return Duration.ofSeconds(n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aStormOf429sIsRiddenOutWithinTheRunHonouringRetryAfterAndBackingOff(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 10); // 4 pages of 3
            String id = f.connect("org_a", V).connection().id();
            // page 2 is refused twice with Retry-After 20 s, page 3 once without one (503)
            f.fake.failRead(V, 2, ConnectorException.rateLimited("HTTP 429", secs(20)));
            f.fake.failRead(V, 3, ConnectorException.rateLimited("HTTP 429", secs(20)));
            f.fake.failRead(V, 5, ConnectorException.sourceUnavailable("HTTP 503", null));
            assertThat(f.sync(id, V)).isTrue();

            // Retry-After when longer than the backoff (20 s, then 20 s over 2 s), else the
            // backoff, which starts again at 1 s for each page
            assertThat(f.sleeps).containsExactly(secs(20), secs(20), secs(1));
            SyncView run = latest(f, id);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.recordsSeen()).isEqualTo(10);
            assertThat(f.fake.readsOf(V)).hasSize(7);
            assertThat(stored(f, id)).isEqualTo(10);
            assertThat(f.connections().syncs("org_a", id, 10)).hasSize(1);
            assertThat(state(f, id).consecutiveFailures()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void deletesASourceCannotReportAreFoundByADailyReconciliationOfIdSets(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            FakeConnector silent = new FakeConnector(f.clock, false);
            f.registry.install(silent); // replaces the fake: vendors' deletes are not reported
            for (int i = 1; i <= 10; i++) {
                String rid = String.format("V%02d", i);
                silent.put(V, rid, FakeConnector.vendor("Vendor " + i, "active"));
            }
            String id = f.connect("org_a", V).connection().id();
            assertThat(f.sync(id, V)).isTrue();
            assertThat(stored(f, id)).isEqualTo(10);

            silent.remove(V, "V03");
            silent.remove(V, "V07");
            // incremental syncs cannot see them, and no reconciliation is due within the day
            f.clock.advance(Duration.ofHours(1));
            f.assertSynced(id, V);
            assertThat(stored(f, id)).isEqualTo(10);
            assertThat(latest(f, id).recordsDeleted()).isZero();

            // a day after the first sync, the run reconciles: it lists every id at the source
            f.clock.advance(Duration.ofHours(23));
            f.assertSynced(id, V);
            SyncView run = latest(f, id);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.recordsDeleted()).isEqualTo(2);
            // the rows stay, marked deleted
            assertThat(stored(f, id)).isEqualTo(10);
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            V,
                                            new RecordQuery(
                                                    100, null, null, null, false, false, Map.of()))
                                    .data())
                    .hasSize(8);
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            V,
                                            new RecordQuery(
                                                    100, null, null, null, true, false, Map.of()))
                                    .data())
                    .filteredOn(r -> r.hasNonNull("deleted_at"))
                    .extracting(r -> r.get("remote_id").asText())
                    .containsExactlyInAnyOrder("V03", "V07");

            // the next reconciliation is a day later again
            f.clock.advance(Duration.ofHours(1));
            silent.remove(V, "V01");
            f.assertSynced(id, V);
            assertThat(latest(f, id).recordsDeleted()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eachConnectionReconcilesAtItsOwnInterval(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            FakeConnector silent = new FakeConnector(f.clock, false);
            f.registry.install(silent);
            for (int i = 1; i <= 6; i++) {
                silent.put(
                        V,
                        String.format("V%02d", i),
                        FakeConnector.vendor("Vendor " + i, "active"));
            }
            // one connection reconciles hourly, the other keeps the default (daily)
            String hourly =
                    f.connections()
                            .create(
                                    "org_a",
                                    new NewConnection(
                                            FakeConnector.SYSTEM,
                                            "cust-1",
                                            null,
                                            null,
                                            Fixture.goodCredentials(),
                                            new SyncSettings(30, 60, Set.of(V), 3600)))
                            .connection()
                            .id();
            String daily = f.connect("org_a", V).connection().id();
            assertThat(
                            f.connections()
                                    .find("org_a", hourly)
                                    .orElseThrow()
                                    .sync()
                                    .reconcileSeconds())
                    .isEqualTo(3600);
            assertThat(f.connections().find("org_a", daily).orElseThrow().sync().reconcileSeconds())
                    .isEqualTo(SyncSettings.DEFAULT_RECONCILE_SECONDS);
            assertThat(f.sync(hourly, V)).isTrue();
            assertThat(f.sync(daily, V)).isTrue();

            silent.remove(V, "V02");
            f.clock.advance(Duration.ofMinutes(61));
            f.assertSynced(hourly, V);
            f.assertSynced(daily, V);
            assertThat(latest(f, hourly).recordsDeleted()).isEqualTo(1);
            assertThat(latest(f, daily).recordsDeleted()).isZero();
        }
    }

    @Test
    void aReconciliationIntervalBelowAMinuteIsRefused() throws Exception {
        try (Fixture f = new Fixture(TestDatabases.h2("reconcile-" + System.nanoTime()))) {
            EngineException e =
                    catchThrowableOfType(
                            () ->
                                    f.connections()
                                            .create(
                                                    "org_a",
                                                    new NewConnection(
                                                            FakeConnector.SYSTEM,
                                                            "cust-1",
                                                            null,
                                                            null,
                                                            Fixture.goodCredentials(),
                                                            new SyncSettings(
                                                                    30, 60, Set.of(V), 59))),
                            EngineException.class);
            assertThat(e.code()).isEqualTo(EngineException.Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .extracting(org.ironbridge.api.connector.FieldError::field)
                    .containsExactly("sync.reconcile_seconds");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rejectedCredentialsStopTheConnectionsSyncs(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 2);
            String id = f.connect("org_a", V, EntityType.ITEMS).connection().id();
            f.fake.password = "rotated";
            assertThat(f.sync(id, V)).isTrue();
            SyncView failed = latest(f, id);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("rejected the stored credentials");
            ConnectionView v = f.connections().find("org_a", id).orElseThrow();
            assertThat(v.status()).isEqualTo("reauthorization_required");
            // no entity of the connection syncs any more
            assertThat(f.sync(id, EntityType.ITEMS)).isFalse();
            f.clock.advance(Duration.ofHours(2));
            assertThat(new SyncRepository(f.db.dataSource()).due(f.clock.instant(), 10)).isEmpty();
            assertThat(f.sync(id, V)).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void requestedFullSyncsReadEverythingAgainAndLostNodesAreTakenOver(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            seedVendors(f, 5);
            String id = f.connect("org_a", V).connection().id();
            assertThat(f.sync(id, V)).isTrue();
            f.clock.advance(Duration.ofSeconds(1));
            List<SyncView> queued =
                    f.connections().requestSync("org_a", id, java.util.Set.of(), true);
            assertThat(queued)
                    .extracting(SyncView::kind, SyncView::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("full", "queued"));
            int before = f.fake.readsOf(V).size();
            assertThat(f.sync(id, V)).isTrue();
            SyncView full = latest(f, id);
            assertThat(full.id()).isEqualTo(queued.get(0).id());
            assertThat(full.kind()).isEqualTo("full");
            assertThat(full.status()).isEqualTo("succeeded");
            assertThat(full.recordsSeen()).isEqualTo(5);
            assertThat(full.recordsChanged()).isZero();
            ReadRequest first = f.fake.readsOf(V).get(before);
            assertThat(first.cursor()).isNull();
            assertThat(first.since()).isNull();
            // the fake connector does not declare newest-first reads
            assertThat(first.order()).isEqualTo(ReadRequest.Order.OLDEST_FIRST);

            // a node took a sync and died mid-run: its lease expires and another node resumes
            SyncRepository syncs = new SyncRepository(f.db.dataSource());
            f.clock.advance(Duration.ofMinutes(2));
            Instant now = f.clock.instant();
            assertThat(syncs.claim(id, V.collection(), "dead-node", now, now.plusSeconds(30)))
                    .isPresent();
            syncs.startRun(
                    id, V.collection(), "sync_deadrun", "incremental", null, "dead-node", now);
            assertThat(f.sync(id, V)).isFalse(); // leased
            f.clock.advance(Duration.ofSeconds(31));
            assertThat(f.sync(id, V)).isTrue();
            List<SyncView> runs = f.connections().syncs("org_a", id, 10);
            assertThat(runs.get(0).status()).isEqualTo("succeeded");
            assertThat(runs)
                    .filteredOn(r -> r.id().equals("sync_deadrun"))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status()).isEqualTo("failed");
                                assertThat(r.error()).contains("interrupted");
                            });
        }
    }
}
