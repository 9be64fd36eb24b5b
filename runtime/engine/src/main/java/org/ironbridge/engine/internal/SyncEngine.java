package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.ChangeListener;
import org.ironbridge.store.ConnectionRepository;
import org.ironbridge.store.ConnectionRow;
import org.ironbridge.store.Jdbc;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.StoreException;
import org.ironbridge.store.SyncRepository;
import org.ironbridge.store.SyncRunRow;
import org.ironbridge.store.SyncStateRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sync of one entity of one connection, under a lease taken by the scheduler: an initial
 * sync (cursor null, lookback {@code initial_days}), then incremental syncs from the stored cursor
 * minus an overlap window. Each page is written in one transaction with its cursor checkpoint and
 * the run's counters, so an interrupted run continues from its last checkpoint (an unfinished run's
 * checkpoint is used as-is, without overlap, in the order it was read).
 *
 * <p>When the connector declares {@code newestFirst} for the entity, the initial sync and the
 * requested full syncs read newest first (recent data is usable early); their cursors carry the
 * snapshot mark taken at their first page, so the incremental syncs after them start from that mark
 * minus the overlap.
 */
final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    static final int PAGE_SIZE = 500;
    static final Duration OVERLAP = Duration.ofMinutes(2);
    static final Duration LEASE = Duration.ofMinutes(5);

    /** Consecutive failed runs of an entity after which an active connection is degraded. */
    static final int DEGRADED_AFTER = 3;

    private static final int PAGE_ATTEMPTS = 3;

    /** Attempts at reading one page when the source fails transiently (429, 503, timeouts). */
    static final int READ_ATTEMPTS = 5;

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /**
     * The longest wait for a page within a run: a source that asks for more (Retry-After) ends the
     * run, which keeps its checkpoint and is retried after that wait.
     */
    static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(90);

    /** How the engine waits between attempts (tests record the waits instead). */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * What a run reads: its kind, the cursor to start from, the lookback bound and the order (an
     * initial sync reads newest first when the connector can).
     */
    record Plan(String kind, Cursor cursor, Instant since, ReadRequest.Order order) {
        Plan(String kind, Cursor cursor, Instant since) {
            this(kind, cursor, since, ReadRequest.Order.OLDEST_FIRST);
        }

        boolean newestFirst() {
            return order == ReadRequest.Order.NEWEST_FIRST;
        }
    }

    /** The lease was lost to another node: stop without touching the run. */
    private static final class LostLease extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostLease() {
            super("lost the sync lease", null, false, false);
        }
    }

    /** The node shuts down: stop without touching the run, which continues from its checkpoint. */
    private static final class Stopping extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopping() {
            super("the node is stopping", null, false, false);
        }
    }

    private final DataSource ds;
    private final Sessions sessions;
    private final RecordWriter writer;
    private final ConnectionManager manager;
    private final Clock clock;
    private final String owner;
    private final SyncRepository syncs;
    private final ConnectionRepository connections;
    private volatile boolean stopping;
    private volatile Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private volatile StatsRecorder stats;
    private final RecordRepository records;

    /** Reads the next page of running syncs while they write the current one. */
    private final ExecutorService prefetch =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "ironbridge-sync-prefetch");
                        t.setDaemon(true);
                        return t;
                    });

    SyncEngine(
            DataSource ds,
            Sessions sessions,
            RecordWriter writer,
            ConnectionManager manager,
            Clock clock,
            String owner) {
        this(ds, sessions, writer, manager, clock, owner, ChangeListener.NONE);
    }

    /**
     * @param listener told of the runs that end, in their transactions (the webhook outbox)
     */
    SyncEngine(
            DataSource ds,
            Sessions sessions,
            RecordWriter writer,
            ConnectionManager manager,
            Clock clock,
            String owner,
            ChangeListener listener) {
        this.ds = ds;
        this.sessions = sessions;
        this.writer = writer;
        this.manager = manager;
        this.clock = clock;
        this.owner = owner;
        this.syncs = new SyncRepository(ds, listener);
        this.connections = new ConnectionRepository(ds);
        this.records = new RecordRepository(ds);
    }

    String owner() {
        return owner;
    }

    /** Where finished runs are counted (the connection statistics). */
    void stats(StatsRecorder recorder) {
        this.stats = recorder;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Claims the entity's sync if it is due and runs it on the calling thread. */
    boolean runIfDue(String connectionId, String entity) {
        Instant now = now();
        Optional<SyncStateRow> claimed =
                syncs.claim(connectionId, entity, owner, now, now.plus(LEASE));
        claimed.ifPresent(this::run);
        return claimed.isPresent();
    }

    /** What a scheduled execution did, and when the entity's sync is due next (by this clock). */
    record Outcome(boolean ran, Instant nextRunAt, boolean gone) {}

    /**
     * Runs the entity's sync for the cluster-aware scheduler, which guarantees that no other node
     * runs it at the same time: takes the lease even if a dead node left one, runs the sync on the
     * calling thread if it is due, and tells when it is due next.
     *
     * @return {@code gone} when the connection was disconnected or deleted: nothing to schedule
     */
    Outcome runScheduled(String connectionId, String entity) {
        Instant now = now();
        if (stopping) {
            return new Outcome(false, now, false);
        }
        boolean ran = false;
        try {
            // a second of tolerance for clock differences between nodes
            Optional<SyncStateRow> taken =
                    syncs.take(connectionId, entity, owner, now.plusSeconds(1), now.plus(LEASE));
            if (taken.isPresent()) {
                ran = true;
                run(taken.get());
            }
        } catch (RuntimeException e) {
            LOG.error("Sync of {} for connection {} could not run", entity, connectionId, e);
            return new Outcome(ran, now().plus(Duration.ofMinutes(1)), false);
        }
        ConnectionRow conn = connections.find(connectionId).orElse(null);
        Optional<SyncStateRow> state = syncs.state(connectionId, entity);
        if (conn == null || ConnectionRow.DISCONNECTED.equals(conn.status()) || state.isEmpty()) {
            return new Outcome(ran, null, true);
        }
        Instant next = state.get().nextRunAt();
        if (!syncing(conn)) {
            // e.g. reauthorization required: look again later, the state says nothing useful
            next = now().plus(Duration.ofMinutes(5));
        } else if (stopping) {
            next = now();
        }
        return new Outcome(ran, next, false);
    }

    /** For tests: how waits between attempts are made. */
    void sleeper(Sleeper s) {
        this.sleeper = s;
    }

    /** Makes running syncs stop at their next page (the node shuts down); they resume elsewhere. */
    void stop() {
        stopping = true;
        prefetch.shutdown();
    }

    /** Runs a claimed sync (this node holds its lease). Never throws. */
    void run(SyncStateRow state) {
        try {
            runClaimed(state);
        } catch (RuntimeException e) {
            // e.g. the database is unreachable: the lease expires and the sync is retried
            LOG.error(
                    "Sync of {} for connection {} could not run",
                    state.entity(),
                    state.connectionId(),
                    e);
        }
    }

    private void runClaimed(SyncStateRow state) {
        String entity = state.entity();
        Instant now = now();
        ConnectionRow conn = connections.find(state.connectionId()).orElse(null);
        if (conn == null || !syncing(conn)) {
            syncs.release(state.connectionId(), entity, owner, now.plus(Duration.ofHours(1)));
            return;
        }
        Duration interval = Duration.ofSeconds(conn.syncIntervalSeconds());
        EntityType type = EntityType.ofCollection(entity).orElse(null);
        if (type == null) {
            LOG.warn("Connection {} has sync state for unknown entity {}", conn.id(), entity);
            syncs.release(conn.id(), entity, owner, now.plus(Duration.ofDays(1)));
            return;
        }
        org.ironbridge.api.connector.EntityCapabilities caps;
        try {
            caps = sessions.connector(conn).descriptor().capabilities(type);
        } catch (EngineException unavailable) {
            // the connector bundle is not installed right now: try again later, no failed run
            syncs.release(conn.id(), entity, owner, now.plus(interval));
            return;
        }
        Duration refusing = sessions.refusing(conn.id());
        if (refusing != null) {
            // the circuit is open: skip without calling the source, and come back when it lets a
            // probe through
            LOG.info(
                    "Sync of {} for connection {} skipped: its circuit is open for {} s more",
                    entity,
                    conn.id(),
                    refusing.toSeconds());
            syncs.release(conn.id(), entity, owner, now.plus(refusing));
            return;
        }
        Plan plan = plan(state, conn, now, caps.newestFirst());
        long started = System.nanoTime();
        SyncRunRow run =
                syncs.startRun(
                        conn.id(),
                        entity,
                        Tokens.newId("sync"),
                        plan.kind(),
                        plan.cursor() == null ? null : plan.cursor().serialize(),
                        owner,
                        now);
        try {
            read(conn, type, plan, run.id());
            reconcileIfDue(conn, type, run.id());
            syncs.succeed(
                    conn.id(), entity, run.id(), plan.kind(), owner, now(), now().plus(interval));
            counted(conn.id(), true, started);
            SyncMetrics.run(conn.system(), entity, "succeeded", started);
            // while the circuit is not closed, it decides when the connection is active again
            if (ConnectionRow.DEGRADED.equals(conn.status()) && sessions.circuitClosed(conn.id())) {
                manager.recovered(conn.id());
            }
        } catch (EngineException e) {
            counted(conn.id(), false, started);
            Duration wait = interval;
            if (e instanceof Circuits.Open && e.retryAfter() != null) {
                // the circuit opened during the run: try again when it lets a probe through
                wait = e.retryAfter();
            } else if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
                wait = e.retryAfter();
            }
            int failures =
                    syncs.fail(
                            conn.id(),
                            entity,
                            run.id(),
                            e.code().name().toLowerCase(Locale.ROOT),
                            e.getMessage(),
                            owner,
                            now(),
                            now().plus(wait));
            SyncMetrics.run(conn.system(), entity, "failed", started);
            LOG.info(
                    "Sync of {} for connection {} failed ({}): {}",
                    entity,
                    conn.id(),
                    e.code(),
                    e.getMessage());
            if (e.code() != Code.REAUTHORIZATION_REQUIRED && failures >= DEGRADED_AFTER) {
                manager.degraded(
                        conn.id(),
                        "the last "
                                + failures
                                + " syncs of "
                                + entity
                                + " failed: "
                                + e.getMessage());
            }
        } catch (Stopping stop) {
            SyncMetrics.run(conn.system(), entity, "interrupted", started);
            LOG.info(
                    "Sync of {} for connection {} stops with the node; it continues from its"
                            + " checkpoint",
                    entity,
                    conn.id());
        } catch (LostLease lost) {
            SyncMetrics.run(conn.system(), entity, "interrupted", started);
            LOG.warn(
                    "Sync of {} for connection {} lost its lease to another node; stopping",
                    entity,
                    conn.id());
        } catch (RuntimeException e) {
            counted(conn.id(), false, started);
            SyncMetrics.run(conn.system(), entity, "failed", started);
            LOG.error("Sync of {} for connection {} failed", entity, conn.id(), e);
            try {
                syncs.fail(
                        conn.id(),
                        entity,
                        run.id(),
                        "internal_error",
                        "The sync failed unexpectedly; see the server log",
                        owner,
                        now(),
                        now().plus(interval));
            } catch (RuntimeException again) {
                LOG.error("Could not record the failed sync run {}", run.id(), again);
            }
        }
    }

    private void counted(String connectionId, boolean succeeded, long startedNanos) {
        StatsRecorder s = stats;
        if (s != null) {
            s.syncRun(connectionId, succeeded, Duration.ofNanos(System.nanoTime() - startedNanos));
        }
    }

    private static boolean syncing(ConnectionRow c) {
        return ConnectionRow.ACTIVE.equals(c.status()) || ConnectionRow.DEGRADED.equals(c.status());
    }

    /**
     * Decides the kind, start cursor, lookback and order of the next run of an entity.
     *
     * @param newestFirst whether the connector reads this entity newest first (then initial and
     *     full syncs do)
     */
    Plan plan(SyncStateRow s, ConnectionRow conn, Instant now, boolean newestFirst) {
        ReadRequest.Order initialOrder =
                newestFirst ? ReadRequest.Order.NEWEST_FIRST : ReadRequest.Order.OLDEST_FIRST;
        Instant lookback =
                conn.syncInitialDays() == 0
                        ? null
                        : now.minus(Duration.ofDays(conn.syncInitialDays()));
        if (SyncRunRow.FULL.equals(s.requestedKind())) {
            return new Plan(SyncRunRow.FULL, null, null, initialOrder);
        }
        Cursor cursor = null;
        if (s.cursor() != null) {
            try {
                cursor = Cursor.parse(s.cursor());
            } catch (IllegalArgumentException e) {
                LOG.warn(
                        "Stored cursor of {} for connection {} is unreadable; reading everything"
                                + " again",
                        s.entity(),
                        s.connectionId());
            }
        }
        if (cursor == null) {
            return s.initialDone()
                    ? new Plan(SyncRunRow.FULL, null, null, initialOrder)
                    : new Plan(SyncRunRow.INITIAL, null, lookback, initialOrder);
        }
        if (!s.cursorComplete()) {
            // continue the unfinished run from its checkpoint as-is, in the checkpoint's order
            if (!s.initialDone()) {
                if (s.cursorNewestFirst() && !newestFirst) {
                    // the connector no longer reads newest first: its checkpoint means nothing
                    // to an oldest-first read, so the initial sync starts again
                    return new Plan(SyncRunRow.INITIAL, null, lookback);
                }
                return new Plan(
                        SyncRunRow.INITIAL,
                        cursor,
                        lookback,
                        s.cursorNewestFirst()
                                ? ReadRequest.Order.NEWEST_FIRST
                                : ReadRequest.Order.OLDEST_FIRST);
            }
            boolean unfinishedFull =
                    s.lastRunId() != null
                            && syncs.run(s.lastRunId())
                                    .map(
                                            r ->
                                                    SyncRunRow.FULL.equals(r.kind())
                                                            && !SyncRunRow.SUCCEEDED.equals(
                                                                    r.status()))
                                    .orElse(false);
            if (!unfinishedFull) {
                return new Plan(SyncRunRow.INCREMENTAL, cursor, null);
            }
            if (s.cursorNewestFirst() && !newestFirst) {
                // as for an initial sync: a newest-first checkpoint means nothing to an
                // oldest-first read, so the full sync starts again
                return new Plan(SyncRunRow.FULL, null, null);
            }
            return new Plan(
                    SyncRunRow.FULL,
                    cursor,
                    null,
                    s.cursorNewestFirst()
                            ? ReadRequest.Order.NEWEST_FIRST
                            : ReadRequest.Order.OLDEST_FIRST);
        }
        // after a newest-first initial or full sync, the watermark is the snapshot mark taken when
        // it began: reading from it minus the overlap picks up what changed while it ran
        return new Plan(SyncRunRow.INCREMENTAL, cursor.minus(OVERLAP), null);
    }

    /**
     * For an entity whose connector cannot report deletes: once the last reconciliation is older
     * than the connection's reconciliation interval (the first one: one period after the first
     * sync), lists every id at the source (mark: {@code seen_at}), then marks the stored records
     * the listing did not see and that were not written since it started as deleted (sweep).
     * Constant memory.
     */
    private void reconcileIfDue(ConnectionRow conn, EntityType type, String runId)
            throws EngineException {
        org.ironbridge.api.connector.EntityCapabilities caps =
                sessions.connector(conn).descriptor().entities().get(type);
        if (caps == null || caps.deletes()) {
            return;
        }
        String entity = type.collection();
        Instant start = now();
        Optional<Instant> last = syncs.reconciledAt(conn.id(), entity);
        if (last.isEmpty()) {
            // the first sync just read what exists: the first reconciliation is one period later
            syncs.reconciled(conn.id(), entity, runId, 0, start);
            return;
        }
        Duration every =
                Duration.ofSeconds(
                        Math.max(conn.syncReconcileSeconds(), SyncSettings.MIN_RECONCILE_SECONDS));
        if (last.get().plus(every).isAfter(start)) {
            return;
        }
        Cursor cursor = null;
        while (true) {
            if (stopping) {
                throw new Stopping();
            }
            ReadRequest request = new ReadRequest(type, cursor, null, PAGE_SIZE);
            ChangePage page = readPage(conn, entity, request);
            if (page == null) {
                throw new EngineException(Code.SOURCE_ERROR, "The connector returned no page");
            }
            List<String> ids = new ArrayList<>(page.records().size());
            for (org.ironbridge.api.connector.SourceRecord r : page.records()) {
                ids.add(r.remoteId());
            }
            records.markSeen(conn.id(), entity, ids, start);
            if (!page.hasMore()) {
                break;
            }
            if (page.next().equals(cursor)) {
                throw new EngineException(
                        Code.SOURCE_ERROR,
                        "The connector returned the same cursor again; the reconciliation"
                                + " stopped to avoid a loop");
            }
            cursor = page.next();
        }
        long deleted = 0;
        while (true) {
            List<String> gone = records.unseenSince(conn.id(), entity, start, PAGE_SIZE);
            if (gone.isEmpty()) {
                break;
            }
            int batch =
                    Jdbc.inTransaction(
                            ds,
                            "write reconciled deletes",
                            c ->
                                    writer.writePage(c, conn.id(), type, List.of(), gone, now())
                                            .deleted());
            deleted += batch;
            if (batch == 0 || gone.size() < PAGE_SIZE) {
                break;
            }
        }
        syncs.reconciled(conn.id(), entity, runId, deleted, start);
        if (deleted > 0) {
            LOG.info(
                    "Reconciliation of {} for connection {} found {} deleted records",
                    entity,
                    conn.id(),
                    deleted);
        }
    }

    /**
     * Reads pages until the connector has no more, checkpointing each. The next page is read from
     * the source (on a prefetch thread) while this one is written, so that the source's latency and
     * the connector's work overlap with the database's; reads stay sequential (one at a time per
     * entity), and a page is only written after the one before it was checkpointed.
     */
    private void read(ConnectionRow conn, EntityType type, Plan plan, String runId)
            throws EngineException {
        Cursor cursor = plan.cursor();
        String entity = type.collection();
        // the first page renews the lease here; every checkpoint renews it after that
        if (!syncs.renew(conn.id(), entity, owner, now().plus(LEASE))) {
            throw new LostLease();
        }
        Future<Fetched> prefetched = null;
        try {
            while (true) {
                ConnectionRow current = connections.find(conn.id()).orElse(null);
                if (current == null || !syncing(current)) {
                    throw new EngineException(
                            Code.VALIDATION_FAILED,
                            "The connection is "
                                    + (current == null ? "gone" : current.status())
                                    + "; the sync stopped");
                }
                if (stopping) {
                    throw new Stopping();
                }
                ChangePage page;
                Map<SourceRecord, RecordWriter.Mapped> mapped = Map.of();
                boolean warmed = false;
                if (prefetched != null) {
                    Fetched f = await(prefetched);
                    prefetched = null;
                    page = f.page();
                    mapped = f.mapped();
                    warmed = true;
                } else {
                    page =
                            readPage(
                                    current,
                                    entity,
                                    new ReadRequest(
                                            type, cursor, plan.since(), PAGE_SIZE, plan.order()));
                }
                if (page == null) {
                    throw new EngineException(Code.SOURCE_ERROR, "The connector returned no page");
                }
                if (!warmed) {
                    mapped = mapWhileWarming(conn.id(), type, page);
                }
                boolean more = page.hasMore() && !page.next().equals(cursor);
                if (more) {
                    ReadRequest next =
                            new ReadRequest(
                                    type, page.next(), plan.since(), PAGE_SIZE, plan.order());
                    prefetched =
                            prefetch.submit(
                                    () -> {
                                        ChangePage p = readPage(current, entity, next);
                                        if (p == null) {
                                            return new Fetched(null, Map.of());
                                        }
                                        Map<SourceRecord, RecordWriter.Mapped> m =
                                                writer.map(conn.id(), type, p.records());
                                        warm(conn.id(), entity, p, m);
                                        return new Fetched(p, m);
                                    });
                }
                RecordWriter.Counts k =
                        writePage(conn.id(), type, runId, page, plan.newestFirst(), mapped);
                SyncMetrics.page(conn.system(), entity, k.seen(), k.changed(), k.deleted());
                if (!page.hasMore()) {
                    return;
                }
                if (!more) {
                    throw new EngineException(
                            Code.SOURCE_ERROR,
                            "The connector returned the same cursor again; the sync stopped to"
                                    + " avoid a loop");
                }
                cursor = page.next();
            }
        } finally {
            if (prefetched != null) {
                // never leave a read running: the next run must not read the entity concurrently
                try {
                    prefetched.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException ignored) {
                    // the run ends anyway
                }
            }
        }
    }

    /**
     * Has the database cache the pages that writing the page's records will touch, reading them in
     * parallel (see {@link RecordRepository#warmForWrite}): records changed at random places of a
     * large store would otherwise be read from disk one at a time inside the page's transaction.
     */
    private void warm(
            String connectionId,
            String entity,
            ChangePage page,
            Map<SourceRecord, RecordWriter.Mapped> mapped) {
        if (page.records().isEmpty() && page.deletedRemoteIds().isEmpty()) {
            return;
        }
        // the new content hash where the record was mapped ahead: unchanged records are skipped
        Map<String, String> hashes = new java.util.LinkedHashMap<>();
        for (SourceRecord r : page.records()) {
            RecordWriter.Mapped m = mapped.get(r);
            hashes.put(r.remoteId(), m == null ? null : m.built().hash());
        }
        for (String deleted : page.deletedRemoteIds()) {
            hashes.put(deleted, null);
        }
        records.warmForWrite(connectionId, entity, hashes, prefetch);
    }

    /**
     * Maps a page that was not read ahead (the first of a run) on the calling thread while the
     * database warms the pages its write will touch on a prefetch thread: both take a good part of
     * a page's time (hundreds of milliseconds for records changed at random places of a large
     * store), and mapping inside the page's transaction would also hold its locks longer.
     */
    private Map<SourceRecord, RecordWriter.Mapped> mapWhileWarming(
            String connectionId, EntityType type, ChangePage page) {
        String entity = type.collection();
        Future<?> warming;
        try {
            warming = prefetch.submit(() -> warm(connectionId, entity, page, Map.of()));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the node stops: the write reads what it needs itself
            warming = null;
        }
        try {
            return writer.map(connectionId, type, page.records());
        } finally {
            if (warming != null) {
                try {
                    warming.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Stopping();
                } catch (ExecutionException e) {
                    // warming is best effort: the write reads what it needs itself
                    LOG.debug("Warming the pages of a sync page failed", e.getCause());
                }
            }
        }
    }

    /** A page read ahead, with its records mapped ahead. */
    private record Fetched(ChangePage page, Map<SourceRecord, RecordWriter.Mapped> mapped) {}

    /** The result of a prefetched read, with its failure as the read itself would throw it. */
    private static Fetched await(Future<Fetched> f) throws EngineException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof EngineException ee) {
                throw ee;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Reads a page, riding out transient failures of the source: up to {@link #READ_ATTEMPTS}
     * attempts, waiting the source's Retry-After or an exponential backoff (1 s, 2 s, 4 s ...),
     * whichever is longer. A Retry-After beyond {@link #MAX_INLINE_WAIT}, a failure that is not
     * transient, or the last attempt's failure ends the run (its checkpoint is kept).
     */
    private ChangePage readPage(ConnectionRow conn, String entity, ReadRequest request)
            throws EngineException {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return sessions.call(conn, s -> s.read(request));
            } catch (EngineException e) {
                boolean transientFailure =
                        e.code() == Code.RATE_LIMITED || e.code() == Code.SOURCE_UNAVAILABLE;
                // an open circuit is not waited out within the run: the run ends and comes back
                if (!transientFailure || attempt >= READ_ATTEMPTS || e instanceof Circuits.Open) {
                    throw e;
                }
                Duration wait = backoff;
                if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
                    wait = e.retryAfter();
                }
                if (wait.compareTo(MAX_INLINE_WAIT) > 0) {
                    throw e;
                }
                LOG.info(
                        "Reading {} for connection {} failed ({}), attempt {} of {}; waiting {} s:"
                                + " {}",
                        entity,
                        conn.id(),
                        e.code(),
                        attempt,
                        READ_ATTEMPTS,
                        wait.toSeconds(),
                        e.getMessage());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new Stopping();
                }
                if (stopping) {
                    throw new Stopping();
                }
                if (!syncs.renew(conn.id(), entity, owner, now().plus(LEASE))) {
                    throw new LostLease();
                }
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(MAX_BACKOFF) > 0) {
                    backoff = MAX_BACKOFF;
                }
            }
        }
    }

    private RecordWriter.Counts writePage(
            String connectionId,
            EntityType type,
            String runId,
            ChangePage page,
            boolean newestFirst,
            Map<SourceRecord, RecordWriter.Mapped> mapped) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Jdbc.inTransaction(
                        ds,
                        "write a sync page",
                        c -> {
                            Instant now = now();
                            RecordWriter.Counts k =
                                    writer.writePage(
                                            c,
                                            connectionId,
                                            type,
                                            page.records(),
                                            page.deletedRemoteIds(),
                                            now,
                                            mapped);
                            if (!SyncRepository.checkpoint(
                                    c,
                                    connectionId,
                                    type.collection(),
                                    runId,
                                    page.next().serialize(),
                                    newestFirst,
                                    k.seen(),
                                    k.changed(),
                                    k.deleted(),
                                    page.remaining(),
                                    owner,
                                    now,
                                    now.plus(LEASE))) {
                                throw new LostLease();
                            }
                            return k;
                        });
            } catch (StoreException e) {
                // a live write inserted one of the page's records meanwhile: read the page again
                if (attempt >= PAGE_ATTEMPTS || !Jdbc.isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
    }
}
