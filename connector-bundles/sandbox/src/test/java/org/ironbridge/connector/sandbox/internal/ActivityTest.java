package org.ironbridge.connector.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.connector.sandbox.internal.TestSupport.T0;
import static org.ironbridge.connector.sandbox.internal.TestSupport.open;
import static org.ironbridge.connector.sandbox.internal.TestSupport.readAll;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

class ActivityTest {
    private final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    private final SandboxConnectorFactory factory = new SandboxConnectorFactory();

    /** Initial sync of every entity: the cursors to read changes from. */
    private static Map<EntityType, Cursor> sync(ConnectorSession s) throws Exception {
        Map<EntityType, Cursor> cursors = new EnumMap<>(EntityType.class);
        for (EntityType e : EntityType.values()) {
            cursors.put(e, readAll(s, e, null, null, 1000).cursor());
        }
        return cursors;
    }

    /** What an incremental read of every entity returned. */
    private record Changes(Map<String, SourceRecord> records, Set<String> deleted) {}

    private static Changes readChanges(ConnectorSession s, Map<EntityType, Cursor> cursors)
            throws Exception {
        Map<String, SourceRecord> records = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        for (EntityType e : EntityType.values()) {
            TestSupport.ReadAll r = readAll(s, e, cursors.get(e), null, 7);
            for (SourceRecord rec : r.records()) {
                assertThat(records.put(e.collection() + "/" + rec.remoteId(), rec)).isNull();
            }
            r.deleted().forEach(id -> deleted.add(e.collection() + "/" + id));
            cursors.put(e, r.cursor());
        }
        return new Changes(records, deleted);
    }

    /** The last event of each record touched by the activity log, keyed like {@link Changes}. */
    private static Map<String, Activity.Event> lastEvents(List<Activity.Event> log) {
        Map<String, Activity.Event> last = new HashMap<>();
        for (Activity.Event e : log) {
            last.put(e.entity().collection() + "/" + e.remoteId(), e);
        }
        return last;
    }

    private static void assertMatches(Changes changes, List<Activity.Event> events) {
        Map<String, Activity.Event> last = lastEvents(events);
        Set<String> expectDeleted = new HashSet<>();
        Set<String> expectChanged = new HashSet<>();
        last.forEach((k, e) -> (e.deleted() ? expectDeleted : expectChanged).add(k));
        assertThat(changes.deleted()).isEqualTo(expectDeleted);
        assertThat(changes.records().keySet()).isEqualTo(expectChanged);
        changes.records()
                .forEach(
                        (k, r) -> {
                            assertThat(r.updatedAt()).as(k).isEqualTo(last.get(k).at());
                            if (last.get(k).summary().startsWith("status ")) {
                                String to = last.get(k).summary().replaceAll(".*-> ", "");
                                assertThat(r.fields().get("status").asText()).as(k).isEqualTo(to);
                            }
                        });
    }

    @Test
    void activityChangesExactlyWhatItLogsAndIncrementalReadsSeeOnlyThat() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "activity_per_minute", "10");
        Map<EntityType, Cursor> cursors = sync(s);
        SandboxSystem system = factory.system("c");
        assertThat(system.activityLog()).isEmpty();

        clock.set(T0.plus(Duration.ofMinutes(3)).minusMillis(1));
        Changes changes = readChanges(s, cursors);
        List<Activity.Event> log = system.activityLog();

        assertThat(log).hasSize(30);
        assertThat(log)
                .allSatisfy(
                        e ->
                                assertThat(e.at())
                                        .isAfterOrEqualTo(T0)
                                        .isBefore(T0.plus(Duration.ofMinutes(3))));
        for (int m = 0; m < 3; m++) {
            Instant from = T0.plus(Duration.ofMinutes(m));
            Instant to = from.plus(Duration.ofMinutes(1));
            assertThat(log.stream().filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)))
                    .as("minute " + m)
                    .hasSize(10);
        }
        assertThat(log)
                .extracting(Activity.Event::kind)
                .contains(Activity.Kind.PURCHASE_ORDER_PROGRESS, Activity.Kind.WORK_ORDER_PROGRESS);
        assertMatches(changes, log);

        Changes none = readChanges(s, cursors);
        assertThat(none.records()).isEmpty();
        assertThat(none.deleted()).isEmpty();
    }

    @Test
    void activityIsDeterministicForASeed() throws Exception {
        List<String> first = history(new SandboxConnectorFactory());
        List<String> second = history(new SandboxConnectorFactory());
        assertThat(first).hasSize(50).isEqualTo(second);
    }

    private List<String> history(SandboxConnectorFactory f) throws Exception {
        TestSupport.MutableClock c = new TestSupport.MutableClock(T0);
        ConnectorSession s = open(f, c, "c", "activity_per_minute", "25");
        c.set(T0.plus(Duration.ofSeconds(119)));
        s.get(EntityType.VENDORS, "VEN-000001");
        return f.system("c").activityLog().stream()
                .map(e -> e.at() + " " + e.kind() + " " + e.remoteId() + " " + e.summary())
                .toList();
    }

    @Test
    void readsInTheMiddleOfAMinuteMissNothing() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "activity_per_minute", "40");
        Map<EntityType, Cursor> cursors = sync(s);
        Map<String, SourceRecord> seen = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(17));
            Changes c = readChanges(s, cursors);
            seen.putAll(c.records());
            c.records().keySet().forEach(deleted::remove);
            deleted.addAll(c.deleted());
            c.deleted().forEach(seen::remove);
        }
        List<Activity.Event> log = factory.system("c").activityLog();
        assertThat(log).hasSizeGreaterThan(100);
        assertMatches(new Changes(seen, deleted), log);
    }

    @Test
    void aFullReadAfterActivityReturnsEveryLiveRecordOnce() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "activity_per_minute", "100");
        clock.advance(Duration.ofMinutes(10));
        s.verify();
        SandboxSystem system = factory.system("c");
        for (EntityType e : EntityType.values()) {
            List<SourceRecord> all = readAll(s, e, null, null, 97).records();
            List<String> ids = all.stream().map(SourceRecord::remoteId).toList();
            assertThat(ids).as(e.collection()).doesNotHaveDuplicates();
            long created =
                    system.activityLog().stream()
                            .filter(ev -> ev.entity() == e && ev.summary().equals("created"))
                            .count();
            long deleted =
                    system.activityLog().stream()
                            .filter(ev -> ev.entity() == e && ev.deleted())
                            .count();
            assertThat((long) ids.size())
                    .as(e.collection())
                    .isEqualTo(system.generator().count(e) + created - deleted);
            assertThat(all)
                    .isSortedAccordingTo(
                            java.util.Comparator.comparing(SourceRecord::updatedAt)
                                    .thenComparing(SourceRecord::remoteId));
        }
    }

    @Test
    void noActivityWhenTheRateIsZero() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "activity_per_minute", "0");
        Map<EntityType, Cursor> cursors = sync(s);
        clock.advance(Duration.ofMinutes(30));
        Changes changes = readChanges(s, cursors);
        assertThat(changes.records()).isEmpty();
        assertThat(changes.deleted()).isEmpty();
        assertThat(factory.system("c").activityLog()).isEmpty();
    }

    @Test
    void deletionsByTheActivityAreReportedAndGone() throws Exception {
        ConnectorSession s = open(factory, clock, "c", "activity_per_minute", "200");
        Map<EntityType, Cursor> cursors = sync(s);
        clock.advance(Duration.ofMinutes(5));
        Changes changes = readChanges(s, cursors);
        assertThat(changes.deleted()).isNotEmpty();
        for (String key : changes.deleted()) {
            String[] parts = key.split("/");
            EntityType e = EntityType.ofCollection(parts[0]).orElseThrow();
            assertThat(
                            org.assertj.core.api.Assertions.catchThrowableOfType(
                                            org.ironbridge.api.connector.ConnectorException.class,
                                            () -> s.get(e, parts[1]))
                                    .kind())
                    .isEqualTo(org.ironbridge.api.connector.ConnectorException.Kind.NOT_FOUND);
        }
        // new records made by the activity are consistent like the base data
        for (SourceRecord r : changes.records().values()) {
            if (r.remoteId().startsWith("PO-") && r.createdAt().isAfter(T0.minusMillis(1))) {
                assertThat(r.fields().get("lines").size()).isPositive();
                assertThat(s.get(EntityType.VENDORS, r.fields().get("vendor_id").asText()))
                        .isNotNull();
            }
        }
    }
}
