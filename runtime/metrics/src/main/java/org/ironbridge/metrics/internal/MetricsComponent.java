package org.ironbridge.metrics.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.sql.DataSource;
import org.ironbridge.metrics.Metrics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link MeterRegistry} service, the JVM metrics (memory, GC, threads, classes, CPU,
 * uptime) and the database pool's metrics (HikariCP's Micrometer tracker, once the pool is
 * published as a {@link DataSource}). The {@code /metrics} servlet is {@link MetricsServlet}.
 */
@Component(immediate = true)
public final class MetricsComponent {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    private final Thread init;
    private volatile JvmGcMetrics gc;
    private volatile ServiceRegistration<MeterRegistry> registration;
    private volatile boolean stopped;

    @Activate
    public MetricsComponent(BundleContext ctx) {
        // loading Micrometer's JVM binders takes a moment on a cold JVM: not on the framework's
        // start-level thread, so that the other bundles start meanwhile
        init = new Thread(() -> start(ctx), "ironbridge-metrics-init");
        init.setDaemon(true);
        init.start();
    }

    private void start(BundleContext ctx) {
        MeterRegistry registry = Metrics.registry();
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics g = new JvmGcMetrics();
        g.bindTo(registry);
        gc = g;
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("ironbridge.metrics", "prometheus");
        try {
            synchronized (this) {
                if (!stopped) {
                    registration = ctx.registerService(MeterRegistry.class, registry, props);
                }
            }
        } catch (IllegalStateException bundleStopped) {
            // the bundle stopped meanwhile
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        synchronized (this) {
            stopped = true;
        }
        init.join(5_000);
        JvmGcMetrics g = gc;
        if (g != null) {
            g.close();
        }
        ServiceRegistration<MeterRegistry> r = registration;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
        }
    }

    /** The database pool: its metrics are recorded from the moment it is published. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDataSource(DataSource ds) {
        // called on the thread that publishes the pool, which goes on to start the engine: the
        // tracker is installed beside it
        Thread t = new Thread(() -> trackPool(ds, Metrics.registry()), "ironbridge-metrics-pool");
        t.setDaemon(true);
        t.start();
    }

    void unbindDataSource(DataSource ds) {
        // the pool keeps its tracker; its meters stay with their last values until it closes
    }

    /**
     * Installs HikariCP's Micrometer tracker on a Hikari pool (metrics {@code hikaricp.connections
     * .*}, tagged with the pool name).
     *
     * @return whether the pool now reports to the registry
     */
    static boolean trackPool(DataSource ds, MeterRegistry registry) {
        if (!(ds instanceof HikariDataSource pool)) {
            return false;
        }
        if (pool.getMetricsTrackerFactory() != null) {
            return true; // installed before (this component was restarted)
        }
        try {
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            return true;
        } catch (IllegalStateException e) {
            LOG.warn("Database pool metrics are not available: {}", e.getMessage());
            return false;
        }
    }
}
