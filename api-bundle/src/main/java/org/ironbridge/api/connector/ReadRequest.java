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
 *     carries no watermark, or when {@code order} is {@link Order#NEWEST_FIRST}
 * @param pageSize the maximum number of records to return; a connector may return fewer
 * @param order the order of the read: {@link Order#OLDEST_FIRST} (every incremental read, and every
 *     read of a connector that does not declare {@link EntityCapabilities#newestFirst()}), or
 *     {@link Order#NEWEST_FIRST} for the initial sync of an entity whose connector declares it
 * @since 1.2
 */
public record ReadRequest(
        EntityType entity, Cursor cursor, Instant since, int pageSize, Order order) {

    /**
     * The order in which a read returns records.
     *
     * @since 1.2
     */
    public enum Order {
        /**
         * Oldest change first: the cursor's watermark is the latest modification time returned so
         * far. Incremental reads are always in this order.
         */
        OLDEST_FIRST,
        /**
         * Newest change first, for an initial sync, so that recent data is usable early. The read
         * covers the records that exist when its first page is read and were last modified at or
         * after {@code since}. Every returned cursor carries, as its watermark, the newest
         * modification time at the source when the first page was read (a snapshot mark, the same
         * on every page), and in its state where the descending walk stands. Records created or
         * changed after the snapshot mark may be skipped: once the read ends, the runtime continues
         * with incremental (oldest-first) reads from the snapshot mark minus its overlap window.
         */
        NEWEST_FIRST
    }

    public ReadRequest {
        Objects.requireNonNull(entity, "entity");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1");
        }
        order = order == null ? Order.OLDEST_FIRST : order;
    }

    /** An oldest-first read, as in version 1.0 of the SPI. */
    public ReadRequest(EntityType entity, Cursor cursor, Instant since, int pageSize) {
        this(entity, cursor, since, pageSize, Order.OLDEST_FIRST);
    }

    /**
     * Whether this read returns the newest records first.
     *
     * @since 1.2
     */
    public boolean newestFirst() {
        return order == Order.NEWEST_FIRST;
    }
}
