package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.connector.sandbox.internal.SandboxConnectorFactory;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.SyncRepository;
import org.ironbridge.store.SyncStateRow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Newest-first initial syncs through the real engine and the sandbox (which declares them), on H2
 * and MariaDB: the newest records are stored first, an interrupted initial (or requested full) sync
 * resumes from its checkpoint in the same order, and the incremental syncs after it start from the
 * snapshot mark taken when it began, minus the overlap, so changes made meanwhile are not missed.
 */
class NewestFirstSyncTest {
    static final EntityType PO = EntityType.PURCHASE_ORDERS;

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("newest");
    }

    static String connect(Fixture f, int datasetSize, int activityPerMinute, int initialDays)
            throws Exception {
        Map<String, String> credentials = new HashMap<>();
        credentials.put("username", "demo");
        credentials.put("password", "sandbox");
        credentials.put("dataset_size", Integer.toString(datasetSize));
        credentials.put("activity_per_minute", Integer.toString(activityPerMinute));
        return f.connections()
                .create(
                        "org_a",
                        new NewConnection(
                                "sandbox",
                                "cust-1",
                                null,
                                null,
                                credentials,
                                new SyncSettings(initialDays, 60, Set.of(PO))))
                .connection()
                .id();
    }

    /** remote id -> updated_at of the stored purchase orders. */
    static Map<String, Long> stored(Fixture f, String connectionId) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = f.db.dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT remote_id, updated_at FROM records WHERE connection_id = ?"
                                        + " AND entity = ? AND deleted_at IS NULL")) {
            ps.setString(1, connectionId);
            ps.setString(2, PO.collection());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    static List<SourceRecord> readAllAscending(ConnectorSession s) throws Exception {
        List<SourceRecord> all = new ArrayList<>();
        Cursor cursor = null;
        while (true) {
            var p = s.read(new ReadRequest(PO, cursor, null, 1000));
            all.addAll(p.records());
            cursor = p.next();
            if (!p.hasMore()) {
                return all;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theInitialSyncStoresTheNewestFirstResumesInOrderAndHandsOverAtTheMark(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            RecordingFactory sandbox = new RecordingFactory(new SandboxConnectorFactory());
            f.registry.install(sandbox);
            String id = connect(f, 2000, 0, 0);
            List<SourceRecord> source = readAllAscending(sandbox.sessions.get(id));
            assertThat(source).hasSize(2000);
            sandbox.reads.clear();

            // the third page fails: the run ends, its two checkpointed pages stay
            sandbox.failRead(3);
            assertThat(f.sync(id, PO)).isTrue();
            SyncView failed = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(failed.kind()).isEqualTo("initial");
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(sandbox.reads)
                    .hasSize(3)
                    .allSatisfy(
                            r -> assertThat(r.order()).isEqualTo(ReadRequest.Order.NEWEST_FIRST));
            // what is stored after two pages is the 1000 newest purchase orders
            List<String> newest =
                    source.stream()
                            .sorted(
                                    Comparator.comparing(SourceRecord::updatedAt)
                                            .thenComparing(SourceRecord::remoteId)
                                            .reversed())
                            .limit(1000)
                            .map(SourceRecord::remoteId)
                            .toList();
            assertThat(stored(f, id).keySet()).containsExactlyInAnyOrderElementsOf(newest);
            SyncStateRow state =
                    new SyncRepository(f.db.dataSource()).state(id, PO.collection()).orElseThrow();
            assertThat(state.cursorNewestFirst()).isTrue();
            assertThat(state.cursorComplete()).isFalse();
            Instant mark = source.get(source.size() - 1).updatedAt();
            assertThat(Cursor.parse(state.cursor()).watermark()).contains(mark);

            // the retry continues newest first from the checkpoint, not from the top
            sandbox.reads.clear();
            f.clock.advance(Duration.ofMinutes(2));
            assertThat(f.sync(id, PO)).isTrue();
            SyncView resumed = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(resumed.kind()).isEqualTo("initial");
            assertThat(resumed.status()).isEqualTo("succeeded");
            assertThat(resumed.recordsSeen()).isEqualTo(1000);
            assertThat(sandbox.reads.get(0).order()).isEqualTo(ReadRequest.Order.NEWEST_FIRST);
            assertThat(sandbox.reads.get(0).cursor()).isEqualTo(Cursor.parse(state.cursor()));
            assertThat(stored(f, id)).hasSize(2000);

            // the next run is incremental, oldest first, from the snapshot mark minus the overlap
            sandbox.reads.clear();
            f.clock.advance(Duration.ofMinutes(1));
            f.assertSynced(id, PO);
            SyncView incremental = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(incremental.kind()).isEqualTo("incremental");
            assertThat(incremental.recordsChanged()).isZero();
            ReadRequest first = sandbox.reads.get(0);
            assertThat(first.order()).isEqualTo(ReadRequest.Order.OLDEST_FIRST);
            assertThat(first.cursor().watermark()).contains(mark.minus(SyncEngine.OVERLAP));
            assertThat(first.cursor().state()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRequestedFullSyncAlsoReadsNewestFirstResumesInOrderAndHandsOverAtItsMark(
            DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            RecordingFactory sandbox = new RecordingFactory(new SandboxConnectorFactory());
            f.registry.install(sandbox);
            String id = connect(f, 1200, 0, 0);
            assertThat(f.sync(id, PO)).isTrue();
            assertThat(f.connections().syncs("org_a", id, 1).get(0).status())
                    .isEqualTo("succeeded");

            // a change at the source, then a full sync whose second page fails
            f.clock.advance(Duration.ofMinutes(5));
            com.fasterxml.jackson.databind.node.ObjectNode change =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            change.putObject("custom_fields").put("note", "changed before the full sync");
            SourceRecord changed = sandbox.sessions.get(id).update(PO, "PO-0000007", change);
            f.connections().requestSync("org_a", id, Set.of(), true);
            sandbox.reads.clear();
            sandbox.failRead(2);
            assertThat(f.sync(id, PO)).isTrue();
            SyncView failed = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(failed.kind()).isEqualTo("full");
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(sandbox.reads).hasSize(2);
            ReadRequest first = sandbox.reads.get(0);
            assertThat(first.order()).isEqualTo(ReadRequest.Order.NEWEST_FIRST);
            assertThat(first.cursor()).isNull();
            assertThat(first.since()).isNull();
            SyncStateRow state =
                    new SyncRepository(f.db.dataSource()).state(id, PO.collection()).orElseThrow();
            assertThat(state.cursorNewestFirst()).isTrue();
            assertThat(state.cursorComplete()).isFalse();
            // the snapshot mark is the newest change when the full sync began
            Instant mark = changed.updatedAt();
            assertThat(Cursor.parse(state.cursor()).watermark()).contains(mark);

            // the retry is still the full sync, newest first from its checkpoint
            sandbox.reads.clear();
            f.clock.advance(Duration.ofMinutes(2));
            assertThat(f.sync(id, PO)).isTrue();
            SyncView resumed = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(resumed.kind()).isEqualTo("full");
            assertThat(resumed.status()).isEqualTo("succeeded");
            assertThat(resumed.recordsSeen()).isEqualTo(700);
            assertThat(sandbox.reads.get(0).order()).isEqualTo(ReadRequest.Order.NEWEST_FIRST);
            assertThat(sandbox.reads.get(0).cursor()).isEqualTo(Cursor.parse(state.cursor()));

            // then incremental again, oldest first, from the full sync's mark minus the overlap
            sandbox.reads.clear();
            f.clock.advance(Duration.ofMinutes(1));
            f.assertSynced(id, PO);
            SyncView incremental = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(incremental.kind()).isEqualTo("incremental");
            ReadRequest next = sandbox.reads.get(0);
            assertThat(next.order()).isEqualTo(ReadRequest.Order.OLDEST_FIRST);
            assertThat(next.cursor().watermark()).contains(mark.minus(SyncEngine.OVERLAP));
            assertThat(stored(f, id)).hasSize(1200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void changesMadeWhileTheInitialSyncRunsArePickedUpByTheFirstIncremental(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            RecordingFactory sandbox = new RecordingFactory(new SandboxConnectorFactory());
            f.registry.install(sandbox);
            String id = connect(f, 2000, 120, 0);
            // the initial sync is interrupted after two pages; simulated users work meanwhile
            sandbox.failRead(3);
            assertThat(f.sync(id, PO)).isTrue();
            f.clock.advance(Duration.ofMinutes(10));
            assertThat(f.sync(id, PO)).isTrue();
            assertThat(f.connections().syncs("org_a", id, 1).get(0).status())
                    .isEqualTo("succeeded");
            f.clock.advance(Duration.ofMinutes(1));
            f.assertSynced(id, PO);
            assertThat(f.connections().syncs("org_a", id, 1).get(0).kind())
                    .isEqualTo("incremental");

            // the store now holds exactly what the source holds
            Map<String, Long> expected = new HashMap<>();
            for (SourceRecord r : readAllAscending(sandbox.sessions.get(id))) {
                expected.put(r.remoteId(), org.ironbridge.store.Micros.of(r.updatedAt()));
            }
            assertThat(expected.size()).isGreaterThan(2000 - 50);
            assertThat(stored(f, id)).isEqualTo(expected);
        }
    }
}
