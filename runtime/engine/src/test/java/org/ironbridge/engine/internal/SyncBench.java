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
 *   <li>an incremental sync after 1,000 purchase orders changed at the source: its duration (right
 *       after the initial sync, as on a server: run after the plain inserts, which write as many
 *       rows again into other tables, it found the synced tables pushed out of the buffer pool);
 *   <li>plain batched JDBC inserts of the same rows (read back from the store, not timed) into
 *       tables of the same layout ({@code CREATE TABLE ... LIKE}), 500 records and their filter
 *       rows per transaction: records/s, and the sync's rate as a share of it.
 * </ol>
 *
 * <p>Arguments ({@code name=value}, all optional): {@code po} (default: {@code BENCH_PO} or
 * 1000000), {@code changes} (1000), {@code db} (server URL, default {@code
 * jdbc:mariadb://127.0.0.1:3306/}), {@code user} (root), {@code password} (empty), {@code keep}
 * (true: do not drop the database), {@code reuse} (the name of a database an earlier run kept: skip
 * the initial sync and the plain inserts and run only the incremental syncs on it), {@code rounds}
 * (incremental syncs to run one after the other, each after {@code changes} new changes; default
 * 1), {@code jdbc_options} (added to the engine's JDBC URL after {@code ?}, e.g. {@code
 * sessionVariables=long_query_time=0} to have MariaDB's slow log show every statement).
 *
 * <p>A kept database can be reused because the sandbox regenerates the same data from its seed and
 * its epoch (the second its system was created): the run records the epoch and the last time its
 * clock read in {@code sync_bench_meta}, and a reusing run sets its clock to the epoch when it
 * opens the sandbox session, then moves it on to after the kept run's last change.
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
        String options = arg(args, "jdbc_options", "");
        String reuse = arg(args, "reuse", null);
        boolean keep = reuse != null || Boolean.parseBoolean(arg(args, "keep", "false"));
        int rounds = Integer.parseInt(arg(args, "rounds", "1"));
        String db = reuse != null ? reuse : "ib_bench_sync_" + ProcessHandle.current().pid();
        if (!db.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("not a database name: " + db);
        }

        Class.forName("org.mariadb.jdbc.Driver");
        if (reuse == null) {
            try (Connection c = DriverManager.getConnection(server, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db);
                s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
        }
        System.out.printf(
                Locale.ROOT,
                "sync benchmark: %,d purchase orders, %,d changes, MariaDB database %s%s, max heap"
                        + " %.0f MB, %d CPUs%n",
                pos,
                changes,
                db,
                reuse != null ? " (reused: incremental syncs only)" : "",
                mb(Runtime.getRuntime().maxMemory()),
                Runtime.getRuntime().availableProcessors());
        if (keep) {
            System.out.printf(
                    Locale.ROOT, "the database is kept: reuse it with reuse=%s po=%d%n", db, pos);
        }
        try {
            run(
                    new DatabaseSettings(
                            server + db + (options.isEmpty() ? "" : "?" + options),
                            user,
                            password,
                            8),
                    pos,
                    changes,
                    rounds,
                    reuse != null);
        } finally {
            if (!keep) {
                try (Connection c = DriverManager.getConnection(server, user, password);
                        Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db);
                }
            }
        }
    }

    /** The system clock moved by an offset the bench sets (to reuse a kept database). */
    static final class BenchClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        /** Makes the clock read {@code t} now. */
        void set(Instant t) {
            offset = Duration.between(Instant.now(), t);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static Map<String, String> credentials(int pos) {
        Map<String, String> credentials = new HashMap<>();
        credentials.put("username", "demo");
        credentials.put("password", "sandbox");
        credentials.put("dataset_size", Integer.toString(pos));
        credentials.put("activity_per_minute", "0");
        return credentials;
    }

    private static void run(
            DatabaseSettings settings, int pos, int changes, int rounds, boolean reuse)
            throws Exception {
        try (PooledDatabase pdb = new PooledDatabase(settings)) {
            pdb.migrate();
            DataSource ds = pdb.dataSource();
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE IF NOT EXISTS sync_bench_meta (connection_id VARCHAR(64)"
                                + " PRIMARY KEY, po INT NOT NULL, epoch_ms BIGINT NOT NULL,"
                                + " clock_ms BIGINT NOT NULL)");
            }
            BenchClock clock = new BenchClock();
            if (!reuse) {
                new OrganizationRepository(ds)
                        .createWithAdminKey(
                                "org_bench",
                                "Bench",
                                100,
                                "key_bench",
                                "d".repeat(64),
                                "ibk_d",
                                clock.instant());
            }
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
                            clock,
                            new Engine.Settings(2, Duration.ofHours(1), "bench-node"),
                            Engine.Monitoring.defaults())) {
                if (reuse) {
                    incrementalOnly(engine, ds, clock, sandbox, changes, rounds);
                    return;
                }
                // the sandbox's epoch is the second its system is created: at the next line
                Instant epoch = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                clock.set(epoch);
                String id =
                        engine.connections()
                                .create(
                                        "org_bench",
                                        new NewConnection(
                                                "sandbox",
                                                "bench",
                                                null,
                                                null,
                                                credentials(pos),
                                                new SyncSettings(0, 3600, Set.of(PO))))
                                .connection()
                                .id();
                try (Connection c = ds.getConnection();
                        PreparedStatement ps =
                                c.prepareStatement(
                                        "INSERT INTO sync_bench_meta (connection_id, po, epoch_ms,"
                                                + " clock_ms) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setInt(2, pos);
                    ps.setLong(3, epoch.toEpochMilli());
                    ps.setLong(4, epoch.toEpochMilli());
                    ps.executeUpdate();
                }

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

                // (c) an incremental sync of `changes` changes, right after the initial sync as on
                // a
                // server; the plain inserts below write as many rows again into other tables, and
                // run before it they pushed the synced tables out of MariaDB's buffer pool
                long incNanos = 0;
                for (int r = 1; r <= rounds; r++) {
                    incNanos = incremental(engine, ds, clock, sandbox, id, changes, r, false);
                }
                // (d) plain batched JDBC inserts of the same rows
                long plainNanos = plainInserts(ds, id);
                double plainRate = pos / (plainNanos / 1e9);
                System.out.printf(
                        Locale.ROOT,
                        "plain batched JDBC inserts of the same rows: %.1f s = %,.0f records/s;"
                                + " sync rate = %.0f%% of it (target >= 50%%)%n",
                        plainNanos / 1e9,
                        plainRate,
                        100 * syncRate / plainRate);

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

    /**
     * On a kept database: opens the sandbox at its recorded epoch (so that it generates the same
     * data), moves the clock on past the kept run's last change and runs the incremental syncs.
     */
    private static void incrementalOnly(
            Engine engine,
            DataSource ds,
            BenchClock clock,
            RecordingFactory sandbox,
            int changes,
            int rounds)
            throws Exception {
        String id;
        int pos;
        long epochMs;
        long clockMs;
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT connection_id, po, epoch_ms, clock_ms FROM"
                                        + " sync_bench_meta")) {
            if (!rs.next()) {
                throw new IllegalStateException("not a database kept by the sync benchmark");
            }
            id = rs.getString(1);
            pos = rs.getInt(2);
            epochMs = rs.getLong(3);
            clockMs = rs.getLong(4);
        }
        // the credentials were sealed with the kept run's (random) vault key: seal them again
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE connections SET credentials = ? WHERE id = ?")) {
            ps.setString(1, engine.sessions().encrypt(id, credentials(pos)));
            ps.setString(2, id);
            ps.executeUpdate();
        }
        org.ironbridge.store.ConnectionRow row =
                new org.ironbridge.store.ConnectionRepository(ds).find(id).orElseThrow();
        System.out.printf(Locale.ROOT, "reusing connection %s: %,d purchase orders%n", id, pos);
        clock.set(Instant.ofEpochMilli(epochMs));
        engine.sessions().session(row);
        clock.set(Instant.ofEpochMilli(clockMs).plusSeconds(60));
        long incNanos = 0;
        for (int r = 1; r <= rounds; r++) {
            incNanos = incremental(engine, ds, clock, sandbox, id, changes, r, true);
        }
        System.out.printf(
                Locale.ROOT,
                "target: incremental <= 2 s: %s%n",
                incNanos <= 2_000_000_000L ? "met" : "MISSED");
    }

    /**
     * Changes {@code changes} purchase orders spread over the whole range at the source (with
     * content no earlier run gave them) and times the incremental sync that follows.
     */
    private static long incremental(
            Engine engine,
            DataSource ds,
            BenchClock clock,
            RecordingFactory sandbox,
            String id,
            int changes,
            int round,
            boolean reused)
            throws Exception {
        ConnectorSession source = sandbox.sessions.get(id);
        int pos;
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT po FROM sync_bench_meta WHERE connection_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pos = rs.getInt(1);
            }
        }
        String stamp = clock.instant().toString();
        // the first round of a fresh run changes every (pos / changes)th purchase order; later
        // rounds
        // and reusing runs shift that set at random, so that they change records no earlier round
        // changed (whose pages the database would have cached)
        long step = Math.max(1, pos / changes);
        long shift =
                round == 1 && !reused
                        ? 0
                        : java.util.concurrent.ThreadLocalRandom.current().nextLong(step);
        for (int i = 0; i < changes; i++) {
            // spread over the whole range of purchase orders
            long n = 1 + ((long) i * pos / changes + shift) % pos;
            ObjectNode change = JSON.createObjectNode();
            change.putObject("custom_fields").put("bench_change", "change " + i + " at " + stamp);
            source.update(PO, String.format("PO-%07d", n), change);
        }
        new SyncRepository(ds)
                .request(
                        id,
                        PO.collection(),
                        "incremental",
                        "sync_bench_inc_" + round + "_" + System.currentTimeMillis(),
                        clock.instant());
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
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE sync_bench_meta SET clock_ms = ? WHERE connection_id = ?")) {
            ps.setLong(1, clock.instant().toEpochMilli());
            ps.setString(2, id);
            ps.executeUpdate();
        }
        return incNanos;
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
