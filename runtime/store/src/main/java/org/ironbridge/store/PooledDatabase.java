package org.ironbridge.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HikariCP pool plus the Flyway migrations of this bundle. Usable without OSGi (tests,
 * benchmarks).
 *
 * <p>The pool is created without touching the database ({@code initializationFailTimeout = -1}), so
 * a server starts even while its database is down; {@link #migrate()} is retried by the caller
 * until it succeeds.
 */
public final class PooledDatabase implements Database, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PooledDatabase.class);

    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    private volatile boolean migrated;

    /** Whether this (embedded) database was just created from the template ({@link H2Template}). */
    private final boolean fromTemplate;

    public PooledDatabase(DatabaseSettings settings) {
        this.settings = settings;
        // before the pool's first connection, which would create an empty database file
        this.fromTemplate = H2Template.createIfNew(settings);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("ironbridge");
        cfg.setJdbcUrl(settings.url());
        cfg.setDriverClassName(settings.driverClassName());
        if (!settings.user().isEmpty()) {
            cfg.setUsername(settings.user());
        }
        cfg.setPassword(settings.password());
        cfg.setMaximumPoolSize(settings.maxPoolSize());
        cfg.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        cfg.setInitializationFailTimeout(-1);
        cfg.setConnectionTimeout(5_000);
        cfg.setValidationTimeout(2_000);
        if (settings.dialect() == Dialect.MARIADB) {
            cfg.addDataSourceProperty("rewriteBatchedStatements", "true");
            cfg.addDataSourceProperty("useServerPrepStmts", "false");
            cfg.addDataSourceProperty("cachePrepStmts", "true");
        }
        this.pool = new HikariDataSource(cfg);
    }

    /**
     * Runs the pending migrations.
     *
     * @throws org.flywaydb.core.api.FlywayException when the database is unreachable or a migration
     *     fails
     */
    public MigrateResult migrate() {
        Flyway flyway =
                flyway(PooledDatabase.class.getClassLoader(), settings.dialect())
                        .dataSource(pool)
                        .load();
        MigrateResult result = flyway.migrate();
        migrated = true;
        if (fromTemplate) {
            LOG.info(
                    "Database {} created at version {} from its template ({} migrations more)",
                    describe(),
                    result.targetSchemaVersion == null
                            ? result.initialSchemaVersion
                            : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } else if (result.migrationsExecuted > 0) {
            LOG.info(
                    "Database {} migrated to version {} ({} migrations)",
                    describe(),
                    result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
        return result;
    }

    /**
     * Flyway configured for this bundle's migrations (without a data source). The migrations are
     * the same on both databases; where a type must differ, a placeholder names it: {@code
     * log_block_type}, the type of a compressed request log block (V16).
     */
    static FluentConfiguration flyway(ClassLoader loader, Dialect dialect) {
        return Flyway.configure(loader)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .placeholders(
                        Map.of("log_block_type", dialect == Dialect.H2 ? "VARBINARY" : "LONGBLOB"));
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public Dialect dialect() {
        return settings.dialect();
    }

    @Override
    public boolean isMigrated() {
        return migrated;
    }

    @Override
    public Optional<String> check() {
        try (Connection c = pool.getConnection()) {
            if (!c.isValid(2)) {
                return Optional.of("The database connection is not valid");
            }
            if (!migrated) {
                return Optional.of("The database schema is not migrated yet");
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("The database is unreachable: " + rootMessage(e));
        }
    }

    @Override
    public String describe() {
        return settings.dialect() + " " + settings.redactedUrl();
    }

    /**
     * The innermost message of an exception chain, which names the actual cause (connection
     * refused, ...).
     */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
