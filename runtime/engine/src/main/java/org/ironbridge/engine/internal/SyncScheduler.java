package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ironbridge.store.SyncRepository;
import org.ironbridge.store.SyncStateRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The v1 sync scheduler, kept small so that a cluster-aware scheduler (db-scheduler) can replace
 * it: polls the database for due entity syncs, claims each with a lease (a conditional update, so
 * one node runs it) and hands it to a small worker pool, never to an HTTP thread. Work left by a
 * stopped node (its lease expired) is picked up the same way, so a restart resumes.
 */
final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final SyncRepository syncs;
    private final SyncEngine engine;
    private final Clock clock;
    private final Executor workers;
    private final ScheduledExecutorService ticker;
    private final Duration pollInterval;
    private final Semaphore slots;
    private volatile boolean started;

    /**
     * @param workers where syncs run
     * @param capacity how many syncs may run at once (the number of worker threads)
     * @param ticker the single thread that polls
     */
    SyncScheduler(
            SyncRepository syncs,
            SyncEngine engine,
            Clock clock,
            Executor workers,
            int capacity,
            ScheduledExecutorService ticker,
            Duration pollInterval) {
        this.syncs = syncs;
        this.engine = engine;
        this.clock = clock;
        this.workers = workers;
        this.ticker = ticker;
        this.pollInterval = pollInterval;
        this.slots = new Semaphore(capacity);
    }

    void start() {
        started = true;
        ticker.scheduleWithFixedDelay(
                this::pollQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls soon (e.g. right after a connection was created or a sync requested). */
    void wake() {
        if (!started) {
            return;
        }
        try {
            ticker.execute(this::pollQuietly);
        } catch (RejectedExecutionException stopped) {
            // shutting down
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("Polling for due syncs failed: {}", e.getMessage());
        }
    }

    /**
     * Claims due syncs for the free worker slots and starts them.
     *
     * @return how many were started
     */
    int poll() {
        int free = slots.availablePermits();
        if (free == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<SyncRepository.Key> due = syncs.due(now, free * 4);
        int started = 0;
        for (SyncRepository.Key k : due) {
            if (!slots.tryAcquire()) {
                break;
            }
            Optional<SyncStateRow> claimed =
                    syncs.claim(
                            k.connectionId(),
                            k.entity(),
                            engine.owner(),
                            now,
                            now.plus(SyncEngine.LEASE));
            if (claimed.isEmpty()) {
                slots.release();
                continue;
            }
            try {
                workers.execute(
                        () -> {
                            try {
                                engine.run(claimed.get());
                            } finally {
                                slots.release();
                                wake();
                            }
                        });
                started++;
            } catch (RejectedExecutionException stopped) {
                slots.release();
                syncs.release(k.connectionId(), k.entity(), engine.owner(), now);
                break;
            }
        }
        return started;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
