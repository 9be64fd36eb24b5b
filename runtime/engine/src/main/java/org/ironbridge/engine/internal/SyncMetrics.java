package org.ironbridge.engine.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.ironbridge.metrics.Metrics;

/**
 * Sync throughput: {@code ironbridge.sync.records} (records seen, changed and deleted, by system
 * and entity) and {@code ironbridge.sync.runs} (runs and their durations, by system, entity and
 * outcome: {@code succeeded}, {@code failed}, {@code interrupted}).
 */
final class SyncMetrics {
    private SyncMetrics() {}

    /** Counts a written page. */
    static void page(String system, String entity, long seen, long changed, long deleted) {
        records(system, entity, "seen").increment(seen);
        records(system, entity, "changed").increment(changed);
        records(system, entity, "deleted").increment(deleted);
    }

    /** Counts a finished run that started at {@code startNanos} ({@link System#nanoTime()}). */
    static void run(String system, String entity, String outcome, long startNanos) {
        Timer.builder("ironbridge.sync.runs")
                .description("Sync runs by outcome, with their durations")
                .tag("system", system)
                .tag("entity", entity)
                .tag("outcome", outcome)
                .register(Metrics.registry())
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private static Counter records(String system, String entity, String kind) {
        return Counter.builder("ironbridge.sync.records")
                .description("Records read by syncs: seen, changed (written) and deleted")
                .tag("system", system)
                .tag("entity", entity)
                .tag("kind", kind)
                .register(Metrics.registry());
    }
}
