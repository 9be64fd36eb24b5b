package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.connector.sandbox.internal.TestSupport.T0;
import static org.ironbridge.connector.sandbox.internal.TestSupport.open;
import static org.ironbridge.connector.sandbox.internal.TestSupport.readAll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

/** Newest-first initial reads: order, lookback, snapshot mark, and changes made meanwhile. */
class NewestFirstTest {
    private final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();

    private record Walk(List<SourceRecord> records, List<String> deleted, Cursor cursor) {}

    /** Pages newest first, persisting the cursor as the runtime does; stops after maxPages. */
    private static Walk walk(
            ConnectorSession s,
            EntityType e,
            Cursor cursor,
            Instant since,
            int pageSize,
            int maxPages,
            List<Cursor> cursors)
            throws Exception {
        List<SourceRecord> records = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (int pages = 0; pages < maxPages; pages++) {
            ChangePage p =
                    s.read(
                            new ReadRequest(
                                    e, cursor, since, pageSize, ReadRequest.Order.NEWEST_FIRST));
            assertThat(p.records().size() + p.deletedRemoteIds().size())
                    .isLessThanOrEqualTo(pageSize);
            records.addAll(p.records());
            deleted.addAll(p.deletedRemoteIds());
            cursor = Cursor.parse(p.next().serialize());
            cursors.add(cursor);
            if (!p.hasMore()) {
                return new Walk(records, deleted, cursor);
            }
        }
        return new Walk(records, deleted, cursor);
    }

    @Test
    void theDescriptorDeclaresNewestFirstAndARateLimit() {
        for (EntityType e : EntityType.values()) {
            assertThat(SandboxConnectorFactory.DESCRIPTOR.capabilities(e).newestFirst()).isTrue();
        }
        assertThat(SandboxConnectorFactory.DESCRIPTOR.rateLimit())
                .contains(SandboxConnectorFactory.RATE_LIMIT);
    }

    @Test
    void newestFirstReturnsEveryRecordOnceNewestFirstUnderOneSnapshotMark() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        for (EntityType e : EntityType.values()) {
            List<SourceRecord> ascending = readAll(s, e, null, null, 500).records();
            List<Cursor> cursors = new ArrayList<>();
            Walk w = walk(s, e, null, null, 37, Integer.MAX_VALUE, cursors);
            List<SourceRecord> expected = new ArrayList<>(ascending);
            java.util.Collections.reverse(expected);
            assertThat(w.records())
                    .as(e.collection())
                    .extracting(SourceRecord::remoteId)
                    .containsExactlyElementsOf(
                            expected.stream().map(SourceRecord::remoteId).toList());
            assertThat(w.records())
                    .isSortedAccordingTo(
                            Comparator.comparing(SourceRecord::updatedAt)
                                    .thenComparing(SourceRecord::remoteId, RemoteIds.ORDER)
                                    .reversed());
            Instant newest = ascending.get(ascending.size() - 1).updatedAt();
            assertThat(cursors).allSatisfy(c -> assertThat(c.watermark()).contains(newest));
        }
    }

    @Test
    void theLookbackStopsTheWalkAtSince() throws Exception {
        ConnectorSession s = open(factory, clock, "c");
        Instant since = T0.minus(Duration.ofDays(90));
        List<String> expected =
                new ArrayList<>(
                        readAll(s, EntityType.WORK_ORDERS, null, since, 500).records().stream()
                                .map(SourceRecord::remoteId)
                                .toList());
        java.util.Collections.reverse(expected);
        assertThat(expected).hasSizeBetween(30, 100);
        Walk w = walk(s, EntityType.WORK_ORDERS, null, since, 11, 1000, new ArrayList<>());
        assertThat(w.records())
                .extracting(SourceRecord::remoteId)
                .containsExactlyElementsOf(expected);
        assertThat(w.records()).allSatisfy(r -> assertThat(r.updatedAt()).isAfterOrEqualTo(since));
    }

    @Test
    void changesMadeDuringTheWalkArePickedUpByTheIncrementalReadFromTheMark() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "activity_per_minute", "120");
        EntityType e = EntityType.PURCHASE_ORDERS;
        List<Cursor> cursors = new ArrayList<>();
        Walk first = walk(s, e, null, null, 50, 3, cursors);
        assertThat(first.records()).hasSize(150);
        // simulated users change, create and delete records while the initial sync runs
        clock.advance(Duration.ofMinutes(5));
        Walk rest = walk(s, e, first.cursor(), null, 50, Integer.MAX_VALUE, cursors);
        Instant mark = cursors.get(0).watermark().orElseThrow();
        assertThat(cursors).allSatisfy(c -> assertThat(c.watermark()).contains(mark));
        clock.advance(Duration.ofMinutes(1));
        // the runtime's next run: incremental, oldest first, from the mark minus the overlap
        TestSupport.ReadAll incremental =
                readAll(s, e, rest.cursor().minus(Duration.ofMinutes(2)), null, 50);
        assertThat(incremental.records().size() + incremental.deleted().size())
                .as("the activity changed purchase orders")
                .isGreaterThan(0);

        // applying the walk, then the incremental read, gives exactly the source's current state
        Map<String, Instant> store = new HashMap<>();
        for (SourceRecord r : first.records()) {
            store.put(r.remoteId(), r.updatedAt());
        }
        for (SourceRecord r : rest.records()) {
            assertThat(store.put(r.remoteId(), r.updatedAt())).as("read once").isNull();
        }
        rest.deleted().forEach(store::remove);
        for (SourceRecord r : incremental.records()) {
            store.put(r.remoteId(), r.updatedAt());
        }
        incremental.deleted().forEach(store::remove);
        Map<String, Instant> now = new HashMap<>();
        for (SourceRecord r : readAll(s, e, null, null, 500).records()) {
            now.put(r.remoteId(), r.updatedAt());
        }
        assertThat(store).isEqualTo(now);
    }
}
