package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogQuery;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.RequestLogView;
import org.ironbridge.store.RequestLogRepository;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestLogService}, available once the migrated database is; its work is done by a
 * {@link RequestLogWriter}. Deletes entries past the retention period every hour.
 *
 * <p>Framework properties: {@code ironbridge.logs.enabled} ({@code true}), {@code
 * ironbridge.logs.retention_days} (30), {@code ironbridge.logs.max_body_bytes} (16384), {@code
 * ironbridge.logs.queue_capacity} (2048 entries), {@code ironbridge.logs.writer_cpu_percent} (4:
 * the share of the machine's CPU logging may take while the machine is busy, request threads and
 * database work included; beyond it the log sheds load).
 */
@Component(immediate = true, service = RequestLogService.class)
public final class RequestLogComponent implements RequestLogService {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLogComponent.class);

    private final RequestLogWriter writer;
    private final ScheduledExecutorService housekeeping;

    @Activate
    public RequestLogComponent(BundleContext ctx, @Reference DataSource ds) {
        RequestLogWriter.Settings d = RequestLogWriter.Settings.defaults();
        int capacity = intProp(ctx, "ironbridge.logs.queue_capacity", d.queueCapacity(), 10);
        RequestLogWriter.Settings settings =
                new RequestLogWriter.Settings(
                        !"false".equalsIgnoreCase(prop(ctx, "ironbridge.logs.enabled", "true")),
                        intProp(ctx, "ironbridge.logs.max_body_bytes", d.maxBodyBytes(), 0),
                        capacity,
                        d.maxQueuedBodyBytes(),
                        d.batchSize(),
                        d.idleWait(),
                        Duration.ofDays(
                                intProp(
                                        ctx,
                                        "ironbridge.logs.retention_days",
                                        RequestLogWriter.Settings.DEFAULT_RETENTION_DAYS,
                                        1)),
                        intProp(ctx, "ironbridge.logs.writer_cpu_percent", d.maxCpuPercent(), 1));
        this.writer =
                new RequestLogWriter(new RequestLogRepository(ds), settings, Clock.systemUTC());
        this.housekeeping =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ironbridge-request-log-retention");
                            t.setDaemon(true);
                            return t;
                        });
        housekeeping.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
        LOG.info(
                settings.enabled()
                        ? "Request log on: bodies up to {} bytes, kept {} days"
                        : "Request log off (ironbridge.logs.enabled=false)",
                settings.maxBodyBytes(),
                settings.retention().toDays());
    }

    private void purge() {
        try {
            int n = writer.purgeExpired();
            if (n > 0) {
                LOG.info("Deleted {} request log entries past the retention period", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("Deleting old request log entries failed: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        housekeeping.shutdownNow();
        writer.flush(Duration.ofSeconds(2));
        writer.close();
    }

    private static String prop(BundleContext ctx, String name, String dflt) {
        String v = ctx.getProperty(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static int intProp(BundleContext ctx, String name, int dflt, int min) {
        String v = prop(ctx, name, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Math.max(min, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            LOG.warn("{}={} is not a number; using {}", name, v, dflt);
            return dflt;
        }
    }

    @Override
    public boolean enabled() {
        return writer.enabled();
    }

    @Override
    public int maxBodyBytes() {
        return writer.maxBodyBytes();
    }

    @Override
    public Take admit() {
        return writer.admit();
    }

    @Override
    public void record(RequestLogEntry entry, boolean bodiesDropped) {
        writer.record(entry, bodiesDropped);
    }

    @Override
    public void record(RequestLogEntry entry) {
        writer.record(entry);
    }

    @Override
    public Page<RequestLogView> list(String organizationId, RequestLogQuery query)
            throws EngineException {
        return writer.list(organizationId, query);
    }

    @Override
    public Optional<RequestLogView> find(String organizationId, String requestId) {
        return writer.find(organizationId, requestId);
    }
}
