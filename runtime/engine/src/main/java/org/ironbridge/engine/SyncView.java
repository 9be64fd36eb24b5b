package org.ironbridge.engine;

import java.time.Instant;

/**
 * One sync run of one entity of one connection, as the admin API shows it.
 *
 * @param kind {@code initial}, {@code incremental} or {@code full}
 * @param status {@code queued}, {@code running}, {@code succeeded} or {@code failed}
 * @param progress 0..1 while running when the total is known, else null
 * @param error what went wrong, for a failed run; null otherwise
 */
public record SyncView(
        String id,
        String connectionId,
        String entity,
        String kind,
        String status,
        Instant startedAt,
        Instant finishedAt,
        long recordsSeen,
        long recordsChanged,
        long recordsDeleted,
        Double progress,
        String error) {}
