package org.ironbridge.engine.internal;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.WebhookRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's parts wired together, without OSGi: {@link EngineComponent} creates one when the
 * database is ready; tests create their own.
 */
final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /**
     * How the engine runs its background work.
     *
     * @param syncWorkers how many syncs run at once on this node
     * @param pollInterval how often the scheduler looks for due syncs
     * @param owner this node's name (sync leases, db-scheduler's picked_by)
     * @param heartbeat how often a running sync's execution is marked alive
     * @param missedHeartbeats after how many missed heartbeats another node takes the work over
     */
    record Settings(
            int syncWorkers,
            Duration pollInterval,
            String owner,
            Duration heartbeat,
            int missedHeartbeats) {
        static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
        static final int DEFAULT_MISSED_HEARTBEATS = 4;

        Settings(int syncWorkers, Duration pollInterval, String owner) {
            this(syncWorkers, pollInterval, owner, DEFAULT_HEARTBEAT, DEFAULT_MISSED_HEARTBEATS);
        }

        static Settings defaults() {
            return new Settings(2, Duration.ofSeconds(2), defaultOwner());
        }
    }

    /**
     * How the engine watches connections.
     *
     * @param circuit the circuit breakers' settings
     * @param statsRetention how long minute statistics are kept
     */
    record Monitoring(Circuits.Settings circuit, Duration statsRetention) {
        static Monitoring defaults() {
            return new Monitoring(Circuits.Settings.defaults(), StatsRecorder.DEFAULT_RETENTION);
        }
    }

    /**
     * How webhooks are delivered.
     *
     * @param delivery the dispatcher's settings
     * @param subscriptionTtl how long the outbox caches an organization's subscriptions (a change
     *     on another node takes effect within it)
     * @param retention how long finished deliveries and their events are kept
     */
    record WebhookSettings(
            WebhookDispatcher.Settings delivery, Duration subscriptionTtl, Duration retention) {
        static WebhookSettings defaults(String node) {
            return new WebhookSettings(
                    WebhookDispatcher.Settings.defaults(node),
                    Duration.ofSeconds(1),
                    Duration.ofDays(30));
        }
    }

    private final Sessions sessions;
    private final Circuits circuits;
    private final StatsRecorder stats;
    private final ConnectionManager connections;
    private final ConnectSessionManager connectSessions;
    private final RecordManager records;
    private final IdempotencyManager idempotency;
    private final ConsoleManager console;
    private final SyncEngine syncEngine;
    private final SyncScheduler scheduler;
    private final ScheduledExecutorService ticker;
    private final WebhookEvents webhookEvents;
    private final WebhookRepository webhookRepository;
    private final WebhookDispatcher dispatcher;
    private final WebhookManager webhooks;
    private final Duration webhookRetention;

    Engine(
            DataSource ds,
            ConnectorRegistry registry,
            CanonicalModel model,
            Vault vault,
            Clock clock,
            Settings settings) {
        this(
                ds,
                registry,
                model,
                vault,
                clock,
                settings,
                Monitoring.defaults(),
                WebhookSettings.defaults(settings.owner()));
    }

    Engine(
            DataSource ds,
            ConnectorRegistry registry,
            CanonicalModel model,
            Vault vault,
            Clock clock,
            Settings settings,
            Monitoring monitoring) {
        this(
                ds,
                registry,
                model,
                vault,
                clock,
                settings,
                monitoring,
                WebhookSettings.defaults(settings.owner()));
    }

    Engine(
            DataSource ds,
            ConnectorRegistry registry,
            CanonicalModel model,
            Vault vault,
            Clock clock,
            Settings settings,
            WebhookSettings hooks) {
        this(ds, registry, model, vault, clock, settings, Monitoring.defaults(), hooks);
    }

    Engine(
            DataSource ds,
            ConnectorRegistry registry,
            CanonicalModel model,
            Vault vault,
            Clock clock,
            Settings settings,
            Monitoring monitoring,
            WebhookSettings hooks) {
        // built when the first session opens: building an HttpClient sets up the JDK's TLS (trust
        // store and all), a noticeable share of the engine's start on a cold JVM (issue #2)
        Supplier<HttpClient> http = new JdkSourceHttpClient.Shared();
        this.circuits = new Circuits(monitoring.circuit(), clock);
        // rows of one process start: the node's name and a random id (a restarted node with the
        // same name must not collide with the rows of its previous start)
        String statsWriter = settings.owner() + "/" + org.ironbridge.engine.Tokens.random(8);
        this.stats = new StatsRecorder(ds, clock, statsWriter, circuits::state);
        stats.retention(monitoring.statsRetention());
        this.sessions = new Sessions(registry, vault, clock, http, circuits, stats);
        // the outbox: changes write their webhook events in their own transactions
        this.webhookRepository = new WebhookRepository(ds);
        this.dispatcher = new WebhookDispatcher(webhookRepository, vault, clock, hooks.delivery());
        this.webhookEvents = new WebhookEvents(hooks.subscriptionTtl(), dispatcher);
        this.webhooks =
                new WebhookManager(webhookRepository, webhookEvents, dispatcher, vault, clock);
        this.webhookRetention = hooks.retention();
        Wakeup wakeup = new Wakeup();
        this.connections =
                new ConnectionManager(ds, registry, sessions, clock, wakeup, webhookEvents);
        sessions.onReauthorization(connections::reauthorizationRequired);
        this.connectSessions = new ConnectSessionManager(ds, connections, registry, clock);
        connections.healthFrom(stats::health);
        circuits.listener(
                new Circuits.Listener() {
                    @Override
                    public void opened(String connectionId, String reason) {
                        connections.degraded(connectionId, reason);
                    }

                    @Override
                    public void closed(String connectionId) {
                        connections.recovered(
                                connectionId, "the source answers again (circuit closed)");
                    }
                });
        Canonical canonical = new Canonical(model);
        RecordWriter writer = new RecordWriter(canonical, new RecordRepository(ds), webhookEvents);
        this.records = new RecordManager(ds, canonical, sessions, writer, clock);
        this.idempotency = new IdempotencyManager(ds, clock);
        this.console = new ConsoleManager(ds, clock, ConsoleManager.Settings.defaults());
        this.syncEngine =
                new SyncEngine(
                        ds, sessions, writer, connections, clock, settings.owner(), webhookEvents);
        syncEngine.stats(stats);
        this.ticker =
                Executors.newSingleThreadScheduledExecutor(threads("ironbridge-housekeeping-"));
        this.scheduler =
                new SyncScheduler(
                        ds,
                        syncEngine,
                        clock,
                        new SyncScheduler.Settings(
                                settings.syncWorkers(),
                                settings.pollInterval(),
                                settings.heartbeat(),
                                settings.missedHeartbeats(),
                                settings.owner()));
        wakeup.target = scheduler;
    }

    /** Starts the sync scheduler, the webhook dispatcher and the housekeeping. */
    void start() {
        scheduler.start();
        dispatcher.start();
        ticker.scheduleWithFixedDelay(this::purgeWebhooks, 5, 60, TimeUnit.MINUTES);
        housekeeping("expired idempotency keys", idempotency::purgeExpired, 1, 60);
        housekeeping("expired connect sessions", connectSessions::purgeExpired, 1, 60);
        housekeeping("expired console sessions", console::purgeExpired, 2, 10);
        housekeeping("minute statistics past retention", stats::purgeOld, 2, 60);
        // minute statistics: written once a minute, a few seconds after each minute ends
        long toNextMinute = 60_000 - System.currentTimeMillis() % 60_000;
        ticker.scheduleAtFixedRate(
                () -> {
                    try {
                        stats.flush(false);
                    } catch (RuntimeException e) {
                        LOG.warn("Writing connection statistics failed: {}", e.getMessage());
                    }
                },
                toNextMinute + StatsRecorder.GRACE.toMillis(),
                60_000,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a purge on the housekeeping thread every {@code periodMinutes}, logging what it deleted
     * and never letting a failure stop the schedule.
     */
    private void housekeeping(
            String what, IntSupplier purge, long initialMinutes, long periodMinutes) {
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        int n = purge.getAsInt();
                        if (n > 0) {
                            LOG.debug("Deleted {} {}", n, what);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Deleting {} failed: {}", what, e.getMessage());
                    }
                },
                initialMinutes,
                periodMinutes,
                TimeUnit.MINUTES);
    }

    /** Deletes finished webhook deliveries and events older than the retention. */
    void purgeWebhooks() {
        try {
            java.time.Instant before = java.time.Instant.now().minus(webhookRetention);
            int n;
            do {
                n = webhookRepository.purge(before, 1000);
                if (n > 0) {
                    LOG.debug("Purged {} old webhook deliveries and events", n);
                }
            } while (n > 0);
        } catch (RuntimeException e) {
            LOG.warn("Purging webhook deliveries failed: {}", e.getMessage());
        }
    }

    WebhookManager webhooks() {
        return webhooks;
    }

    WebhookDispatcher dispatcher() {
        return dispatcher;
    }

    WebhookEvents webhookEvents() {
        return webhookEvents;
    }

    ConnectionManager connections() {
        return connections;
    }

    ConnectSessionManager connectSessions() {
        return connectSessions;
    }

    RecordManager records() {
        return records;
    }

    IdempotencyManager idempotency() {
        return idempotency;
    }

    ConsoleManager console() {
        return console;
    }

    SyncEngine syncEngine() {
        return syncEngine;
    }

    SyncScheduler scheduler() {
        return scheduler;
    }

    Sessions sessions() {
        return sessions;
    }

    Circuits circuits() {
        return circuits;
    }

    StatsRecorder stats() {
        return stats;
    }

    @Override
    public void close() {
        // running syncs stop at their next page; their executions are then due at once, so another
        // node continues them from their checkpoints (or this one after a restart)
        scheduler.close();
        dispatcher.close();
        ticker.shutdownNow();
        sessions.close();
        try {
            stats.flush(true); // the minutes so far, the current one too
        } catch (RuntimeException e) {
            LOG.warn("Could not write the last connection statistics: {}", e.getMessage());
        }
    }

    /** Wakes the scheduler once it exists (the connection manager is created before it). */
    private static final class Wakeup implements java.util.function.Consumer<String> {
        volatile SyncScheduler target;

        @Override
        public void accept(String connectionId) {
            SyncScheduler t = target;
            if (t != null && t.started()) {
                t.wake(connectionId);
            }
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static String defaultOwner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            host = "node";
        }
        String owner = host + "-" + org.ironbridge.engine.Tokens.random(6);
        return owner.length() > 100 ? owner.substring(owner.length() - 100) : owner;
    }
}
