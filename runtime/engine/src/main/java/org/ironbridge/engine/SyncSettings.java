package org.ironbridge.engine;

import java.util.Set;
import org.ironbridge.model.EntityType;

/**
 * How a connection syncs.
 *
 * @param initialDays the lookback window of the initial sync in days; 0 = all history
 * @param intervalSeconds seconds between incremental syncs (at least 10)
 * @param entities the entity types to sync; empty = every type the connector can list
 * @param reconcileSeconds seconds between reconciliations of id sets (delete detection for entities
 *     whose connector cannot report deletes), at least 60; 0 in a request = the server's default
 *     ({@code ironbridge.sync.reconcile_hours}, a day unless configured)
 */
public record SyncSettings(
        int initialDays, int intervalSeconds, Set<EntityType> entities, int reconcileSeconds) {
    public static final int DEFAULT_INITIAL_DAYS = 90;
    public static final int DEFAULT_INTERVAL_SECONDS = 300;
    public static final int MIN_INTERVAL_SECONDS = 10;
    public static final int DEFAULT_RECONCILE_SECONDS = 86_400;
    public static final int MIN_RECONCILE_SECONDS = 60;

    public SyncSettings {
        entities = entities == null ? Set.of() : Set.copyOf(entities);
    }

    /** Settings with the server's default reconciliation interval. */
    public SyncSettings(int initialDays, int intervalSeconds, Set<EntityType> entities) {
        this(initialDays, intervalSeconds, entities, 0);
    }

    public static SyncSettings defaults() {
        return new SyncSettings(DEFAULT_INITIAL_DAYS, DEFAULT_INTERVAL_SECONDS, Set.of());
    }
}
