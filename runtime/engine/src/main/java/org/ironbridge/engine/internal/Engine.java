package org.ironbridge.engine.internal;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.SyncRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's parts wired together, without OSGi: {@link EngineComponent} creates one when the
 * database is ready; tests create their own.
 */
final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** How the engine runs its background work. */
    record Settings(int syncWorkers, Duration pollInterval, String owner) {
        static Settings defaults() {
            return new Settings(2, Duration.ofSeconds(2), defaultOwner());
        }
    }

    private final Sessions sessions;
    private final ConnectionManager connections;
    private final RecordManager records;
    private final IdempotencyManager idempotency;
    private final SyncEngine syncEngine;
    private final SyncScheduler scheduler;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;

    Engine(
            DataSource ds,
            ConnectorRegistry registry,
            CanonicalModel model,
            Vault vault,
            Clock clock,
            Settings settings) {
        HttpClient http = JdkSourceHttpClient.newSharedClient();
        this.sessions = new Sessions(registry, vault, clock, http);
        Wakeup wakeup = new Wakeup();
        this.connections = new ConnectionManager(ds, registry, sessions, clock, wakeup);
        sessions.onReauthorization(connections::reauthorizationRequired);
        Canonical canonical = new Canonical(model);
        RecordWriter writer = new RecordWriter(canonical, new RecordRepository(ds));
        this.records = new RecordManager(ds, canonical, sessions, writer, clock);
        this.idempotency = new IdempotencyManager(ds, clock);
        this.syncEngine =
                new SyncEngine(ds, sessions, writer, connections, clock, settings.owner());
        this.workers =
                Executors.newFixedThreadPool(settings.syncWorkers(), threads("ironbridge-sync-"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(threads("ironbridge-sync-poll-"));
        this.scheduler =
                new SyncScheduler(
                        new SyncRepository(ds),
                        syncEngine,
                        clock,
                        workers,
                        settings.syncWorkers(),
                        ticker,
                        settings.pollInterval());
        wakeup.target = scheduler::wake;
    }

    /** Starts polling for due syncs and the housekeeping. */
    void start() {
        scheduler.start();
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        int n = idempotency.purgeExpired();
                        if (n > 0) {
                            LOG.debug("Purged {} expired idempotency keys", n);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Purging idempotency keys failed: {}", e.getMessage());
                    }
                },
                1,
                60,
                TimeUnit.MINUTES);
    }

    ConnectionManager connections() {
        return connections;
    }

    RecordManager records() {
        return records;
    }

    IdempotencyManager idempotency() {
        return idempotency;
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

    @Override
    public void close() {
        scheduler.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                // a run stopped here continues from its checkpoint on the next start
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sessions.close();
    }

    private static final class Wakeup implements Runnable {
        volatile Runnable target;

        @Override
        public void run() {
            Runnable t = target;
            if (t != null) {
                t.run();
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
