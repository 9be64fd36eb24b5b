package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.connector.sandbox.internal.SandboxConnectorFactory;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An incremental sync driven by the sandbox's simulated users ({@code activity_per_minute}), on H2
 * and MariaDB: it picks up exactly the purchase orders they created, changed or deleted (compared
 * with snapshots of the source before and after), counts exactly those, and rewrites no other row.
 */
class IncrementalActivitySyncTest {
    static final EntityType PO = EntityType.PURCHASE_ORDERS;

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("activity");
    }

    /** remote id -> canonical fields without updated_at, of every purchase order at the source. */
    private static Map<String, ObjectNode> snapshot(ConnectorSession s) throws Exception {
        Map<String, ObjectNode> out = new HashMap<>();
        for (SourceRecord r : NewestFirstSyncTest.readAllAscending(s)) {
            ObjectNode fields = r.fields().deepCopy();
            fields.remove("updated_at");
            out.put(r.remoteId(), fields);
        }
        return out;
    }

    /** remote id -> stored_at of the stored purchase orders (deleted ones included). */
    private static Map<String, Long> storedAt(Fixture f, String connectionId) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = f.db.dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT remote_id, stored_at FROM records WHERE connection_id = ?"
                                        + " AND entity = ?")) {
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theIncrementalSyncPicksUpExactlyTheChangesOfTheSimulatedUsers(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            RecordingFactory sandbox = new RecordingFactory(new SandboxConnectorFactory());
            f.registry.install(sandbox);
            String id = NewestFirstSyncTest.connect(f, 3000, 40, 0);
            assertThat(f.sync(id, PO)).isTrue();
            assertThat(f.connections().syncs("org_a", id, 1).get(0).status())
                    .isEqualTo("succeeded");
            ConnectorSession source = sandbox.sessions.get(id);
            Map<String, ObjectNode> before = snapshot(source);
            Map<String, Long> storedBefore = storedAt(f, id);
            assertThat(storedBefore).hasSize(before.size());

            // ten minutes of simulated users (40 changes a minute across all entities)
            f.clock.advance(Duration.ofMinutes(10));
            Map<String, ObjectNode> after = snapshot(source);
            Set<String> changed = new HashSet<>();
            Set<String> deleted = new HashSet<>();
            for (Map.Entry<String, ObjectNode> e : after.entrySet()) {
                if (!e.getValue().equals(before.get(e.getKey()))) {
                    changed.add(e.getKey()); // created or changed
                }
            }
            for (String was : before.keySet()) {
                if (!after.containsKey(was)) {
                    deleted.add(was);
                }
            }
            assertThat(changed).as("the users changed purchase orders").hasSizeGreaterThan(5);

            f.assertSynced(id, PO);
            SyncView run = f.connections().syncs("org_a", id, 1).get(0);
            assertThat(run.kind()).isEqualTo("incremental");
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.recordsChanged()).isEqualTo(changed.size());
            assertThat(run.recordsDeleted()).isEqualTo(deleted.size());
            // it read the changes (and the overlap window), not the whole source
            assertThat(run.recordsSeen()).isLessThan(before.size() / 10);

            Map<String, Long> storedAfter = storedAt(f, id);
            Set<String> rewritten = new HashSet<>();
            for (Map.Entry<String, Long> e : storedAfter.entrySet()) {
                if (!e.getValue().equals(storedBefore.get(e.getKey()))) {
                    rewritten.add(e.getKey());
                }
            }
            Set<String> expected = new HashSet<>(changed);
            expected.addAll(deleted);
            assertThat(rewritten).as("rows written by the incremental sync").isEqualTo(expected);
        }
    }
}
