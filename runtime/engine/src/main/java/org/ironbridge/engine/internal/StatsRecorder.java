package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConnectionHealth;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.StatsPoint;
import org.ironbridge.engine.StatsSeries;
import org.ironbridge.store.ConnectionRepository;
import org.ironbridge.store.ConnectionRow;
import org.ironbridge.store.Jdbc;
import org.ironbridge.store.MinuteStatsRow;
import org.ironbridge.store.StatsRepository;
import org.ironbridge.store.StatusChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectionStats}: aggregates per connection and minute in memory, and writes each
 * finished minute's rows in one batch ({@link #flush}, run every minute by the engine's
 * housekeeping). The request path only ever touches memory: a map lookup and a few increments under
 * the lock of one (connection, minute) bucket.
 *
 * <p>Also the source of {@link ConnectionHealth}: the last hour's source calls are the stored
 * minutes (of every process) plus this process's minutes not written yet.
 *
 * <p>Memory is bounded: beyond {@link #MAX_BUCKETS} open buckets new ones are not created (the
 * events are counted as dropped and logged), and rows that could not be written (database down) are
 * kept for the next flush up to {@link #MAX_UNSAVED}, the oldest dropped first.
 */
final class StatsRecorder implements ConnectionStats {
    private static final Logger LOG = LoggerFactory.getLogger(StatsRecorder.class);

    static final Duration DEFAULT_RETENTION = Duration.ofDays(8);

    /** A minute is written this long after it ended, so that events that began in it are in. */
    static final Duration GRACE = Duration.ofSeconds(5);

    static final int MAX_BUCKETS = 200_000;
    static final int MAX_UNSAVED = 200_000;

    /** Distinct error codes kept per bucket (there are about twenty). */
    static final int MAX_ERROR_CODES = 32;

    /** Source-side failures for health (see {@link ConnectionHealth}). */
    static final Set<Code> SOURCE_ERRORS =
            Set.of(
                    Code.SOURCE_UNAVAILABLE,
                    Code.SOURCE_ERROR,
                    Code.RATE_LIMITED,
                    Code.REAUTHORIZATION_REQUIRED,
                    Code.INSUFFICIENT_PERMISSIONS,
                    Code.CREDENTIALS_REJECTED);

    private record Key(String connectionId, long minute) {}

    /** One connection's counts in one minute; guarded by its own monitor. */
    private static final class Bucket {
        boolean closed;
        int apiRequests;
        int apiErrors;
        int apiServerErrors;
        final Map<String, Integer> errorCodes = new LinkedHashMap<>();
        final LatencyHistogram latency = new LatencyHistogram();
        long latencyMaxUs;
        int sourceCalls;
        int sourceErrors;
        int sourceRejected;
        Instant sourceLastOk;
        int syncRuns;
        int syncFailures;
        long syncDurationSumMs;
        long syncDurationMaxMs;

        MinuteStatsRow row(Key k, String writer) {
            return new MinuteStatsRow(
                    k.connectionId(),
                    Instant.ofEpochSecond(k.minute()),
                    writer,
                    apiRequests,
                    apiErrors,
                    apiServerErrors,
                    encodeCodes(errorCodes),
                    latency.encode(),
                    latencyMaxUs,
                    sourceCalls,
                    sourceErrors,
                    sourceRejected,
                    sourceLastOk,
                    syncRuns,
                    syncFailures,
                    syncDurationSumMs,
                    syncDurationMaxMs);
        }
    }

    private final StatsRepository repository;
    private final ConnectionRepository connections;
    private final Clock clock;
    private final String writer;
    private final Function<String, String> circuitState;
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

    /** The end of the last source call per connection that did not fail on the source's side. */
    private final ConcurrentHashMap<String, Instant> lastOk = new ConcurrentHashMap<>();

    private final AtomicLong dropped = new AtomicLong();
    private final List<MinuteStatsRow> unsaved = new ArrayList<>();
    private volatile Duration retention = DEFAULT_RETENTION;

    /**
     * @param writer this process's name in the rows it writes (unique per process start)
     * @param circuitState the circuit state of a connection ({@code closed}, {@code open}, {@code
     *     half_open})
     */
    StatsRecorder(
            DataSource ds, Clock clock, String writer, Function<String, String> circuitState) {
        this.repository = new StatsRepository(ds);
        this.connections = new ConnectionRepository(ds);
        this.clock = clock;
        this.writer = writer;
        this.circuitState = circuitState;
    }

    /** How long minute rows are kept (at least a day). */
    void retention(Duration d) {
        this.retention = d.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : d;
    }

    Duration retention() {
        return retention;
    }

    /** Events not counted because too many buckets were open. */
    long dropped() {
        return dropped.get();
    }

    // ---------------------------------------------------------------- recording

    private static long minuteOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60) * 60;
    }

    private void record(String connectionId, Consumer<Bucket> change) {
        if (connectionId == null) {
            return;
        }
        // a bucket closed by a flush belongs to a minute that is over: record in the current one
        for (int attempt = 0; attempt < 3; attempt++) {
            Key key = new Key(connectionId, minuteOf(clock.instant()));
            Bucket b = buckets.get(key);
            if (b == null) {
                if (buckets.size() >= MAX_BUCKETS) {
                    if (dropped.getAndIncrement() % 10_000 == 0) {
                        LOG.warn(
                                "Too many connection statistics buckets open ({}); events are"
                                        + " dropped",
                                buckets.size());
                    }
                    return;
                }
                b = buckets.computeIfAbsent(key, k -> new Bucket());
            }
            synchronized (b) {
                if (!b.closed) {
                    change.accept(b);
                    return;
                }
            }
        }
    }

    @Override
    public void recordApiRequest(
            String connectionId, int httpStatus, String errorCode, long durationNanos) {
        long micros = Math.max(0, durationNanos / 1000);
        record(
                connectionId,
                b -> {
                    b.apiRequests++;
                    if (httpStatus >= 400) {
                        b.apiErrors++;
                        if (httpStatus >= 500) {
                            b.apiServerErrors++;
                        }
                        String code = errorCode == null ? "http_" + httpStatus : errorCode;
                        if (b.errorCodes.containsKey(code)
                                || b.errorCodes.size() < MAX_ERROR_CODES) {
                            b.errorCodes.merge(code, 1, Integer::sum);
                        }
                    }
                    b.latency.add(micros);
                    b.latencyMaxUs = Math.max(b.latencyMaxUs, micros);
                });
    }

    /**
     * A call to the connection's source ended.
     *
     * @param failure its (mapped) failure, or null when it succeeded
     */
    void sourceCall(String connectionId, EngineException failure) {
        boolean error = failure != null && SOURCE_ERRORS.contains(failure.code());
        Instant now = clock.instant();
        if (!error) {
            lastOk.merge(connectionId, now, (a, b) -> a.isAfter(b) ? a : b);
        }
        record(
                connectionId,
                b -> {
                    b.sourceCalls++;
                    if (error) {
                        b.sourceErrors++;
                    } else if (b.sourceLastOk == null || now.isAfter(b.sourceLastOk)) {
                        b.sourceLastOk = now;
                    }
                });
    }

    /** A call to the source was refused because the connection's circuit is open. */
    void sourceRejected(String connectionId) {
        record(connectionId, b -> b.sourceRejected++);
    }

    /** A sync run ended. */
    void syncRun(String connectionId, boolean succeeded, Duration duration) {
        long ms = Math.max(0, duration.toMillis());
        record(
                connectionId,
                b -> {
                    b.syncRuns++;
                    if (!succeeded) {
                        b.syncFailures++;
                    }
                    b.syncDurationSumMs += ms;
                    b.syncDurationMaxMs = Math.max(b.syncDurationMaxMs, ms);
                });
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes the minutes that ended at least {@link #GRACE} ago (every minute, the current one too,
     * when {@code all}) in one batch, with any rows a failed flush left.
     *
     * @return the rows written
     */
    synchronized int flush(boolean all) {
        long now = clock.instant().minus(GRACE).getEpochSecond();
        List<MinuteStatsRow> rows = new ArrayList<>(unsaved);
        for (Key k : List.copyOf(buckets.keySet())) {
            if (!all && k.minute() + 60 > now) {
                continue;
            }
            Bucket b = buckets.remove(k);
            if (b == null) {
                continue;
            }
            synchronized (b) {
                b.closed = true;
                rows.add(b.row(k, writer));
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            write(rows);
            unsaved.clear();
            return rows.size();
        } catch (RuntimeException e) {
            unsaved.clear();
            int from = Math.max(0, rows.size() - MAX_UNSAVED);
            if (from > 0) {
                LOG.warn("Dropping {} unwritten connection statistics rows", from);
            }
            unsaved.addAll(rows.subList(from, rows.size()));
            LOG.warn(
                    "Could not write {} connection statistics rows; retrying with the next flush:"
                            + " {}",
                    rows.size(),
                    e.getMessage());
            return 0;
        }
    }

    private void write(List<MinuteStatsRow> rows) {
        try {
            repository.insert(rows);
        } catch (RuntimeException e) {
            if (!Jdbc.isDuplicateKey(e)) {
                throw e;
            }
            // an earlier attempt was written after all: write the rest one by one
            for (MinuteStatsRow r : rows) {
                try {
                    repository.insert(List.of(r));
                } catch (RuntimeException again) {
                    if (!Jdbc.isDuplicateKey(again)) {
                        throw again;
                    }
                }
            }
        }
    }

    /** Deletes the minutes older than the retention; returns how many rows. */
    int purgeOld() {
        return repository.deleteBefore(clock.instant().minus(retention));
    }

    // ---------------------------------------------------------------- reading

    /** The health of each connection (every id gets one). */
    Map<String, ConnectionHealth> health(Collection<String> connectionIds) {
        if (connectionIds.isEmpty()) {
            return Map.of();
        }
        long since = minuteOf(clock.instant()) - 59 * 60;
        Map<String, StatsRepository.SourceTotals> stored =
                repository.sourceTotals(connectionIds, Instant.ofEpochSecond(since));
        Map<String, long[]> memory = new HashMap<>();
        Set<String> wanted = Set.copyOf(connectionIds);
        buckets.forEach(
                (k, b) -> {
                    if (k.minute() >= since && wanted.contains(k.connectionId())) {
                        long[] sum = memory.computeIfAbsent(k.connectionId(), x -> new long[2]);
                        synchronized (b) {
                            if (!b.closed) {
                                sum[0] += b.sourceCalls;
                                sum[1] += b.sourceErrors;
                            }
                        }
                    }
                });
        Map<String, ConnectionHealth> out = new LinkedHashMap<>();
        for (String id : connectionIds) {
            StatsRepository.SourceTotals db = stored.get(id);
            long[] mem = memory.getOrDefault(id, new long[2]);
            long calls = mem[0] + (db == null ? 0 : db.calls());
            long errors = mem[1] + (db == null ? 0 : db.errors());
            Instant ok = later(lastOk.get(id), db == null ? null : db.lastOkAt());
            if (ok == null) {
                ok = repository.lastSourceOk(id).orElse(null);
            }
            out.put(
                    id,
                    new ConnectionHealth(
                            calls == 0 ? null : (double) errors / calls,
                            calls,
                            ok,
                            circuitState.apply(id)));
        }
        return out;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    @Override
    public StatsSeries series(
            String organizationId,
            String connectionId,
            Instant since,
            Instant until,
            int stepSeconds)
            throws EngineException {
        Instant[] range = range(since, until, stepSeconds);
        Instant from = range[0];
        Instant end = range[1];
        if (connections.find(organizationId, connectionId).isEmpty()) {
            throw EngineException.notFound("No such connection");
        }
        TreeMap<Long, Acc> points =
                points(
                        repository.range(connectionId, from, end),
                        connectionId::equals,
                        from,
                        end,
                        stepSeconds);
        for (StatusChange c : connections.statusHistory(connectionId)) {
            if (!c.at().isBefore(from) && c.at().isBefore(end)) {
                point(points, c.at(), stepSeconds).statusChanges++;
            }
        }
        List<StatsPoint> data = new ArrayList<>(points.size());
        points.forEach((at, acc) -> data.add(acc.point(Instant.ofEpochSecond(at))));
        return new StatsSeries(connectionId, from, end, stepSeconds, data);
    }

    @Override
    public StatsSeries organizationSeries(
            String organizationId, Instant since, Instant until, int stepSeconds)
            throws EngineException {
        Instant[] range = range(since, until, stepSeconds);
        Instant from = range[0];
        Instant end = range[1];
        Set<String> ids = new HashSet<>();
        for (ConnectionRow r :
                connections.list(organizationId, null, null, null, null, null, 100_000)) {
            ids.add(r.id());
        }
        TreeMap<Long, Acc> points =
                points(
                        repository.rangeOfOrganization(organizationId, from, end),
                        ids::contains,
                        from,
                        end,
                        stepSeconds);
        List<StatsPoint> data = new ArrayList<>(points.size());
        points.forEach((at, acc) -> data.add(acc.point(Instant.ofEpochSecond(at))));
        return new StatsSeries(null, from, end, stepSeconds, data);
    }

    /**
     * Checks a requested range and aligns its start to the step.
     *
     * @return the aligned start and the end
     */
    private Instant[] range(Instant since, Instant until, int stepSeconds) throws EngineException {
        if (!STEPS.contains(stepSeconds)) {
            throw EngineException.invalid(
                    "step must be one of 60, 300, 900 or 3600 seconds",
                    List.of(new FieldError("step", "must be one of 60, 300, 900, 3600")));
        }
        Instant end = until == null ? clock.instant() : until;
        Instant start = since == null ? end.minus(Duration.ofHours(1)) : since;
        if (!start.isBefore(end)) {
            throw EngineException.invalid(
                    "since must be before until",
                    List.of(new FieldError("since", "must be before until")));
        }
        long first = Math.floorDiv(start.getEpochSecond(), stepSeconds) * stepSeconds;
        long span = end.getEpochSecond() - first;
        long steps = (span + stepSeconds - 1) / stepSeconds;
        if (steps > MAX_POINTS) {
            throw EngineException.invalid(
                    "The range spans " + steps + " steps; at most " + MAX_POINTS + " are allowed",
                    List.of(
                            new FieldError(
                                    "since",
                                    "the range may span at most "
                                            + MAX_POINTS
                                            + " steps of "
                                            + stepSeconds
                                            + " s; shorten it or use a longer step")));
        }
        return new Instant[] {Instant.ofEpochSecond(first), end};
    }

    /**
     * Adds up stored rows and this node's unwritten minutes of the connections {@code mine} accepts
     * into steps.
     */
    private TreeMap<Long, Acc> points(
            List<MinuteStatsRow> stored,
            java.util.function.Predicate<String> mine,
            Instant from,
            Instant end,
            int stepSeconds) {
        TreeMap<Long, Acc> points = new TreeMap<>();
        for (MinuteStatsRow r : stored) {
            point(points, r.minute(), stepSeconds).add(r);
        }
        buckets.forEach(
                (k, b) -> {
                    Instant minute = Instant.ofEpochSecond(k.minute());
                    if (mine.test(k.connectionId())
                            && !minute.isBefore(from)
                            && minute.isBefore(end)) {
                        MinuteStatsRow r;
                        synchronized (b) {
                            r = b.closed ? null : b.row(k, writer);
                        }
                        if (r != null) {
                            point(points, minute, stepSeconds).add(r);
                        }
                    }
                });
        return points;
    }

    private static Acc point(TreeMap<Long, Acc> points, Instant t, int step) {
        long at = Math.floorDiv(t.getEpochSecond(), step) * step;
        return points.computeIfAbsent(at, x -> new Acc());
    }

    /** Rows of one step added up. */
    private static final class Acc {
        long apiRequests;
        long apiErrors;
        long apiServerErrors;
        final Map<String, Long> codes = new TreeMap<>();
        final LatencyHistogram latency = new LatencyHistogram();
        long latencyMaxUs;
        long sourceCalls;
        long sourceErrors;
        long sourceRejected;
        long syncRuns;
        long syncFailures;
        long syncSumMs;
        long syncMaxMs;
        long statusChanges;

        void add(MinuteStatsRow r) {
            apiRequests += r.apiRequests();
            apiErrors += r.apiErrors();
            apiServerErrors += r.apiServerErrors();
            decodeCodes(r.apiErrorCodes()).forEach((k, v) -> codes.merge(k, v, Long::sum));
            latency.add(LatencyHistogram.decode(r.apiLatency()));
            latencyMaxUs = Math.max(latencyMaxUs, r.apiLatencyMaxUs());
            sourceCalls += r.sourceCalls();
            sourceErrors += r.sourceErrors();
            sourceRejected += r.sourceRejected();
            syncRuns += r.syncRuns();
            syncFailures += r.syncFailures();
            syncSumMs += r.syncDurationSumMs();
            syncMaxMs = Math.max(syncMaxMs, r.syncDurationMaxMs());
        }

        StatsPoint point(Instant at) {
            boolean requests = latency.total() > 0;
            return new StatsPoint(
                    at,
                    apiRequests,
                    apiErrors,
                    apiServerErrors,
                    Map.copyOf(codes),
                    requests ? ms(latency.quantile(0.50, latencyMaxUs)) : null,
                    requests ? ms(latency.quantile(0.95, latencyMaxUs)) : null,
                    requests ? ms(latency.quantile(0.99, latencyMaxUs)) : null,
                    requests ? ms(latencyMaxUs) : null,
                    sourceCalls,
                    sourceErrors,
                    sourceRejected,
                    syncRuns,
                    syncFailures,
                    syncRuns == 0 ? null : (double) syncSumMs / syncRuns,
                    syncRuns == 0 ? null : syncMaxMs,
                    statusChanges);
        }

        /** Microseconds as milliseconds with three decimals. */
        private static double ms(double micros) {
            return Math.round(micros) / 1000.0;
        }
    }

    static String encodeCodes(Map<String, Integer> codes) {
        if (codes.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        codes.forEach(
                (k, v) -> {
                    if (sb.length() > 0) {
                        sb.append(';');
                    }
                    sb.append(k).append('=').append(v);
                });
        return sb.toString();
    }

    static Map<String, Long> decodeCodes(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.merge(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)), Long::sum);
            } catch (NumberFormatException e) {
                // a cut-off last entry: skipped
            }
        }
        return out;
    }
}
