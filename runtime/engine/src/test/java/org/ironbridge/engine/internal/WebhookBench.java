package org.ironbridge.engine.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.PooledDatabase;
import org.ironbridge.store.RecordRepository;

/**
 * The webhook benchmark ({@code bench/webhooks.sh}): real changes (connection status changes, or
 * record writes into the record store, each with its events written to the outbox in the same
 * transaction), the real dispatcher (claims, signing, the JDK HttpClient, batched attempt records)
 * and a real HTTP receiver on 127.0.0.1. It prints
 *
 * <ul>
 *   <li>paced: changes at a fixed rate (default 1,000/s) for some seconds after a warm-up; the
 *       delivery rate and the latency from the change (the event's {@code created_at}, taken in the
 *       change's transaction) to the receiver (p50, p99, max);
 *   <li>burst: a backlog of changes written as fast as possible, then how fast it drains.
 * </ul>
 *
 * <p>Arguments (all optional, {@code name=value}): {@code change} ({@code write}, the default: a
 * live write of one record through {@link RecordWriter#writeOne}, as {@code RecordManager} stores
 * the answer of a live create or update, each a record.updated event; {@code status}: each change a
 * connection status change through the repository; {@code page}: sync pages of {@code page} (10)
 * records, one event per record), {@code rate} (1000 events/s), {@code seconds} (20), {@code
 * warmup} (60), {@code burst} (20000), {@code producers} (4), {@code db} (a MariaDB JDBC URL;
 * default an embedded H2 file under a temporary folder), {@code workers} (32), {@code per_endpoint}
 * (16).
 */
public final class WebhookBench {
    private static final Pattern CREATED_AT = Pattern.compile("\"created_at\":\"([^\"]+)\"");

    /**
     * Receiver side: arrival latency per event (micros), for events created after a mark. The JDK's
     * HTTP server (keep-alive) answers on its dispatcher thread, as a local event-loop receiver
     * does: the handler only counts and answers 204, and a pool in front of it cost more CPU in
     * hand-offs than the handler itself.
     */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final AtomicLong received = new AtomicLong();
        final ConcurrentHashMap<String, Boolean> ids = new ConcurrentHashMap<>();
        final AtomicLong duplicates = new AtomicLong();
        volatile List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile Instant measureFrom = Instant.MAX;
        volatile Instant measureTo = Instant.MAX;

        Receiver() throws Exception {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            server.setExecutor(null);
            server.createContext(
                    "/",
                    exchange -> {
                        Instant now = Instant.now();
                        byte[] body;
                        try (InputStream in = exchange.getRequestBody()) {
                            body = in.readAllBytes();
                        }
                        String id = exchange.getRequestHeaders().getFirst("webhook-id");
                        if (ids.putIfAbsent(id, Boolean.TRUE) != null) {
                            duplicates.incrementAndGet();
                        }
                        received.incrementAndGet();
                        Matcher m = CREATED_AT.matcher(new String(body, StandardCharsets.UTF_8));
                        if (m.find()) {
                            Instant created = Instant.parse(m.group(1));
                            if (!created.isBefore(measureFrom) && created.isBefore(measureTo)) {
                                latencies.add(Duration.between(created, now).toNanos() / 1000);
                            }
                        }
                        exchange.sendResponseHeaders(204, -1);
                        exchange.close();
                    });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "60"));
        int burst = Integer.parseInt(a.getOrDefault("burst", "20000"));
        int producers = Integer.parseInt(a.getOrDefault("producers", "4"));
        String kind = a.getOrDefault("change", "write");
        int page =
                kind.equals("page")
                        ? Math.max(1, Integer.parseInt(a.getOrDefault("page", "10")))
                        : 1;
        int workers = Integer.parseInt(a.getOrDefault("workers", "32"));
        int perEndpoint = Integer.parseInt(a.getOrDefault("per_endpoint", "16"));
        String dbUrl = a.get("db");

        DatabaseSettings settings;
        Path dir = Files.createTempDirectory("ironbridge-webhook-bench-");
        if (dbUrl == null) {
            settings =
                    new DatabaseSettings(
                            DatabaseSettings.h2Url(dir.resolve("bench")), "sa", "", 16);
        } else {
            settings =
                    new DatabaseSettings(
                            dbUrl,
                            a.getOrDefault("db_user", "root"),
                            a.getOrDefault("db_password", ""),
                            16);
        }
        System.out.printf(
                Locale.ROOT,
                "database: %s; dispatcher: %d workers, %d per endpoint; %d cores%n",
                dbUrl == null ? "embedded H2" : dbUrl,
                workers,
                perEndpoint,
                Runtime.getRuntime().availableProcessors());

        try (PooledDatabase db = new PooledDatabase(settings);
                Receiver receiver = new Receiver()) {
            db.migrate();
            new OrganizationRepository(db.dataSource())
                    .createWithAdminKey(
                            "org_bench",
                            "Bench",
                            100_000,
                            "key_bench",
                            "c".repeat(64),
                            "ibk_bench",
                            Instant.now());
            FakeRegistry registry = new FakeRegistry();
            FakeConnector fake = new FakeConnector(Clock.systemUTC());
            registry.install(fake);
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            Engine.WebhookSettings hooks =
                    new Engine.WebhookSettings(
                            new WebhookDispatcher.Settings(
                                    workers,
                                    perEndpoint,
                                    Duration.ofSeconds(10),
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(30),
                                    Duration.ofDays(3),
                                    Duration.ofSeconds(30),
                                    "bench"),
                            Duration.ofSeconds(1),
                            Duration.ofDays(30));
            try (Engine engine =
                    new Engine(
                            db.dataSource(),
                            registry,
                            CanonicalModel.standard(),
                            new Vault(key),
                            Clock.systemUTC(),
                            new Engine.Settings(1, Duration.ofHours(1), "bench"),
                            hooks)) {
                engine.dispatcher().start();
                if (a.getOrDefault("progress", "false").equals("true")) {
                    Thread progress =
                            new Thread(
                                    () -> {
                                        while (true) {
                                            try {
                                                Thread.sleep(1000);
                                            } catch (InterruptedException e) {
                                                return;
                                            }
                                            System.out.printf(
                                                    "    [%s] received %d; %s%n",
                                                    Instant.now(),
                                                    receiver.received.get(),
                                                    engine.dispatcher().state());
                                        }
                                    });
                    progress.setDaemon(true);
                    progress.start();
                }
                engine.webhooks()
                        .createWebhook(
                                "org_bench",
                                new NewWebhook(
                                        receiver.url(),
                                        List.of(
                                                "record.created",
                                                "record.updated",
                                                a.getOrDefault("subscribe", "true").equals("true")
                                                        ? "connection.status_changed"
                                                        : "sync.failed"),
                                        "bench"));
                CreatedConnection c =
                        engine.connections()
                                .create(
                                        "org_bench",
                                        new NewConnection(
                                                FakeConnector.SYSTEM,
                                                "bench",
                                                null,
                                                null,
                                                Fixture.goodCredentials(),
                                                new SyncSettings(
                                                        0,
                                                        3600,
                                                        java.util.Set.of(EntityType.VENDORS))));
                String connectionId = c.connection().id();
                RecordWriter writer =
                        new RecordWriter(
                                new Canonical(CanonicalModel.standard()),
                                new RecordRepository(db.dataSource()),
                                engine.webhookEvents());
                AtomicLong version = new AtomicLong();
                // connections whose status changes go through the real repository path
                List<String> flipping = new ArrayList<>();
                if (kind.equals("status")) {
                    for (int i = 0; i < 100; i++) {
                        flipping.add(
                                engine.connections()
                                        .create(
                                                "org_bench",
                                                new NewConnection(
                                                        FakeConnector.SYSTEM,
                                                        "bench-" + i,
                                                        null,
                                                        null,
                                                        Fixture.goodCredentials(),
                                                        new SyncSettings(
                                                                0,
                                                                3600,
                                                                java.util.Set.of(
                                                                        EntityType.VENDORS))))
                                        .connection()
                                        .id());
                    }
                }
                org.ironbridge.store.ConnectionRepository statuses =
                        new org.ironbridge.store.ConnectionRepository(
                                db.dataSource(), engine.webhookEvents());
                // a change of kind status: a connection goes degraded, or active again (one
                // connection.status_changed each); of kind page: a sync page of `page` records
                // (each record an update), written with
                // its events in one transaction; page=1 is a live write of one record
                Change change =
                        () -> {
                            long v = version.incrementAndGet();
                            Instant now = Instant.now();
                            if (kind.equals("status")) {
                                String id = flipping.get((int) (v % flipping.size()));
                                boolean degrade = (v / flipping.size()) % 2 == 0;
                                return statuses.changeStatus(
                                                id,
                                                java.util.Set.of(degrade ? "active" : "degraded"),
                                                degrade ? "degraded" : "active",
                                                degrade ? "benchmark: slow" : "benchmark: fine",
                                                now)
                                        ? 1
                                        : 0;
                            }
                            List<SourceRecord> records = new ArrayList<>(page);
                            for (int i = 0; i < page; i++) {
                                // 1000 records, each updated again and again
                                String remoteId = "V" + ((v * page + i) % 1000);
                                records.add(
                                        new SourceRecord(
                                                remoteId,
                                                null,
                                                now,
                                                FakeConnector.vendor(
                                                        "Vendor " + v + "-" + i, "active"),
                                                null));
                            }
                            if (page == 1) {
                                writer.writeOne(
                                        connectionId, EntityType.VENDORS, records.get(0), now);
                            } else {
                                org.ironbridge.store.Jdbc.inTransaction(
                                        db.dataSource(),
                                        "write a page",
                                        tx ->
                                                writer.writePage(
                                                        tx,
                                                        connectionId,
                                                        EntityType.VENDORS,
                                                        records,
                                                        List.of(),
                                                        now));
                            }
                            return page;
                        };

                // --- paced
                System.out.printf(
                        Locale.ROOT,
                        "paced: %d changes/s (%s), %d s warm-up, %d s measured%n",
                        rate,
                        kind.equals("status")
                                ? "each a connection status change"
                                : (page == 1
                                        ? "each a live write of one record"
                                        : "in sync pages of " + page + " records"),
                        warmup,
                        seconds);
                long before = receiver.received.get();
                Instant start = Instant.now();
                receiver.measureFrom = start.plusSeconds(warmup);
                receiver.measureTo = start.plusSeconds(warmup + seconds);
                // CPU is counted over the measured window only (after the warm-up's JIT work)
                long[] cpuAt = new long[1];
                java.util.Map<String, Long> groupsAt = new java.util.HashMap<>();
                Thread sampler =
                        new Thread(
                                () -> {
                                    try {
                                        Thread.sleep(warmup * 1000L);
                                        cpuAt[0] = processCpuNanos();
                                        groupsAt.putAll(cpuByThreadGroup());
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
                sampler.start();
                int changesPerSecond = Math.max(1, rate / page);
                AtomicLong producerCpu = new AtomicLong();
                AtomicLong madeMeasured = new AtomicLong();
                long made =
                        paced(
                                change,
                                changesPerSecond,
                                warmup + seconds,
                                producers,
                                (long) changesPerSecond * warmup,
                                producerCpu,
                                madeMeasured);
                long cpuEnd = processCpuNanos();
                java.util.Map<String, Long> groupsEnd = cpuByThreadGroup();
                sampler.join();
                Instant producedUntil = Instant.now();
                long expected = before + made;
                awaitReceived(receiver, expected, Duration.ofSeconds(60), db);
                Instant drained = Instant.now();
                List<Long> lat = new ArrayList<>(receiver.latencies);
                long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
                long measuredDeliveries = sorted.length;
                System.out.printf(
                        Locale.ROOT,
                        "  events made: %d (%.0f/s); delivered: %d, duplicates: %d; drained %d ms"
                                + " after the last change%n",
                        made,
                        made / (Duration.between(start, producedUntil).toNanos() / 1e9),
                        receiver.received.get() - before,
                        receiver.duplicates.get(),
                        Duration.between(producedUntil, drained).toMillis());
                System.out.printf(
                        Locale.ROOT,
                        "  measured window: %d deliveries in %d s = %.0f deliveries/s%n",
                        measuredDeliveries,
                        seconds,
                        measuredDeliveries / (double) seconds);
                System.out.printf(
                        Locale.ROOT,
                        "  change -> delivery latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max"
                                + " %.1f ms%n",
                        pct(sorted, 0.50),
                        pct(sorted, 0.90),
                        pct(sorted, 0.99),
                        sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1000.0);

                // per event made in the window (fewer than rate x seconds when the producers lag)
                double measuredEvents = Math.max(1, madeMeasured.get());
                long whole = cpuEnd - cpuAt[0];
                StringBuilder parts = new StringBuilder();
                long named = 0;
                java.util.Map<String, Long> byGroup = new java.util.LinkedHashMap<>();
                byGroup.put("the changes (producer threads)", producerCpu.get());
                for (String g : GROUPS) {
                    byGroup.put(g, groupsEnd.getOrDefault(g, 0L) - groupsAt.getOrDefault(g, 0L));
                }
                for (java.util.Map.Entry<String, Long> e : byGroup.entrySet()) {
                    named += e.getValue();
                    parts.append(
                            String.format(
                                    Locale.ROOT,
                                    "%.3f %s, ",
                                    e.getValue() / 1e6 / measuredEvents,
                                    e.getKey()));
                }
                parts.append(
                        String.format(
                                Locale.ROOT,
                                "%.3f the rest",
                                (whole - named) / 1e6 / measuredEvents));
                System.out.printf(
                        Locale.ROOT,
                        "  CPU per event in the measured window (%d events): %.2f ms for the whole"
                                + " process: %s%n",
                        madeMeasured.get(),
                        whole / 1e6 / measuredEvents,
                        parts);
                printAttempts(db, "  attempts (request sent -> answer):");
                System.out.printf(
                        Locale.ROOT,
                        "  sent from memory %d, from the outbox %d; changes written due %d%n",
                        engine.dispatcher().sentFromMemory.get(),
                        engine.dispatcher().sentFromOutbox.get(),
                        engine.dispatcher().notPreclaimed.get());

                // --- burst
                if (burst > 0) {
                    receiver.measureFrom = Instant.MAX;
                    long base = receiver.received.get();
                    Instant t0 = Instant.now();
                    ExecutorService pool = Executors.newFixedThreadPool(producers);
                    AtomicInteger left = new AtomicInteger(Math.max(1, burst / page));
                    AtomicLong burstEvents = new AtomicLong();
                    for (int p = 0; p < producers; p++) {
                        pool.submit(
                                () -> {
                                    while (left.getAndDecrement() > 0) {
                                        burstEvents.addAndGet(change.run());
                                    }
                                    return null;
                                });
                    }
                    pool.shutdown();
                    pool.awaitTermination(10, TimeUnit.MINUTES);
                    Instant written = Instant.now();
                    long events = burstEvents.get();
                    awaitReceived(receiver, base + events, Duration.ofMinutes(2), db);
                    Instant done = Instant.now();
                    double secs = Duration.between(t0, done).toNanos() / 1e9;
                    System.out.printf(
                            Locale.ROOT,
                            "burst: %d events written in %.1f s (%.0f/s); all delivered after"
                                    + " %.1f s: %.0f deliveries/s; duplicates: %d%n",
                            events,
                            Duration.between(t0, written).toNanos() / 1e9,
                            events / (Duration.between(t0, written).toNanos() / 1e9),
                            secs,
                            events / secs,
                            receiver.duplicates.get());
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The thread groups whose CPU time is printed, besides the producers. */
    static final List<String> GROUPS =
            List.of(
                    "dispatcher (claims, signing, sending)",
                    "HTTP client",
                    "recorder",
                    "receiver",
                    "H2 background",
                    "JIT compiler",
                    "GC");

    /** The group of a thread, or null. */
    static String group(String thread) {
        if (thread.equals("ironbridge-webhooks-dispatcher")) {
            return GROUPS.get(0);
        }
        if (thread.startsWith("HttpClient-")) {
            return GROUPS.get(1);
        }
        if (thread.equals("ironbridge-webhooks-recorder")) {
            return GROUPS.get(2);
        }
        if (thread.equals("HTTP-Dispatcher")) {
            return GROUPS.get(3);
        }
        if (thread.startsWith("MVStore") || thread.matches("H\\d+-serialization")) {
            return GROUPS.get(4);
        }
        return null;
    }

    /**
     * CPU time of the live threads by group (a thread that ended is not counted); the JVM's own
     * compiler and GC threads from /proc on Linux (their clock ticks, 100 a second), else not.
     */
    static java.util.Map<String, Long> cpuByThreadGroup() {
        java.util.Map<String, Long> out = javaThreadCpu();
        Path tasks = Path.of("/proc/self/task");
        if (Files.isDirectory(tasks)) {
            try (var list = Files.list(tasks)) {
                for (Path t : list.toList()) {
                    try {
                        String name = Files.readString(t.resolve("comm")).trim();
                        String g =
                                name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")
                                        ? GROUPS.get(5)
                                        : (name.startsWith("GC Thread")
                                                        || name.startsWith("G1 ")
                                                        || name.equals("VM Thread")
                                                ? GROUPS.get(6)
                                                : null);
                        if (g == null) {
                            continue;
                        }
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        out.merge(g, ticks * 10_000_000L, Long::sum);
                    } catch (java.io.IOException | RuntimeException gone) {
                        // the thread ended
                    }
                }
            } catch (java.io.IOException e) {
                // no breakdown
            }
        }
        return out;
    }

    static java.util.Map<String, Long> javaThreadCpu() {
        java.lang.management.ThreadMXBean mx =
                java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            String g = t == null ? null : group(t.getThreadName());
            if (g != null) {
                out.merge(g, Math.max(0, mx.getThreadCpuTime(t.getThreadId())), Long::sum);
            }
        }
        return out;
    }

    /** The latency of the recorded attempts (from sending a request to its answer). */
    static void printAttempts(PooledDatabase db, String label) throws Exception {
        List<Long> all = new ArrayList<>();
        try (java.sql.Connection c = db.dataSource().getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery("SELECT latency_ms FROM webhook_attempts")) {
            while (rs.next()) {
                all.add(rs.getLong(1) * 1000);
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "%s %d recorded, p50 %.0f ms, p99 %.0f ms%n",
                label,
                sorted.length,
                pct(sorted, 0.5),
                pct(sorted, 0.99));
    }

    /** A change: one transaction; returns how many events it made. */
    @FunctionalInterface
    interface Change {
        int run() throws Exception;
    }

    /**
     * Makes changes (transactions) at the rate for the given seconds (open loop); returns how many
     * events they made, and adds to {@code producerCpu} the CPU time the producing threads spent
     * from the change number {@code measuredFrom} on, and to {@code measuredEvents} the events
     * those changes made.
     */
    static long paced(
            Change change,
            int rate,
            int seconds,
            int producers,
            long measuredFrom,
            AtomicLong producerCpu,
            AtomicLong measuredEvents)
            throws Exception {
        long total = (long) rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong();
        AtomicLong made = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(producers, named("bench-producer-"));
        java.lang.management.ThreadMXBean mx =
                java.lang.management.ManagementFactory.getThreadMXBean();
        for (int p = 0; p < producers; p++) {
            pool.submit(
                    () -> {
                        // this thread's CPU from its first change after the warm-up to its last
                        long from = -1;
                        try {
                            while (true) {
                                long i = next.getAndIncrement();
                                if (i >= total) {
                                    return null;
                                }
                                if (from < 0 && i >= measuredFrom) {
                                    from = mx.getCurrentThreadCpuTime();
                                }
                                long due = start + i * periodNanos;
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    TimeUnit.NANOSECONDS.sleep(wait);
                                }
                                int n = change.run();
                                made.addAndGet(n);
                                if (i >= measuredFrom) {
                                    measuredEvents.addAndGet(n);
                                }
                            }
                        } finally {
                            if (from >= 0) {
                                producerCpu.addAndGet(mx.getCurrentThreadCpuTime() - from);
                            }
                        }
                    });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 600L, TimeUnit.SECONDS);
        return made.get();
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void awaitReceived(Receiver r, long n, Duration max, PooledDatabase db)
            throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (r.received.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (r.received.get() < n) {
            System.out.printf("  WARNING: only %d of %d delivered%n", r.received.get(), n);
            try (java.sql.Connection c = db.dataSource().getConnection();
                    java.sql.Statement st = c.createStatement()) {
                try (java.sql.ResultSet rs =
                        st.executeQuery(
                                "SELECT status, attempts, lease_owner IS NULL, COUNT(*),"
                                        + " MIN(next_attempt_at) FROM webhook_deliveries GROUP BY"
                                        + " status, attempts, lease_owner IS NULL")) {
                    while (rs.next()) {
                        System.out.printf(
                                "    %s, %d attempts, unleased %s: %d, next %s%n",
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getObject(5) == null
                                        ? "-"
                                        : org.ironbridge.store.Micros.toInstant(rs.getLong(5)));
                    }
                }
                try (java.sql.ResultSet rs =
                        st.executeQuery(
                                "SELECT error, COUNT(*) FROM webhook_attempts WHERE error IS NOT"
                                        + " NULL GROUP BY error")) {
                    while (rs.next()) {
                        System.out.printf("    error %s: %d%n", rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private WebhookBench() {}

    static {
        // quiet: the engine logs every connection and webhook at INFO
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
