package org.ironbridge.api.connector;

import java.time.Instant;
import java.util.Objects;
import org.ironbridge.model.EntityType;

/**
 * A request for the next page of records of one entity type.
 *
 * @param entity the entity type to read
 * @param cursor where the previous page ended, or null for the first page of an initial sync
 * @param since the lower bound of the initial sync's lookback window (records last modified before
 *     it may be skipped), or null for all history; only meaningful when {@code cursor} is null or
 *     carries no watermark
 * @param pageSize the maximum number of records to return; a connector may return fewer
 */
public record ReadRequest(EntityType entity, Cursor cursor, Instant since, int pageSize) {
    public ReadRequest {
        Objects.requireNonNull(entity, "entity");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1");
        }
    }
}
