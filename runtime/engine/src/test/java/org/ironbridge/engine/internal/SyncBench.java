package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.connector.sandbox.internal.SandboxConnectorFactory;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.PooledDatabase;
import org.ironbridge.store.SyncRepository;

/**
 * The sync benchmark ({@code bench/sync.sh}), on MariaDB in a fresh database that it creates and
 * drops:
 *
 * <ol>
 *   <li>the initial sync of {@code po} (1,000,000) sandbox purchase orders with their lines through
 *       the real sync engine (the sandbox session, canonical mapping, content hashes, the batched
 *       record and filter writes, a checkpoint per page of 500 in the page's transaction):
 *       records/s, and the process's peak heap during it (sampled used heap, and the largest heap
 *       left after a collection);
 *   <li>plain batched JDBC inserts of the same rows (read back from the store, not timed) into
 *       tables of the same layout ({@code CREATE TABLE ... LIKE}), 500 records and their filter
 *       rows per transaction: records/s, and the sync's rate as a share of it;
 *   <li>an incremental sync after 1,000 purchase orders changed at the source: its duration.
 * </ol>
 *
 * <p>Arguments ({@code name=value}, all optional): {@code po} (default: {@code BENCH_PO} or
 * 1000000), {@code changes} (1000), {@code db} (server URL, default {@code
 * jdbc:mariadb://127.0.0.1:3306/}), {@code user} (root), {@code password} (empty), {@code keep}
 * (true: do not drop the database).
 */
public final class SyncBench {
    private static final EntityType PO = EntityType.PURCHASE_ORDERS;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Samples the used heap and records the heap left after each collection. */
    static final class HeapWatch implements AutoCloseable {
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakAfterGc = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;
        private final List<Runnable> unsubscribe = new ArrayList<>();

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    javax.management.NotificationListener l =
                            (n, hb) -> {
                                if (!GarbageCollectionNotificationInfo
                                        .GARBAGE_COLLECTION_NOTIFICATION
                                        .equals(n.getType())) {
                                    return;
                                }
                                GarbageCollectionNotificationInfo info =
                                        GarbageCollectionNotificationInfo.from(
                                                (CompositeData) n.getUserData());
                                long after = 0;
                                for (MemoryUsage u :
                                        info.getGcInfo().getMemoryUsageAfterGc().values()) {
                                    after += u.getUsed();
                                }
                                // only heap pools report more than a few MB; metaspace is small
                                peakAfterGc.accumulateAndGet(after, Math::max);
                            };
                    emitter.addNotificationListener(l, null, null);
                    unsubscribe.add(
                            () -> {
                                try {
                                    emitter.removeNotificationListener(l);
                                } catch (javax.management.ListenerNotFoundException ignored) {
                                    // gone already
                                }
                            });
                }
            }
            sampler =
                    new Thread(
                            () -> {
                                while (running) {
                                    long used =
                                            ManagementFactory.getMemoryMXBean()
                                                    .getHeapMemoryUsage()
                                                    .getUsed();
                                    peakUsed.accumulateAndGet(used, Math::max);
                                    try {
                                        Thread.sleep(20);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "heap-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.join();
            unsubscribe.forEach(Runnable::run);
        }
    }

    private static String arg(String[] args, String name, String dflt) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return dflt;
    }

    private static double mb(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    public static void main(String[] args) throws Exception {
        int pos =
                Integer.parseInt(
                        arg(
                                args,
                                "po",
                                System.getenv().getOrDefault("BENCH_PO", "1000000").trim()));
        int changes = Integer.parseInt(arg(args, "changes", "1000"));
        String server = arg(args, "db", "jdbc:mariadb://127.0.0.1:3306/");
        String user = arg(args, "user", "root");
        String password = arg(args, "password", "");
        boolean keep = Boolean.parseBoolean(arg(args, "keep", "false"));
        String db = "ib_bench_sync_" + ProcessHandle.current().pid();

        Class.forName("org.mariadb.jdbc.Driver");
        try (Connection c = DriverManager.getConnection(server, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        System.out.printf(
                Locale.ROOT,
                "sync benchmark: %,d purchase orders, %,d changes, MariaDB database %s, max heap"
                        + " %.0f MB, %d CPUs%n",
                pos,
                changes,
                db,
                mb(Runtime.getRuntime().maxMemory()),
                Runtime.getRuntime().availableProcessors());
        try {
            run(new DatabaseSettings(server + db, user, password, 8), pos, changes);
        } finally {
            if (!keep) {
                try (Connection c = DriverManager.getConnection(server, user, password);
                        Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db);
                }
            }
        }
    }

    private static void run(DatabaseSettings settings, int pos, int changes) throws Exception {
        try (PooledDatabase pdb = new PooledDatabase(settings)) {
            pdb.migrate();
            DataSource ds = pdb.dataSource();
            Instant now = Instant.now();
            new OrganizationRepository(ds)
                    .createWithAdminKey(
                            "org_bench", "Bench", 100, "key_bench", "d".repeat(64), "ibk_d", now);
            FakeRegistry registry = new FakeRegistry();
            RecordingFactory sandbox = new RecordingFactory(new SandboxConnectorFactory());
            registry.install(sandbox);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try (Engine engine =
                    new Engine(
                            ds,
                            registry,
                            CanonicalModel.standard(),
                            new Vault(key),
                            Clock.systemUTC(),
                            new Engine.Settings(2, Duration.ofHours(1), "bench-node"),
                            Engine.Monitoring.defaults())) {
                Map<String, String> credentials = new HashMap<>();
                credentials.put("username", "demo");
                credentials.put("password", "sandbox");
                credentials.put("dataset_size", Integer.toString(pos));
                credentials.put("activity_per_minute", "0");
                String id =
                        engine.connections()
                                .create(
                                        "org_bench",
                                        new NewConnection(
                                                "sandbox",
                                                "bench",
                                                null,
                                                null,
                                                credentials,
                                                new SyncSettings(0, 3600, Set.of(PO))))
                                .connection()
                                .id();

                // (a) the initial sync, (c) the heap during it
                System.gc();
                long syncNanos;
                long peakUsed;
                long peakAfterGc;
                Thread progress = progress(engine, id);
                try (HeapWatch heap = new HeapWatch()) {
                    long t0 = System.nanoTime();
                    if (!engine.syncEngine().runIfDue(id, PO.collection())) {
                        throw new IllegalStateException("the initial sync did not run");
                    }
                    syncNanos = System.nanoTime() - t0;
                    heap.close();
                    peakUsed = heap.peakUsed.get();
                    peakAfterGc = heap.peakAfterGc.get();
                } finally {
                    progress.interrupt();
                }
                SyncView initial = engine.connections().syncs("org_bench", id, 1).get(0);
                if (!"succeeded".equals(initial.status()) || initial.recordsSeen() != pos) {
                    throw new IllegalStateException("the initial sync did not succeed: " + initial);
                }
                double syncRate = pos / (syncNanos / 1e9);
                long filters = count(ds, "record_filters");
                System.out.printf(
                        Locale.ROOT,
                        "initial sync (%s, newest first): %,d purchase orders (%,d filter rows) in"
                                + " %.1f s = %,.0f records/s%n",
                        initial.kind(),
                        initial.recordsSeen(),
                        filters,
                        syncNanos / 1e9,
                        syncRate);
                System.out.printf(
                        Locale.ROOT,
                        "peak heap during the sync: %.0f MB used (sampled every 20 ms), %.0f MB"
                                + " live after a collection (max heap %.0f MB)%n",
                        mb(peakUsed),
                        mb(peakAfterGc),
                        mb(Runtime.getRuntime().maxMemory()));

                // (b) plain batched JDBC inserts of the same rows
                long plainNanos = plainInserts(ds, id);
                double plainRate = pos / (plainNanos / 1e9);
                System.out.printf(
                        Locale.ROOT,
                        "plain batched JDBC inserts of the same rows: %.1f s = %,.0f records/s;"
                                + " sync rate = %.0f%% of it (target >= 50%%)%n",
                        plainNanos / 1e9,
                        plainRate,
                        100 * syncRate / plainRate);

                // (d) an incremental sync of `changes` changes
                ConnectorSession source = sandbox.sessions.get(id);
                for (int i = 0; i < changes; i++) {
                    // spread over the whole range of purchase orders
                    long n = 1 + (long) i * pos / changes;
                    ObjectNode change = JSON.createObjectNode();
                    change.putObject("custom_fields").put("bench_change", "change " + i);
                    source.update(PO, String.format("PO-%07d", n), change);
                }
                new SyncRepository(ds)
                        .request(
                                id,
                                PO.collection(),
                                "incremental",
                                "sync_bench_inc",
                                Instant.now());
                long t0 = System.nanoTime();
                if (!engine.syncEngine().runIfDue(id, PO.collection())) {
                    throw new IllegalStateException("the incremental sync did not run");
                }
                long incNanos = System.nanoTime() - t0;
                SyncView inc = engine.connections().syncs("org_bench", id, 1).get(0);
                System.out.printf(
                        Locale.ROOT,
                        "incremental sync (%s, %s) after %,d changes: %.2f s (target <= 2 s),"
                                + " records seen %,d, changed %,d%n",
                        inc.kind(),
                        inc.status(),
                        changes,
                        incNanos / 1e9,
                        inc.recordsSeen(),
                        inc.recordsChanged());
                System.out.printf(
                        Locale.ROOT,
                        "targets: sync >= 50%% of plain inserts: %s; heap <= 512 MB: %s;"
                                + " incremental <= 2 s: %s%n",
                        syncRate >= plainRate / 2 ? "met" : "MISSED",
                        peakUsed <= 512L * 1024 * 1024 ? "met" : "MISSED",
                        incNanos <= 2_000_000_000L ? "met" : "MISSED");
            }
        }
    }

    /** Prints the run's progress to stderr every 15 s. */
    private static Thread progress(Engine engine, String id) {
        Thread t =
                new Thread(
                        () -> {
                            long start = System.nanoTime();
                            while (true) {
                                try {
                                    Thread.sleep(15_000);
                                    SyncView v =
                                            engine.connections().syncs("org_bench", id, 1).get(0);
                                    System.err.printf(
                                            Locale.ROOT,
                                            "  ... %.0f s: %,d records%n",
                                            (System.nanoTime() - start) / 1e9,
                                            v.recordsSeen());
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    // a progress line is not worth failing for
                                }
                            }
                        },
                        "progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long count(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Copies the synced rows into tables of the same layout with plain batched inserts, 500 records
     * (and then their filter rows) per transaction, in the order the sync wrote them (newest first,
     * so the primary keys arrive in the same order); only the inserts and commits are timed, not
     * reading the rows back.
     */
    private static long plainInserts(DataSource ds, String connectionId) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE plain_records LIKE records");
            s.execute("CREATE TABLE plain_record_filters LIKE record_filters");
        }
        String entity = PO.collection();
        long timed = 0;
        try (Connection read = ds.getConnection();
                Connection write = ds.getConnection();
                PreparedStatement first =
                        read.prepareStatement(
                                "SELECT id, remote_id, created_at, updated_at, deleted_at,"
                                        + " content_hash, data, raw, stored_at FROM records WHERE"
                                        + " connection_id = ? AND entity = ? ORDER BY updated_at"
                                        + " DESC, id DESC LIMIT 500");
                PreparedStatement page =
                        read.prepareStatement(
                                "SELECT id, remote_id, created_at, updated_at, deleted_at,"
                                        + " content_hash, data, raw, stored_at FROM records WHERE"
                                        + " connection_id = ? AND entity = ? AND (updated_at < ? OR"
                                        + " (updated_at = ? AND id < ?)) ORDER BY updated_at DESC,"
                                        + " id DESC LIMIT 500");
                PreparedStatement ins =
                        write.prepareStatement(
                                "INSERT INTO plain_records (connection_id, entity, id, remote_id,"
                                        + " created_at, updated_at, deleted_at, content_hash, data,"
                                        + " raw, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                        + " ?)");
                PreparedStatement insF =
                        write.prepareStatement(
                                "INSERT INTO plain_record_filters (connection_id, entity,"
                                        + " record_id, field, field_value, updated_at) VALUES (?,"
                                        + " ?, ?, ?, ?, ?)")) {
            write.setAutoCommit(false);
            long lastUpdated = 0;
            String lastId = null;
            while (true) {
                PreparedStatement q = lastId == null ? first : page;
                q.setString(1, connectionId);
                q.setString(2, entity);
                if (lastId != null) {
                    q.setLong(3, lastUpdated);
                    q.setLong(4, lastUpdated);
                    q.setString(5, lastId);
                }
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        int i = 1;
                        ins.setString(i++, connectionId);
                        ins.setString(i++, entity);
                        lastId = rs.getString("id");
                        ids.add(lastId);
                        ins.setString(i++, lastId);
                        ins.setString(i++, rs.getString("remote_id"));
                        ins.setLong(i++, rs.getLong("created_at"));
                        lastUpdated = rs.getLong("updated_at");
                        ins.setLong(i++, lastUpdated);
                        long deleted = rs.getLong("deleted_at");
                        if (rs.wasNull()) {
                            ins.setNull(i++, java.sql.Types.BIGINT);
                        } else {
                            ins.setLong(i++, deleted);
                        }
                        ins.setString(i++, rs.getString("content_hash"));
                        ins.setString(i++, rs.getString("data"));
                        ins.setString(i++, rs.getString("raw"));
                        ins.setLong(i++, rs.getLong("stored_at"));
                        ins.addBatch();
                    }
                }
                if (ids.isEmpty()) {
                    break;
                }
                // the filter rows of these records, in the same record order
                Map<String, List<String[]>> byRecord = new HashMap<>();
                try (PreparedStatement f =
                        read.prepareStatement(
                                "SELECT record_id, field, field_value, updated_at FROM"
                                        + " record_filters WHERE connection_id = ? AND entity = ?"
                                        + " AND record_id IN ("
                                        + String.join(
                                                ",", java.util.Collections.nCopies(ids.size(), "?"))
                                        + ")")) {
                    f.setString(1, connectionId);
                    f.setString(2, entity);
                    for (int i = 0; i < ids.size(); i++) {
                        f.setString(3 + i, ids.get(i));
                    }
                    try (ResultSet rs = f.executeQuery()) {
                        while (rs.next()) {
                            byRecord.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(
                                            new String[] {
                                                rs.getString(2),
                                                rs.getString(3),
                                                Long.toString(rs.getLong(4))
                                            });
                        }
                    }
                }
                for (String id : ids) {
                    for (String[] row : byRecord.getOrDefault(id, List.of())) {
                        insF.setString(1, connectionId);
                        insF.setString(2, entity);
                        insF.setString(3, id);
                        insF.setString(4, row[0]);
                        insF.setString(5, row[1]);
                        insF.setLong(6, Long.parseLong(row[2]));
                        insF.addBatch();
                    }
                }
                long t0 = System.nanoTime();
                ins.executeBatch();
                insF.executeBatch();
                write.commit();
                timed += System.nanoTime() - t0;
            }
        }
        return timed;
    }
}
