package org.ironbridge.engine.internal;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.ironbridge.store.SyncRepository;
import org.ironbridge.store.SyncStateRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules the syncs with db-scheduler on the shared database (table {@code scheduled_tasks}), so
 * that several server nodes on one database run each sync once and a dead node's work is taken
 * over.
 *
 * <p>One execution of the self-rescheduling task {@value #TASK} per connection and entity (instance
 * {@code <connection id>/<entity>}). db-scheduler claims an execution for one node (an optimistic
 * update), keeps it alive with a heartbeat while the sync runs, and revives it on another node when
 * the heartbeat stops ({@code heartbeat × missed heartbeats}, 20 s by default). When a run ends,
 * the execution is rescheduled to the entity's {@code next_run_at} in {@code sync_state}, which
 * stays the one place that says when a sync is due (interval, retry-after, requested runs). A
 * requested sync moves the execution to now; if it is running, the running sync is the requested
 * one.
 */
final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    static final String TASK = "ironbridge-sync";

    /** How db-scheduler runs. */
    record Settings(
            int threads,
            Duration pollInterval,
            Duration heartbeat,
            int missedHeartbeats,
            String nodeName) {}

    private final SyncRepository syncs;
    private final SyncEngine engine;
    private final Clock clock;
    private final CustomTask<Void> task;
    private final Scheduler scheduler;
    private final ScheduledExecutorService housekeeper;
    private volatile boolean started;

    SyncScheduler(DataSource ds, SyncEngine engine, Clock clock, Settings settings) {
        this.syncs = new SyncRepository(ds);
        this.engine = engine;
        this.clock = clock;
        this.task =
                Tasks.custom(TASK, Void.class)
                        .onDeadExecutionRevive()
                        // runScheduled never throws; this covers what is left (e.g. no database)
                        .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                        .execute((instance, ctx) -> execute(instance));
        // heartbeats and dead-execution detection
        this.housekeeper =
                Executors.newScheduledThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "ironbridge-sync-housekeeper");
                            t.setDaemon(true);
                            return t;
                        });
        this.scheduler =
                Scheduler.create(ds, task)
                        .housekeeperExecutor(housekeeper)
                        .tableName("scheduled_tasks")
                        .schedulerName(new SchedulerName.Fixed(cut(settings.nodeName(), 50)))
                        .threads(settings.threads())
                        .pollingInterval(settings.pollInterval())
                        .heartbeatInterval(settings.heartbeat())
                        .missedHeartbeatsLimit(settings.missedHeartbeats())
                        .alwaysPersistTimestampInUTC()
                        .shutdownMaxWait(Duration.ofSeconds(10))
                        .build();
    }

    /** Starts polling, after making sure every sync in the database has its execution. */
    void start() {
        for (SyncStateRow s : syncs.scheduledStates()) {
            ensure(s);
        }
        scheduler.start();
        started = true;
    }

    /**
     * Makes sure the syncs of a connection are scheduled, a due one at once (after the connection
     * was created or a sync requested).
     */
    void wake(String connectionId) {
        try {
            for (SyncStateRow s : syncs.states(connectionId)) {
                ensure(s);
            }
            scheduler.triggerCheckForDueExecutions();
        } catch (RuntimeException e) {
            LOG.warn(
                    "Scheduling the syncs of connection {} failed: {}",
                    connectionId,
                    e.getMessage());
        }
    }

    private void ensure(SyncStateRow s) {
        TaskInstance<Void> instance = task.instance(instanceId(s.connectionId(), s.entity()));
        Instant at = schedulerTime(s.nextRunAt());
        Optional<ScheduledExecution<Object>> existing = scheduler.getScheduledExecution(instance);
        if (existing.isEmpty()) {
            if (scheduler.scheduleIfNotExists(instance, at)) {
                return;
            }
            existing = scheduler.getScheduledExecution(instance);
        }
        if (existing.isPresent()
                && !existing.get().isPicked()
                && existing.get().getExecutionTime().isAfter(at)) {
            try {
                scheduler.reschedule(instance, at);
            } catch (RuntimeException picked) {
                // picked meanwhile: the running sync is the one due now
            }
        }
    }

    private CompletionHandler<Void> execute(TaskInstance<Void> instance) {
        String id = instance.getId();
        int slash = id.indexOf('/');
        if (slash < 0) {
            LOG.warn("Dropping sync execution with an unreadable instance id {}", id);
            return new CompletionHandler.OnCompleteRemove<>();
        }
        SyncEngine.Outcome outcome =
                engine.runScheduled(id.substring(0, slash), id.substring(slash + 1));
        if (outcome.gone()) {
            return new CompletionHandler.OnCompleteRemove<>();
        }
        Instant next = schedulerTime(outcome.nextRunAt());
        return (complete, ops) -> ops.reschedule(complete, next);
    }

    /**
     * The scheduler's time of an instant of the engine's clock: db-scheduler runs on the system
     * clock, the engine on its own (tests move theirs); what counts is the delay from now.
     */
    private Instant schedulerTime(Instant engineTime) {
        Instant now = Instant.now();
        if (engineTime == null) {
            return now;
        }
        Duration delay = Duration.between(clock.instant(), engineTime);
        return delay.isNegative() ? now : now.plus(delay);
    }

    static String instanceId(String connectionId, String entity) {
        return connectionId + "/" + entity;
    }

    /**
     * For tests: this node behaves as if it hung: it stops polling, heartbeating and detecting dead
     * executions (its running syncs go on until they next touch the database).
     */
    void simulateHang() {
        scheduler.pause();
        housekeeper.shutdownNow();
    }

    boolean started() {
        return started;
    }

    /** Stops polling; running syncs stop at their next page and resume from their checkpoint. */
    @Override
    public void close() {
        engine.stop();
        if (started) {
            scheduler.stop();
        }
        housekeeper.shutdownNow();
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(s.length() - max) : s;
    }
}
