package org.ironbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The repositories on H2 and on MariaDB, each test on a fresh database. */
class RepositoriesTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.all("repos_" + COUNTER.incrementAndGet());
    }

    private static PooledDatabase open(DatabaseSettings settings) {
        PooledDatabase db = new PooledDatabase(settings);
        db.migrate();
        new OrganizationRepository(db.dataSource())
                .createWithAdminKey("org_a", "A", 10, "key_a", "a".repeat(64), "ibk_a", T0);
        new OrganizationRepository(db.dataSource())
                .createWithAdminKey("org_b", "B", 10, "key_b", "b".repeat(64), "ibk_b", T0);
        return db;
    }

    private static ConnectionRow row(String id, String org, int credits, Instant created) {
        return new ConnectionRow(
                id,
                org,
                "sandbox",
                "cust-1",
                "Sandbox " + id,
                "cloud",
                null,
                ConnectionRow.ACTIVE,
                "connected",
                created,
                credits,
                ("h" + id).repeat(64).substring(0, 64),
                "ibt_abcd",
                "v1:secret",
                90,
                300,
                List.of("vendors", "items"),
                created,
                null,
                null,
                null,
                86_400); // reconcile daily
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void connectionsAreCreatedWithinCreditsListedNewestFirstAndIsolatedByOrganization(
            DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            ConnectionRepository repo = new ConnectionRepository(db.dataSource());
            AtomicInteger runs = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                assertThat(
                                repo.create(
                                        row("conn_" + i, "org_a", 2, T0.plusSeconds(i)),
                                        List.of("vendors", "items"),
                                        () -> "run_" + runs.incrementAndGet()))
                        .isInstanceOf(ConnectionRepository.Created.class);
            }
            assertThat(repo.creditsUsed("org_a")).isEqualTo(8);
            // 10 - 8 = 2 credits left: a connection costing 3 does not fit
            assertThat(
                            repo.create(
                                    row("conn_x", "org_a", 3, T0.plusSeconds(9)),
                                    List.of(),
                                    () -> "run_x"))
                    .isEqualTo(new ConnectionRepository.InsufficientCredits(10, 8));
            assertThat(repo.find("conn_x")).isEmpty();
            assertThat(repo.create(row("conn_y", "org_nope", 1, T0), List.of(), () -> "run_y"))
                    .isInstanceOf(ConnectionRepository.NoOrganization.class);

            // every entity got a sync state with a queued initial run
            SyncRepository syncs = new SyncRepository(db.dataSource());
            assertThat(syncs.states("conn_0"))
                    .extracting(SyncStateRow::entity)
                    .containsExactly("items", "vendors");
            assertThat(syncs.runs("conn_0", 10))
                    .allSatisfy(
                            r -> {
                                assertThat(r.status()).isEqualTo(SyncRunRow.QUEUED);
                                assertThat(r.kind()).isEqualTo(SyncRunRow.INITIAL);
                            })
                    .hasSize(2);

            List<ConnectionRow> first = repo.list("org_a", null, null, null, null, null, 3);
            assertThat(first)
                    .extracting(ConnectionRow::id)
                    .containsExactly("conn_3", "conn_2", "conn_1");
            ConnectionRow last = first.get(2);
            assertThat(repo.list("org_a", null, null, null, last.createdAt(), last.id(), 3))
                    .extracting(ConnectionRow::id)
                    .containsExactly("conn_0");
            assertThat(repo.list("org_b", null, null, null, null, null, 10)).isEmpty();
            assertThat(repo.find("org_b", "conn_1")).isEmpty();
            assertThat(repo.find("org_a", "conn_1"))
                    .hasValueSatisfying(
                            c -> {
                                assertThat(c.syncEntities()).containsExactly("vendors", "items");
                                assertThat(c.credentials()).isEqualTo("v1:secret");
                                assertThat(c.createdAt()).isEqualTo(T0.plusSeconds(1));
                            });
            assertThat(repo.findByTokenHash(row("conn_2", "", 0, T0).tokenHash()))
                    .map(ConnectionRow::id)
                    .contains("conn_2");
            assertThat(repo.hasSystem("org_a", "sandbox")).isTrue();
            assertThat(repo.hasSystem("org_b", "sandbox")).isFalse();

            // status changes are conditional and recorded; disconnecting returns the credits
            Instant later = T0.plusSeconds(100);
            assertThat(
                            repo.changeStatus(
                                    "conn_1",
                                    Set.of(ConnectionRow.ACTIVE, ConnectionRow.DEGRADED),
                                    ConnectionRow.REAUTHORIZATION_REQUIRED,
                                    "password changed",
                                    later))
                    .isTrue();
            assertThat(
                            repo.changeStatus(
                                    "conn_1",
                                    Set.of(ConnectionRow.ACTIVE, ConnectionRow.DEGRADED),
                                    ConnectionRow.REAUTHORIZATION_REQUIRED,
                                    "again",
                                    later))
                    .isFalse();
            assertThat(
                            repo.changeStatus(
                                    "conn_1",
                                    Set.of(
                                            ConnectionRow.ACTIVE,
                                            ConnectionRow.REAUTHORIZATION_REQUIRED),
                                    ConnectionRow.DISCONNECTED,
                                    "disconnected by the organization",
                                    later.plusSeconds(1)))
                    .isTrue();
            assertThat(repo.find("conn_1").orElseThrow().disconnectedAt())
                    .isEqualTo(later.plusSeconds(1));
            assertThat(repo.creditsUsed("org_a")).isEqualTo(6);
            assertThat(repo.statusHistory("conn_1"))
                    .extracting(StatusChange::status)
                    .containsExactly("active", "reauthorization_required", "disconnected");
            assertThat(repo.list("org_a", null, null, "disconnected", null, null, 10))
                    .extracting(ConnectionRow::id)
                    .containsExactly("conn_1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void syncLeasesCheckpointsAndRuns(DatabaseSettings settings) throws Exception {
        try (PooledDatabase db = open(settings)) {
            ConnectionRepository conns = new ConnectionRepository(db.dataSource());
            conns.create(row("conn_1", "org_a", 1, T0), List.of("vendors"), () -> "run_1");
            SyncRepository syncs = new SyncRepository(db.dataSource());

            assertThat(syncs.due(T0, 10))
                    .containsExactly(new SyncRepository.Key("conn_1", "vendors"));
            Instant lease = T0.plusSeconds(60);
            assertThat(syncs.claim("conn_1", "vendors", "node-a", T0, lease)).isPresent();
            // the other node cannot claim while the lease holds
            assertThat(syncs.claim("conn_1", "vendors", "node-b", T0.plusSeconds(1), lease))
                    .isEmpty();
            assertThat(syncs.due(T0.plusSeconds(1), 10)).isEmpty();

            SyncRunRow run =
                    syncs.startRun(
                            "conn_1", "vendors", "run_new", SyncRunRow.INITIAL, null, "node-a", T0);
            assertThat(run.id()).isEqualTo("run_1"); // the queued run was started
            assertThat(run.status()).isEqualTo(SyncRunRow.RUNNING);

            boolean ok =
                    Jdbc.inTransaction(
                            db.dataSource(),
                            "checkpoint",
                            c ->
                                    SyncRepository.checkpoint(
                                            c, "conn_1", "vendors", "run_1", "v1.5.", 10, 7, 1, 30,
                                            "node-a", T0, lease));
            assertThat(ok).isTrue();
            // 10 records seen, 30 remaining
            assertThat(syncs.run("run_1").orElseThrow().progressPermille()).isEqualTo(250);
            boolean stolen =
                    Jdbc.inTransaction(
                            db.dataSource(),
                            "checkpoint",
                            c ->
                                    SyncRepository.checkpoint(
                                            c, "conn_1", "vendors", "run_1", "v1.6.", 1, 1, 0, -1,
                                            "node-b", T0, lease));
            assertThat(stolen).isFalse();
            SyncStateRow s = syncs.state("conn_1", "vendors").orElseThrow();
            assertThat(s.cursor()).isEqualTo("v1.5.");
            assertThat(s.cursorComplete()).isFalse();
            assertThat(s.initialDone()).isFalse();

            int failures =
                    syncs.fail(
                            "conn_1",
                            "vendors",
                            "run_1",
                            "source_unavailable",
                            "down",
                            "node-a",
                            T0.plusSeconds(2),
                            T0.plusSeconds(300));
            assertThat(failures).isEqualTo(1);
            SyncRunRow failed = syncs.run("run_1").orElseThrow();
            assertThat(failed.status()).isEqualTo(SyncRunRow.FAILED);
            assertThat(failed.recordsSeen()).isEqualTo(10);
            assertThat(failed.recordsChanged()).isEqualTo(7);
            assertThat(failed.recordsDeleted()).isEqualTo(1);
            assertThat(failed.errorCode()).isEqualTo("source_unavailable");
            s = syncs.state("conn_1", "vendors").orElseThrow();
            assertThat(s.cursor()).isEqualTo("v1.5."); // the checkpoint is kept
            assertThat(s.nextRunAt()).isEqualTo(T0.plusSeconds(300));
            assertThat(s.leaseOwner()).isNull();
            assertThat(syncs.due(T0.plusSeconds(299), 10)).isEmpty();

            // a requested run is due at once and queued
            Instant t1 = T0.plusSeconds(10);
            SyncRunRow queued =
                    syncs.request("conn_1", "vendors", SyncRunRow.FULL, "run_2", t1).orElseThrow();
            assertThat(queued.status()).isEqualTo(SyncRunRow.QUEUED);
            assertThat(syncs.state("conn_1", "vendors").orElseThrow().requestedKind())
                    .isEqualTo(SyncRunRow.FULL);
            assertThat(syncs.claim("conn_1", "vendors", "node-b", t1, t1.plusSeconds(60)))
                    .isPresent();
            syncs.startRun("conn_1", "vendors", "run_3", SyncRunRow.FULL, null, "node-b", t1);
            syncs.succeed(
                    "conn_1",
                    "vendors",
                    "run_2",
                    SyncRunRow.FULL,
                    "node-b",
                    t1.plusSeconds(1),
                    t1.plusSeconds(301));
            s = syncs.state("conn_1", "vendors").orElseThrow();
            assertThat(s.cursorComplete()).isTrue();
            assertThat(s.initialDone()).isTrue();
            assertThat(s.requestedKind()).isNull();
            assertThat(s.consecutiveFailures()).isZero();
            assertThat(s.lastSuccessAt()).isEqualTo(t1.plusSeconds(1));
            assertThat(s.nextRunAt()).isEqualTo(t1.plusSeconds(301));
            assertThat(syncs.runs("conn_1", 10))
                    .extracting(SyncRunRow::id, SyncRunRow::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("run_2", "succeeded"),
                            org.assertj.core.groups.Tuple.tuple("run_1", "failed"));
            assertThat(syncs.latestRuns(List.of("conn_1")).get("conn_1").get("vendors").id())
                    .isEqualTo("run_2");

            // disconnected connections are never due
            conns.changeStatus(
                    "conn_1", Set.of(ConnectionRow.ACTIVE), ConnectionRow.DISCONNECTED, "x", t1);
            assertThat(syncs.due(t1.plusSeconds(1000), 10)).isEmpty();
        }
    }

    private static List<StoredRecord> listFiltered(
            RecordRepository records, String field, String value) {
        return records.list(
                "conn_1",
                "purchase-orders",
                new RecordListQuery(
                        null, null, null, null, false, Map.of(field, value), false, 100));
    }

    private static RecordWrite write(
            boolean insert, String id, String status, Instant updated, Instant deleted) {
        Map<String, String> filters = new HashMap<>();
        filters.put("remote_id", "r" + id);
        if (status != null) {
            filters.put("status", status);
        }
        filters.put("vendor_id", "ven_1");
        return new RecordWrite(
                insert,
                id,
                "r" + id,
                T0,
                updated,
                deleted,
                "0".repeat(64),
                "{\"id\":\"" + id + "\"}",
                "{\"raw\":true}",
                filters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void recordsArePagedByUpdatedAtAndIdFilteredAndIsolated(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            RecordRepository records = new RecordRepository(db.dataSource());
            List<RecordWrite> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // pairs of records share an updated_at, so the id breaks ties
                writes.add(
                        write(
                                true,
                                String.format("po_%02d", i),
                                i % 3 == 0 ? "approved" : "draft",
                                T0.plusSeconds(i / 2),
                                i == 5 ? T0 : null));
            }
            records.write("conn_1", "purchase-orders", writes, T0);
            records.write(
                    "conn_2",
                    "purchase-orders",
                    List.of(write(true, "po_99", "approved", T0, null)),
                    T0);

            List<String> seen = new ArrayList<>();
            Instant after = null;
            String afterId = null;
            while (true) {
                List<StoredRecord> page =
                        records.list(
                                "conn_1",
                                "purchase-orders",
                                new RecordListQuery(
                                        after, afterId, null, null, false, Map.of(), false, 7));
                page.forEach(r -> seen.add(r.id()));
                if (page.size() < 7) {
                    break;
                }
                after = page.get(page.size() - 1).updatedAt();
                afterId = page.get(page.size() - 1).id();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                if (i != 5) {
                    expected.add(String.format("po_%02d", i));
                }
            }
            assertThat(seen).containsExactlyElementsOf(expected);

            List<StoredRecord> approved =
                    records.list(
                            "conn_1",
                            "purchase-orders",
                            new RecordListQuery(
                                    null,
                                    null,
                                    null,
                                    null,
                                    true,
                                    Map.of("status", "approved", "vendor_id", "ven_1"),
                                    true,
                                    100));
            assertThat(approved)
                    .extracting(StoredRecord::id)
                    .containsExactly("po_00", "po_03", "po_06", "po_09", "po_12", "po_15", "po_18");
            assertThat(approved.get(0).raw()).isEqualTo("{\"raw\":true}");
            assertThat(
                            records.list(
                                    "conn_1",
                                    "purchase-orders",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            T0.plusSeconds(3),
                                            T0.plusSeconds(6),
                                            false,
                                            Map.of("remote_id", "rpo_09"),
                                            false,
                                            100)))
                    .extracting(StoredRecord::id)
                    .containsExactly("po_09");
            // remote_id with another filter: the record if it matches both, else nothing
            assertThat(
                            records.list(
                                    "conn_1",
                                    "purchase-orders",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            null,
                                            null,
                                            false,
                                            Map.of("remote_id", "rpo_09", "status", "approved"),
                                            false,
                                            100)))
                    .extracting(StoredRecord::id)
                    .containsExactly("po_09");
            assertThat(
                            records.list(
                                    "conn_1",
                                    "purchase-orders",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            null,
                                            null,
                                            false,
                                            Map.of("remote_id", "rpo_09", "status", "draft"),
                                            false,
                                            100)))
                    .isEmpty();
            assertThat(
                            records.list(
                                    "conn_2",
                                    "purchase-orders",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            null,
                                            null,
                                            false,
                                            Map.of("remote_id", "rpo_09"),
                                            false,
                                            100)))
                    .isEmpty();
            // the records table's unique index serves remote_id: no filter rows repeat it
            assertThat(
                            Jdbc.<Long>withConnection(
                                    db.dataSource(),
                                    "count filter rows",
                                    c -> {
                                        try (java.sql.Statement st = c.createStatement();
                                                java.sql.ResultSet rs =
                                                        st.executeQuery(
                                                                "SELECT COUNT(*) FROM"
                                                                        + " record_filters WHERE"
                                                                        + " field = 'remote_id'")) {
                                            rs.next();
                                            return rs.getLong(1);
                                        }
                                    }))
                    .isZero();

            // an update replaces the filter values
            records.write(
                    "conn_1",
                    "purchase-orders",
                    List.of(write(false, "po_00", "closed", T0.plusSeconds(50), null)),
                    T0);
            assertThat(
                            records.list(
                                    "conn_1",
                                    "purchase-orders",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            null,
                                            null,
                                            false,
                                            Map.of("status", "closed"),
                                            false,
                                            100)))
                    .extracting(StoredRecord::id, StoredRecord::updatedAt)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("po_00", T0.plusSeconds(50)));
            assertThat(listFiltered(records, "status", "approved"))
                    .extracting(StoredRecord::id)
                    .doesNotContain("po_00");
            // the unchanged filter value moved with the record's updated_at (now the newest)
            List<StoredRecord> ofVendor = listFiltered(records, "vendor_id", "ven_1");
            assertThat(ofVendor).hasSize(19);
            assertThat(ofVendor.get(ofVendor.size() - 1))
                    .extracting(StoredRecord::id, StoredRecord::updatedAt)
                    .containsExactly("po_00", T0.plusSeconds(50));
            assertThat(
                            records.list(
                                    "conn_1",
                                    "purchase-orders",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            T0.plusSeconds(40),
                                            null,
                                            false,
                                            Map.of("vendor_id", "ven_1"),
                                            false,
                                            100)))
                    .extracting(StoredRecord::id)
                    .containsExactly("po_00");
            // a value that is gone loses its row, a new field gets one
            RecordWrite noStatus = write(false, "po_00", null, T0.plusSeconds(60), null);
            Map<String, String> otherFilters = new HashMap<>(noStatus.filters());
            otherFilters.put("number", "4500000000");
            records.write(
                    "conn_1",
                    "purchase-orders",
                    List.of(
                            new RecordWrite(
                                    false,
                                    noStatus.id(),
                                    noStatus.remoteId(),
                                    noStatus.createdAt(),
                                    noStatus.updatedAt(),
                                    null,
                                    noStatus.contentHash(),
                                    noStatus.data(),
                                    null,
                                    otherFilters)),
                    T0);
            assertThat(listFiltered(records, "status", "closed")).isEmpty();
            assertThat(listFiltered(records, "number", "4500000000"))
                    .extracting(StoredRecord::id, StoredRecord::updatedAt)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("po_00", T0.plusSeconds(60)));
            ofVendor = listFiltered(records, "vendor_id", "ven_1");
            assertThat(ofVendor.get(ofVendor.size() - 1))
                    .extracting(StoredRecord::id, StoredRecord::updatedAt)
                    .containsExactly("po_00", T0.plusSeconds(60));

            assertThat(records.get("conn_1", "purchase-orders", "po_03", false))
                    .hasValueSatisfying(
                            r -> {
                                assertThat(r.remoteId()).isEqualTo("rpo_03");
                                assertThat(r.raw()).isNull();
                                assertThat(r.data()).isEqualTo("{\"id\":\"po_03\"}");
                            });
            assertThat(records.get("conn_2", "purchase-orders", "po_03", false)).isEmpty();
            assertThat(records.get("conn_1", "vendors", "po_03", false)).isEmpty();
            assertThat(
                            records.remoteIds(
                                    "conn_1", "purchase-orders", List.of("po_01", "po_05", "po_x")))
                    .containsExactly(Map.entry("po_01", "rpo_01"));

            // a duplicate remote id is rejected (a concurrent writer inserted it first)
            assertThatThrownBy(
                            () ->
                                    records.write(
                                            "conn_1",
                                            "purchase-orders",
                                            List.of(write(true, "po_01", null, T0, null)),
                                            T0))
                    .isInstanceOf(StoreException.class)
                    .matches(Jdbc::isDuplicateKey);

            assertThat(records.purge("conn_1")).isEqualTo(20);
            assertThat(records.count("conn_1", "purchase-orders")).isZero();
            assertThat(records.count("conn_2", "purchase-orders")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void idempotencyKeysAreReservedCompletedAndRenewedWhenExpired(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            IdempotencyRepository keys = new IdempotencyRepository(db.dataSource());
            String longKey = "k".repeat(255);
            assertThat(keys.insertPending("conn_1", longKey, "fp1", T0)).isTrue();
            assertThat(keys.insertPending("conn_1", longKey, "fp1", T0)).isFalse();
            assertThat(keys.insertPending("conn_2", longKey, "fp1", T0)).isTrue();
            assertThat(keys.find("conn_1", longKey))
                    .hasValueSatisfying(
                            r -> {
                                assertThat(r.state()).isEqualTo(IdempotencyRepository.Row.PENDING);
                                assertThat(r.statusCode()).isNull();
                            });
            keys.complete("conn_1", longKey, 201, "{\"id\":1}", "/v1/x/1", T0.plusSeconds(1));
            assertThat(keys.find("conn_1", longKey))
                    .hasValueSatisfying(
                            r -> {
                                assertThat(r.state()).isEqualTo(IdempotencyRepository.Row.DONE);
                                assertThat(r.statusCode()).isEqualTo(201);
                                assertThat(r.body()).isEqualTo("{\"id\":1}");
                                assertThat(r.location()).isEqualTo("/v1/x/1");
                            });
            // a completed key is not released
            keys.deletePending("conn_1", longKey);
            assertThat(keys.find("conn_1", longKey)).isPresent();
            keys.deletePending("conn_2", longKey);
            assertThat(keys.find("conn_2", longKey)).isEmpty();

            Instant later = T0.plus(25, ChronoUnit.HOURS);
            assertThat(keys.replaceExpired("conn_1", longKey, T0, "fp2", later)).isTrue();
            assertThat(keys.replaceExpired("conn_1", longKey, T0, "fp3", later)).isFalse();
            assertThat(keys.find("conn_1", longKey).orElseThrow().fingerprint()).isEqualTo("fp2");
            assertThat(keys.purgeCreatedBefore(later.plusSeconds(1))).isEqualTo(1);
        }
    }

    @org.junit.jupiter.api.Test
    void clientAndSourceValuesAreCaseSensitiveOnACaseInsensitiveMariaDb() throws Exception {
        // many MariaDB servers create databases with a case-insensitive default collation
        String base =
                System.getProperty("ironbridge.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/");
        String user = System.getProperty("ironbridge.test.mariadb.user", "root");
        String password = System.getProperty("ironbridge.test.mariadb.password", "");
        String ciDb = TestDatabases.prefix() + "repos_ci";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(base, user, password);
                java.sql.Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + ciDb);
            s.execute(
                    "CREATE DATABASE "
                            + ciDb
                            + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        }
        try (PooledDatabase db = open(new DatabaseSettings(base + ciDb, user, password, 4))) {
            ConnectionRepository conns = new ConnectionRepository(db.dataSource());
            assertThat(
                            conns.create(
                                    row("conn_1", "org_a", 1, T0),
                                    List.of("vendors"),
                                    () -> "run_1"))
                    .isInstanceOf(ConnectionRepository.Created.class);
            RecordRepository records = new RecordRepository(db.dataSource());
            RecordWrite lower = write(true, "ven_a", "Active", T0, null);
            RecordWrite upper =
                    new RecordWrite(
                            true,
                            "ven_b",
                            "RVEN_A",
                            T0,
                            T0,
                            null,
                            "0".repeat(64),
                            "{}",
                            null,
                            Map.of("status", "ACTIVE"));
            records.write("conn_1", "vendors", List.of(lower, upper), T0);
            assertThat(records.count("conn_1", "vendors")).isEqualTo(2);
            assertThat(
                            records.list(
                                    "conn_1",
                                    "vendors",
                                    new RecordListQuery(
                                            null,
                                            null,
                                            null,
                                            null,
                                            false,
                                            Map.of("status", "ACTIVE"),
                                            false,
                                            10)))
                    .extracting(StoredRecord::id)
                    .containsExactly("ven_b");
            IdempotencyRepository keys = new IdempotencyRepository(db.dataSource());
            assertThat(keys.insertPending("conn_1", "Key", "fp", T0)).isTrue();
            assertThat(keys.insertPending("conn_1", "KEY", "fp", T0)).isTrue();
            assertThat(conns.list("org_a", "CUST-1", null, null, null, null, 10)).isEmpty();
            assertThat(conns.list("org_a", "cust-1", null, null, null, null, 10)).hasSize(1);
        }
    }
}
