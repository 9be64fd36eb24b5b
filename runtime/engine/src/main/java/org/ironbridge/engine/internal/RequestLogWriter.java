package org.ironbridge.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RequestIds;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogQuery;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.RequestLogView;
import org.ironbridge.engine.SourceCall;
import org.ironbridge.metrics.Metrics;
import org.ironbridge.store.RequestLogRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log: a bounded in-memory queue that request threads add finished requests to, and one
 * writer thread that redacts them ({@link Redactor}) and writes them in batches.
 *
 * <p>Adding never blocks: when the queue holds more than half its capacity, or its bodies more than
 * {@link Settings#maxQueuedBodyBytes}, entries are kept without their bodies; when it is full,
 * entries are dropped. The HTTP layer asks first ({@link #admit}), when a request starts, so that
 * what would be dropped is never captured. Dropped bodies and entries are counted ({@code
 * ironbridge.request_log.dropped}, tag {@code what} = {@code bodies} or {@code entries}), as are
 * entries written and entries whose write failed (the database was down).
 *
 * <p>While the machine's CPUs are saturated ({@link CpuPressure}), logging keeps to a CPU budget
 * ({@link Settings#maxCpuPercent} of the machine): after each batch the writer pauses in proportion
 * to the CPU time the batch took, counted {@link #COST_FACTOR} times for what a logged request
 * costs elsewhere: capturing it on the request thread, the garbage collector, the database's
 * threads. Requests then come faster than the budget allows to write them, the queue fills,
 * admission sheds as above, and the busy server spends its CPU on requests rather than on their
 * log. With CPU to spare, everything is written.
 */
final class RequestLogWriter implements RequestLogService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLogWriter.class);
    private static final TypeReference<LinkedHashMap<String, String>> HEADERS =
            new TypeReference<>() {};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The whole cost of logging a request per unit of the writer's own CPU for it. Measured with
     * bench/request-logs.sh on a saturated 2-core machine, every request logged with its body (no
     * budget): 16.6 us more server CPU per request than without the log, of which 6.1 us on the
     * writer thread and 8.8 us on the request threads (copying headers, building the entry, the
     * queue), the rest garbage collection and compiled code: 2.7, rounded up.
     */
    static final double COST_FACTOR = 3;

    /**
     * How the log works.
     *
     * @param enabled whether requests are logged at all
     * @param maxBodyBytes how much of each body is kept
     * @param queueCapacity how many entries may wait for the writer
     * @param maxQueuedBodyBytes how many body bytes may wait for the writer
     * @param batchSize how many entries one write carries at most
     * @param idleWait how long the writer waits when the queue is empty
     * @param retention how long entries are kept
     * @param maxCpuPercent how much of the machine's CPU (all cores) writing the log may take while
     *     the machine is busy, in percent, counting the database's work ({@link #COST_FACTOR}); 100
     *     or more: no limit
     */
    record Settings(
            boolean enabled,
            int maxBodyBytes,
            int queueCapacity,
            long maxQueuedBodyBytes,
            int batchSize,
            Duration idleWait,
            Duration retention,
            int maxCpuPercent) {
        static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

        /**
         * Enough for the requests that come while a batch is written on a saturated machine: the
         * writer is then one thread among many runnable request threads and a batch that takes a
         * millisecond of CPU takes tens of milliseconds of wall time. With 256 entries the queue
         * overflowed at 7,000 to 13,500 requests per second on 2 cores and the log kept 6,000
         * entries per second (bench/request-logs.sh: 248,212 written, 171,303 dropped); with 2048
         * it kept nearly all (450,137 written, 26,740 dropped, warm-up included). Entries waiting
         * outlive young garbage collections and get copied by each, so it is not larger: their
         * bodies are bounded by {@code maxQueuedBodyBytes}, and above half the capacity they wait
         * without.
         */
        static final int DEFAULT_QUEUE_CAPACITY = 2048;

        static final int DEFAULT_RETENTION_DAYS = 30;

        /**
         * A share of the whole machine: a server saturated by clients on the same 2 cores gets
         * about 1.4 of them, so the log's 0.08 core costs it about 6% of its throughput (issue #7:
         * at most 10%).
         */
        static final int DEFAULT_MAX_CPU_PERCENT = 4;

        static Settings defaults() {
            return new Settings(
                    true,
                    DEFAULT_MAX_BODY_BYTES,
                    DEFAULT_QUEUE_CAPACITY,
                    1024L * 1024,
                    500,
                    Duration.ofMillis(50),
                    Duration.ofDays(DEFAULT_RETENTION_DAYS),
                    DEFAULT_MAX_CPU_PERCENT);
        }

        /** The log's budget in cores (0.2 = a fifth of one core). */
        double coreShare() {
            return maxCpuPercent / 100.0 * Runtime.getRuntime().availableProcessors();
        }
    }

    /** An entry waiting for the writer. */
    private record Queued(RequestLogEntry entry, boolean bodiesDropped, long bodyBytes) {}

    private final RequestLogRepository repository;
    private final Settings settings;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();

    /** Entries in the queue and in the batch being written. */
    private final AtomicInteger pending = new AtomicInteger();

    private final AtomicLong pendingBodyBytes = new AtomicLong();
    private final LongAdder droppedEntries = new LongAdder();
    private final LongAdder droppedBodies = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final List<Meter> meters = new ArrayList<>();
    private final Thread thread;
    private final CpuPressure cpu;
    private volatile boolean running = true;
    private volatile long quietUntil;

    /** Where batches go: the repository, or a stand-in in tests. */
    @FunctionalInterface
    interface Sink {
        void insert(List<RequestLogRepository.Entry> rows);
    }

    private final Sink sink;

    RequestLogWriter(RequestLogRepository repository, Settings settings, Clock clock) {
        this(repository, repository::insert, settings, clock);
    }

    RequestLogWriter(RequestLogRepository repository, Sink sink, Settings settings, Clock clock) {
        this(repository, sink, settings, clock, new CpuPressure());
    }

    RequestLogWriter(
            RequestLogRepository repository,
            Sink sink,
            Settings settings,
            Clock clock,
            CpuPressure cpu) {
        this.cpu = cpu;
        this.repository = repository;
        this.sink = sink;
        this.settings = settings;
        this.clock = clock;
        MeterRegistry r = Metrics.registry();
        meters.add(
                Gauge.builder("ironbridge.request_log.queue.size", pending, AtomicInteger::get)
                        .description("Request log entries waiting to be written")
                        .register(r));
        meters.add(
                FunctionCounter.builder(
                                "ironbridge.request_log.dropped", droppedEntries, LongAdder::sum)
                        .description("Request log entries or bodies dropped under pressure")
                        .tag("what", "entries")
                        .register(r));
        meters.add(
                FunctionCounter.builder(
                                "ironbridge.request_log.dropped", droppedBodies, LongAdder::sum)
                        .description("Request log entries or bodies dropped under pressure")
                        .tag("what", "bodies")
                        .register(r));
        meters.add(
                FunctionCounter.builder("ironbridge.request_log.written", written, LongAdder::sum)
                        .description("Request log entries written")
                        .register(r));
        meters.add(
                FunctionCounter.builder("ironbridge.request_log.failed", failed, LongAdder::sum)
                        .description("Request log entries lost because writing them failed")
                        .register(r));
        this.thread = new Thread(this::run, "ironbridge-request-log-writer");
        thread.setDaemon(true);
        if (settings.enabled()) {
            thread.start();
        }
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    @Override
    public int maxBodyBytes() {
        return settings.maxBodyBytes();
    }

    /**
     * What to take of a request that starts now: nothing when the queue is full, no bodies when it
     * holds more than half its capacity or its body bytes budget ({@link #record} applies the same
     * limits when the request ends). Under overload most requests are turned away here, where that
     * costs one read of a counter, instead of after their headers and bodies were copied.
     */
    @Override
    public Take admit() {
        if (!settings.enabled() || !running) {
            return Take.NOTHING;
        }
        int n = pending.get() + 1; // the place this request's entry would take, as in record
        if (n > settings.queueCapacity()) {
            droppedEntries.increment();
            return Take.NOTHING;
        }
        if (n > settings.queueCapacity() / 2
                || pendingBodyBytes.get() >= settings.maxQueuedBodyBytes()) {
            droppedBodies.increment();
            return Take.WITHOUT_BODIES;
        }
        return Take.ALL;
    }

    @Override
    public void record(RequestLogEntry entry) {
        record(entry, false);
    }

    /**
     * Queues an entry.
     *
     * @param bodiesDropped whether {@link #admit} already dropped (and counted) its bodies
     */
    @Override
    public void record(RequestLogEntry entry, boolean bodiesDropped) {
        if (!settings.enabled() || !running || entry.organizationId() == null) {
            return;
        }
        int n = pending.incrementAndGet();
        if (n > settings.queueCapacity()) {
            pending.decrementAndGet();
            droppedEntries.increment();
            return;
        }
        if (n == settings.queueCapacity() / 4) {
            // a backlog builds: wake the writer rather than let it sleep out its idle wait while
            // the queue fills (at a few thousand requests per second it would overflow)
            LockSupport.unpark(thread);
        }
        if (bodiesDropped) {
            queue.offer(new Queued(entry.withoutBodies(), true, 0));
            return;
        }
        long bytes = bodyBytes(entry);
        boolean dropBodies = false;
        if (bytes > 0) {
            if (n > settings.queueCapacity() / 2) {
                dropBodies = true;
            } else if (pendingBodyBytes.addAndGet(bytes) > settings.maxQueuedBodyBytes()) {
                pendingBodyBytes.addAndGet(-bytes);
                dropBodies = true;
            }
        }
        if (dropBodies) {
            droppedBodies.increment();
            queue.offer(new Queued(entry.withoutBodies(), true, 0));
        } else {
            queue.offer(new Queued(entry, false, bytes));
        }
    }

    private static long bodyBytes(RequestLogEntry e) {
        long n = 0;
        if (e.requestBody() != null) {
            n += e.requestBody().bytes().length;
        }
        if (e.responseBody() != null) {
            n += e.responseBody().bytes().length;
        }
        return n;
    }

    private void run() {
        List<Queued> batch = new ArrayList<>(settings.batchSize());
        while (running || !queue.isEmpty()) {
            Queued q;
            while (batch.size() < settings.batchSize() && (q = queue.poll()) != null) {
                batch.add(q);
            }
            if (batch.isEmpty()) {
                LockSupport.parkNanos(settings.idleWait().toNanos());
                continue;
            }
            long bytes = 0;
            for (Queued b : batch) {
                bytes += b.bodyBytes();
            }
            long cpu = cpuTime();
            try {
                write(batch);
            } finally {
                pendingBodyBytes.addAndGet(-bytes);
                pending.addAndGet(-batch.size());
                batch.clear();
            }
            pause(cpuTime() - cpu);
        }
    }

    /**
     * Keeps the writer within its CPU budget: a batch that took {@code c} ns of the writer's CPU
     * costs {@code COST_FACTOR * c} in all, so it is followed by a pause that makes the period
     * {@code COST_FACTOR * c / share} long.
     */
    private void pause(long cpuNanos) {
        if (settings.maxCpuPercent() >= 100 || cpuNanos <= 0 || !running || !cpu.busy()) {
            return;
        }
        double share = settings.coreShare();
        long end = System.nanoTime() + (long) (COST_FACTOR * cpuNanos / share) - cpuNanos;
        long left;
        // parkNanos may return early (flush unparks the writer): the pause is kept all the same
        while (running && (left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static long cpuTime() {
        return THREADS.isCurrentThreadCpuTimeSupported()
                ? THREADS.getCurrentThreadCpuTime()
                : System.nanoTime();
    }

    private void write(List<Queued> batch) {
        List<RequestLogRepository.Entry> rows = new ArrayList<>(batch.size());
        for (Queued q : batch) {
            try {
                rows.add(row(q.entry(), q.bodiesDropped(), settings.maxBodyBytes()));
            } catch (RuntimeException e) {
                failed.increment();
                LOG.warn("A request log entry could not be prepared", e);
            }
        }
        try {
            sink.insert(rows);
            written.add(rows.size());
        } catch (RuntimeException e) {
            failed.add(rows.size());
            long now = System.currentTimeMillis();
            if (now >= quietUntil) {
                // once a minute at most: the database may be down for a while
                quietUntil = now + 60_000;
                LOG.warn("Writing {} request log entries failed: {}", rows.size(), e.getMessage());
            }
        }
    }

    /** The stored form of an entry: redacted, bodies as text cut to {@code maxBodyBytes}. */
    static RequestLogRepository.Entry row(
            RequestLogEntry e, boolean bodiesDropped, int maxBodyBytes) {
        RequestLogEntry.Body req = e.requestBody();
        RequestLogEntry.Body res = e.responseBody();
        List<RequestLogRepository.SourceCall> calls = new ArrayList<>(e.sourceCalls().size());
        for (SourceCall c : e.sourceCalls()) {
            calls.add(
                    new RequestLogRepository.SourceCall(
                            c.startedAt(),
                            c.durationMicros(),
                            c.method(),
                            c.url(),
                            c.status(),
                            c.error()));
        }
        return new RequestLogRepository.Entry(
                0,
                e.organizationId(),
                e.connectionId(),
                e.requestId(),
                e.startedAt(),
                e.durationNanos() / 1_000,
                e.method(),
                Redactor.tokens(e.path()),
                Redactor.query(e.rawQuery()),
                e.status(),
                e.errorCode(),
                Redactor.headersJson(e.requestHeaders()),
                bodyText(req, maxBodyBytes),
                req == null ? null : req.size(),
                req != null && (req.truncated() || req.length() > maxBodyBytes),
                Redactor.headersJson(e.responseHeaders()),
                bodyText(res, maxBodyBytes),
                res == null ? null : res.size(),
                res != null && (res.truncated() || res.length() > maxBodyBytes),
                bodiesDropped,
                calls.size(),
                calls);
    }

    private static byte[] bodyText(RequestLogEntry.Body body, int maxBodyBytes) {
        if (body == null || body.size() == 0) {
            return null;
        }
        int length = Math.min(body.length(), maxBodyBytes);
        return Redactor.bodyUtf8(
                body.bytes(),
                length,
                body.contentType(),
                body.truncated() || length < body.length());
    }

    /** Deletes entries older than the retention period, in batches. */
    int purgeExpired() {
        Instant cutoff = clock.instant().minus(settings.retention());
        int total = 0;
        while (true) {
            int n = repository.deleteBefore(cutoff, 1000);
            total += n;
            if (n < 1000) {
                return total;
            }
        }
    }

    /**
     * Waits until everything queued so far is written (for tests and shutdown).
     *
     * @return whether the queue emptied within the timeout
     */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.unpark(thread);
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** How many entries wait to be written. */
    int pending() {
        return pending.get();
    }

    long droppedEntries() {
        return droppedEntries.sum();
    }

    long droppedBodies() {
        return droppedBodies.sum();
    }

    long written() {
        return written.sum();
    }

    @Override
    public Page<RequestLogView> list(String organizationId, RequestLogQuery q)
            throws EngineException {
        RequestLogRepository.Position after = q.cursor() == null ? null : parseCursor(q.cursor());
        if (q.cursor() != null && after == null) {
            throw EngineException.invalid(
                    "Invalid cursor: use the next_cursor of the previous page.",
                    List.of(
                            new org.ironbridge.api.connector.FieldError(
                                    "cursor", "is not a cursor of this list")));
        }
        RequestLogRepository.Listing listing =
                repository.list(
                        new RequestLogRepository.Query(
                                organizationId,
                                q.connectionId(),
                                q.statusFrom(),
                                q.statusTo(),
                                q.errorCode(),
                                q.since(),
                                q.until(),
                                q.text(),
                                after,
                                q.pageSize()));
        List<RequestLogView> views = new ArrayList<>(listing.entries().size());
        for (RequestLogRepository.Entry r : listing.entries()) {
            views.add(view(r, false));
        }
        return new Page<>(views, listing.next() == null ? null : cursor(listing.next()));
    }

    /**
     * The cursor of a listing position: its block's {@code last_at} (microseconds), the block's id
     * and the position in it, in base 36.
     */
    static String cursor(RequestLogRepository.Position p) {
        return Long.toString(p.lastAtMicros(), 36)
                + "."
                + Long.toString(p.blockId(), 36)
                + "."
                + Integer.toString(p.index(), 36);
    }

    /** The listing position of a cursor, or null if it is not one. */
    static RequestLogRepository.Position parseCursor(String cursor) {
        String[] parts = cursor.split("\\.", -1);
        if (parts.length != 3 || cursor.length() > 60) {
            return null;
        }
        try {
            long at = Long.parseLong(parts[0], 36);
            long id = Long.parseLong(parts[1], 36);
            int index = Integer.parseInt(parts[2], 36);
            return at < 0 || id < 0 || index < 0 || index > RequestLogRepository.MAX_BLOCK_ENTRIES
                    ? null
                    : new RequestLogRepository.Position(at, id, index);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The entry by its request id: an id Ironbridge generated carries the request's time ({@link
     * RequestIds}), so only the blocks written around then are read; a client's own id is searched
     * among the organization's newest entries ({@link RequestLogRepository#MAX_FIND_SCAN}).
     */
    @Override
    public Optional<RequestLogView> find(String organizationId, String requestId) {
        return repository
                .find(organizationId, requestId, RequestIds.timeOf(requestId))
                .map(r -> view(r, true));
    }

    private static RequestLogView view(RequestLogRepository.Entry r, boolean whole) {
        List<SourceCall> calls = null;
        if (whole) {
            calls = new ArrayList<>(r.sourceCalls().size());
            for (RequestLogRepository.SourceCall c : r.sourceCalls()) {
                calls.add(
                        new SourceCall(
                                c.startedAt(),
                                c.durationMicros(),
                                c.method(),
                                c.url(),
                                c.status(),
                                c.error()));
            }
        }
        return new RequestLogView(
                r.requestId(),
                r.startedAt(),
                r.durationMicros(),
                r.connectionId(),
                r.method(),
                r.path(),
                r.query(),
                r.status(),
                r.errorCode(),
                r.sourceCallCount(),
                r.bodiesDropped(),
                whole
                        ? new RequestLogView.Message(
                                parseHeaders(r.requestHeaders()),
                                r.requestBodyText(),
                                r.requestBodySize(),
                                r.requestBodyTruncated())
                        : null,
                whole
                        ? new RequestLogView.Message(
                                parseHeaders(r.responseHeaders()),
                                r.responseBodyText(),
                                r.responseBodySize(),
                                r.responseBodyTruncated())
                        : null,
                calls);
    }

    private static Map<String, String> parseHeaders(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, HEADERS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MeterRegistry r = Metrics.registry();
        meters.forEach(r::remove);
    }
}
