package org.ironbridge.engine.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.PooledDatabase;
import org.ironbridge.store.RequestLogRepository;

/**
 * The cost of the request log's write path ({@code bench/request-log-writes.sh}), free of the HTTP
 * server and of other load on the machine: entries shaped like those of {@code GET
 * /v1/purchase-orders/{id}} (five request headers, three response headers, a purchase order of
 * about 1.5 KB as the response body) go through the real {@link RequestLogWriter} (redaction,
 * batches) into the real {@link RequestLogRepository}, as fast as the writer takes them, with no
 * CPU budget. It prints the entries written per second and the CPU time per entry written: the
 * whole process's without the thread that adds the entries (the database's own threads included, on
 * H2) and the writer thread's.
 *
 * <p>Arguments (all optional, {@code name=value}): {@code entries} (200000 measured, after {@code
 * warmup} 50000), {@code bodies} ({@code true}; {@code false}: entries without bodies, as kept
 * under pressure), {@code db} (a MariaDB server URL such as {@code jdbc:mariadb://127.0.0.1:3306/};
 * default an embedded H2 file under a temporary folder), {@code user} ({@code root}), {@code
 * password}.
 */
public final class RequestLogBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RequestLogBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int entries = Integer.parseInt(a.getOrDefault("entries", "200000"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "50000"));
        boolean bodies = Boolean.parseBoolean(a.getOrDefault("bodies", "true"));
        DatabaseSettings settings = database(a);
        try (PooledDatabase db = new PooledDatabase(settings)) {
            db.migrate();
            new OrganizationRepository(db.dataSource())
                    .createWithAdminKey(
                            "org_bench", "Bench", 10, "key_bench", "a".repeat(64), "ibk_b", now());
            RequestLogRepository repository = new RequestLogRepository(db.dataSource());
            RequestLogWriter.Settings d = RequestLogWriter.Settings.defaults();
            RequestLogWriter.Settings s =
                    new RequestLogWriter.Settings(
                            true,
                            d.maxBodyBytes(),
                            d.queueCapacity(),
                            d.maxQueuedBodyBytes(),
                            d.batchSize(),
                            d.idleWait(),
                            d.retention(),
                            100);
            try (RequestLogWriter writer = new RequestLogWriter(repository, s, Clock.systemUTC())) {
                byte[] body = purchaseOrder();
                run(writer, warmup, bodies, body);
                Map<String, Long> threads0 = threadTicks();
                long cpu0 = processCpu() - THREADS.getCurrentThreadCpuTime();
                long writer0 = writerCpu();
                long t0 = System.nanoTime();
                long written0 = writer.written();
                run(writer, entries, bodies, body);
                long t1 = System.nanoTime();
                long written = writer.written() - written0;
                // the database's background work for these entries (H2 stores and compacts later)
                Thread.sleep(2_000);
                long cpu = processCpu() - THREADS.getCurrentThreadCpuTime() - cpu0;
                long writerCpu = writerCpu() - writer0;
                System.out.printf(
                        Locale.ROOT,
                        "%s, %d entries %s bodies (response body %d bytes): %.0f entries/s;"
                                + " CPU per entry: process %.1f us, writer thread %.1f us;"
                                + " dropped entries %d%n",
                        settings.dialect(),
                        written,
                        bodies ? "with" : "without",
                        body.length,
                        written * 1e9 / (t1 - t0),
                        cpu / 1e3 / written,
                        writerCpu / 1e3 / written,
                        writer.droppedEntries());
                Map<String, Long> threads = threadTicks();
                StringBuilder sb = new StringBuilder("CPU per entry by thread (us):");
                threads.entrySet().stream()
                        .map(
                                e ->
                                        Map.entry(
                                                e.getKey(),
                                                e.getValue()
                                                        - threads0.getOrDefault(e.getKey(), 0L)))
                        .filter(e -> e.getValue() > 0)
                        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                        .limit(8)
                        .forEach(
                                e ->
                                        sb.append(
                                                String.format(
                                                        Locale.ROOT,
                                                        " %s %.1f;",
                                                        e.getKey(),
                                                        e.getValue() * 1e4 / written)));
                System.out.println(sb);
            }
        }
    }

    /** Records entries as fast as the writer takes them (never more than its queue holds). */
    private static void run(RequestLogWriter writer, int n, boolean bodies, byte[] body) {
        RequestLogWriter.Settings d = RequestLogWriter.Settings.defaults();
        for (int i = 0; i < n; i++) {
            while (writer.pending() >= d.queueCapacity() / 2 - 1) {
                LockSupport.parkNanos(100_000);
            }
            writer.record(entry(i, bodies ? body : null));
        }
        if (!writer.flush(Duration.ofMinutes(2))) {
            throw new IllegalStateException("the writer did not catch up");
        }
    }

    private static RequestLogEntry entry(int i, byte[] body) {
        Map<String, List<String>> req = new LinkedHashMap<>();
        req.put("Host", List.of("127.0.0.1:8080"));
        req.put("User-Agent", List.of("erp-client/1.4"));
        req.put("Accept", List.of("application/json"));
        req.put("Authorization", List.of("Bearer ibt_AbCdEfGhIjKlMnOpQrStUvWxYz012345"));
        req.put("Accept-Encoding", List.of("gzip"));
        String requestId = "req_" + Long.toString(1_000_000_000L + i, 36) + "x7Yq2";
        Map<String, List<String>> res = new LinkedHashMap<>(4);
        res.put("Content-Type", List.of("application/json"));
        res.put("X-Request-Id", List.of(requestId));
        res.put("Content-Length", List.of(body == null ? "0" : Integer.toString(body.length)));
        return new RequestLogEntry(
                "org_bench",
                "conn_" + (i % 4),
                requestId,
                now(),
                850_000,
                "GET",
                "/v1/purchase-orders/po_" + (i % 5000),
                null,
                200,
                null,
                req,
                null,
                res,
                body == null
                        ? null
                        : new RequestLogEntry.Body(
                                body, body.length, body.length, "application/json"),
                List.of());
    }

    private static Instant now() {
        return Instant.now();
    }

    /** A purchase order as the data API returns it, with three lines. */
    static byte[] purchaseOrder() {
        StringBuilder sb =
                new StringBuilder(
                        "{\"id\":\"po_01J9ZK3M8Q4R2T6V8X0Z2B4D6F\",\"remote_id\":\"PO-104233\","
                                + "\"number\":\"PO-104233\",\"status\":\"approved\","
                                + "\"supplier\":{\"id\":\"sup_01J9ZK3M8Q4R2T6V8X0Z2B4D\","
                                + "\"name\":\"Northwind Traders\"},\"currency\":\"EUR\","
                                + "\"order_date\":\"2026-10-14\",\"expected_date\":\"2026-10-28\","
                                + "\"total_amount\":\"12480.50\",\"tax_amount\":\"2371.30\","
                                + "\"notes\":\"Deliver to dock 3, call ahead.\",\"lines\":[");
        for (int l = 0; l < 3; l++) {
            sb.append(l == 0 ? "" : ",")
                    .append("{\"id\":\"pol_01J9ZK3M8Q4R2T6V8X0Z2B")
                    .append(l)
                    .append("\",\"item\":{\"id\":\"item_01J9ZK3M8Q4R2T6V8X")
                    .append(l)
                    .append("\",\"sku\":\"SKU-")
                    .append(7000 + l)
                    .append("\",\"name\":\"Steel bracket type ")
                    .append(l)
                    .append("\"},\"description\":\"Galvanized steel bracket, 40 mm\",")
                    .append("\"quantity\":\"120\",\"unit_price\":\"34.50\",\"amount\":\"4140.00\",")
                    .append("\"tax_rate\":\"0.19\",\"received_quantity\":\"0\"}");
        }
        sb.append(
                "],\"created_at\":\"2026-10-14T09:12:44Z\",\"updated_at\":\"2026-10-15T16:40:02Z\","
                        + "\"remote_updated_at\":\"2026-10-15T16:40:01Z\","
                        + "\"connection_id\":\"conn_01J9ZK3M8Q4R2T6V8X0Z2B4D6F\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static DatabaseSettings database(Map<String, String> a) throws Exception {
        String url = a.get("db");
        if (url == null) {
            Path dir = Files.createTempDirectory("ironbridge-reqlog-bench-");
            return new DatabaseSettings(DatabaseSettings.h2Url(dir.resolve("db")), "sa", "", 4);
        }
        String user = a.getOrDefault("user", "root");
        String password = a.getOrDefault("password", "");
        String name = "ib_reqlog_bench";
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return new DatabaseSettings(url + name, user, password, 4);
    }

    /**
     * CPU time (clock ticks, 1/100 s) of each thread of this process by name, from /proc (Linux).
     */
    private static Map<String, Long> threadTicks() throws java.io.IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (var dirs = Files.list(tasks)) {
            for (Path t : dirs.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close).replaceAll("[0-9]+$", "#");
                String[] f = stat.substring(close + 2).split(" ");
                out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        }
        return out;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long writerCpu() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ironbridge-request-log-writer")) {
                return THREADS.getThreadCpuTime(t.getId());
            }
        }
        return 0;
    }
}
