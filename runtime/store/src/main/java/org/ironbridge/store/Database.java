package org.ironbridge.store;

import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's database: a pooled, migrated {@link DataSource} plus its health. Registered as soon
 * as the store starts, even while the database is unreachable, so that health checks can say why.
 */
@ProviderType
public interface Database {

    /** Which SQL dialect the database speaks. */
    enum Dialect {
        H2,
        MARIADB
    }

    /** The pool. Callers must check {@link #isMigrated()} (or wait for it) before using it. */
    DataSource dataSource();

    Dialect dialect();

    /** Whether the schema migrations have run; false while the database was never reachable. */
    boolean isMigrated();

    /**
     * Checks, with a short timeout, that a connection can be taken and is valid.
     *
     * @return empty when the database is usable, otherwise a reason fit for an operator (never a
     *     secret)
     */
    Optional<String> check();

    /**
     * A description of where the data lives, without credentials (e.g. {@code H2 file
     * data/db/ironbridge}).
     */
    String describe();
}
