package org.ironbridge.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one meter registry of the process, shown at {@code GET /metrics} in the Prometheus text
 * format.
 *
 * <p>How to record a metric from another bundle (or from a test without OSGi): depend on this
 * bundle ({@code org.ironbridge.metrics}, scope {@code provided}; Micrometer comes with it), then
 *
 * <pre>{@code
 * Counter deliveries = Counter.builder("ironbridge.webhook.deliveries")
 *         .tag("outcome", "succeeded")
 *         .register(Metrics.registry());
 * deliveries.increment();
 * }</pre>
 *
 * Names are dotted and lower case; the Prometheus registry turns {@code ironbridge.webhook.
 * deliveries} into {@code ironbridge_webhook_deliveries_total}. Keep tag values few (a route
 * template, a system id, an outcome), never ids. Register a meter once and keep it, or cache meters
 * per tag combination on hot paths: {@code register} looks the meter up each time.
 *
 * <p>The same registry is also an OSGi service ({@link MeterRegistry}) for components that prefer a
 * reference.
 */
public final class Metrics {
    private static final PrometheusMeterRegistry REGISTRY =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private Metrics() {}

    /** The registry to record into. */
    public static MeterRegistry registry() {
        return REGISTRY;
    }

    /** Everything recorded so far, in the Prometheus text exposition format (version 0.0.4). */
    public static String scrape() {
        return REGISTRY.scrape();
    }
}
