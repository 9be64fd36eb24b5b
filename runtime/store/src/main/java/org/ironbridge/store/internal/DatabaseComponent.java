package org.ironbridge.store.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.ironbridge.store.Database;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.PooledDatabase;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link Database} at once and, when the migrations have run, the migrated {@link
 * DataSource} as a service of its own: components that need the schema reference the {@code
 * DataSource} and so start only when the database is usable. Settings come from framework
 * properties ({@code ironbridge.db.url}, {@code .user}, {@code .password}, set from {@code
 * IRONBRIDGE_DB_*} by {@code etc/config.properties}); without a URL the embedded H2 database under
 * {@code ironbridge.data} is used.
 */
@Component(service = Database.class, immediate = true)
public final class DatabaseComponent implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);
    private static final long RETRY_MS = 3_000;

    private final PooledDatabase db;
    private final Thread initializer;
    private volatile ServiceRegistration<DataSource> dataSourceRegistration;
    private volatile boolean stopping;

    @Activate
    public DatabaseComponent(BundleContext ctx) {
        this.db = new PooledDatabase(settings(ctx));
        LOG.info("Using database {}", db.describe());
        this.initializer = new Thread(() -> initialize(ctx), "ironbridge-db-init");
        this.initializer.setDaemon(true);
        this.initializer.start();
    }

    static DatabaseSettings settings(BundleContext ctx) {
        String url = prop(ctx, "ironbridge.db.url", "");
        int pool = Integer.parseInt(prop(ctx, "ironbridge.db.pool_size", "16"));
        if (url.isBlank()) {
            DatabaseSettings h2 =
                    DatabaseSettings.embedded(Path.of(prop(ctx, "ironbridge.data", "data")));
            return new DatabaseSettings(h2.url(), h2.user(), h2.password(), pool);
        }
        return new DatabaseSettings(
                url,
                prop(ctx, "ironbridge.db.user", ""),
                prop(ctx, "ironbridge.db.password", ""),
                pool);
    }

    private static String prop(BundleContext ctx, String name, String dflt) {
        String v = ctx.getProperty(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    /**
     * Migrates, retrying while the database is unreachable, then registers the DataSource service.
     */
    private void initialize(BundleContext ctx) {
        String lastProblem = null;
        while (!stopping) {
            try {
                db.migrate();
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("ironbridge.dialect", db.dialect().name());
                dataSourceRegistration =
                        ctx.registerService(DataSource.class, db.dataSource(), props);
                if (lastProblem != null) {
                    LOG.info("Database {} is reachable again", db.describe());
                }
                return;
            } catch (RuntimeException e) {
                String problem = PooledDatabase.rootMessage(e);
                if (!problem.equals(lastProblem)) {
                    LOG.warn(
                            "Database {} is not usable ({}); retrying every {} s",
                            db.describe(),
                            problem,
                            RETRY_MS / 1000);
                    lastProblem = problem;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(RETRY_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        initializer.interrupt();
        ServiceRegistration<DataSource> reg = dataSourceRegistration;
        if (reg != null) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters services of a stopping bundle itself
            }
        }
        db.close();
    }

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }

    @Override
    public Dialect dialect() {
        return db.dialect();
    }

    @Override
    public boolean isMigrated() {
        return db.isMigrated();
    }

    @Override
    public Optional<String> check() {
        return db.check();
    }

    @Override
    public String describe() {
        return db.describe();
    }
}
