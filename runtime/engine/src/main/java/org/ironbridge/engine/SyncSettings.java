package org.ironbridge.engine;

import java.util.Set;
import org.ironbridge.model.EntityType;

/**
 * How a connection syncs.
 *
 * @param initialDays the lookback window of the initial sync in days; 0 = all history
 * @param intervalSeconds seconds between incremental syncs (at least 10)
 * @param entities the entity types to sync; empty = every type the connector can list
 */
public record SyncSettings(int initialDays, int intervalSeconds, Set<EntityType> entities) {
    public static final int DEFAULT_INITIAL_DAYS = 90;
    public static final int DEFAULT_INTERVAL_SECONDS = 300;
    public static final int MIN_INTERVAL_SECONDS = 10;

    public SyncSettings {
        entities = entities == null ? Set.of() : Set.copyOf(entities);
    }

    public static SyncSettings defaults() {
        return new SyncSettings(DEFAULT_INITIAL_DAYS, DEFAULT_INTERVAL_SECONDS, Set.of());
    }
}
