package org.ironbridge.store;

import java.time.Instant;

/** A row of {@code sync_runs}: one sync run of one entity of one connection. */
public record SyncRunRow(
        String id,
        String connectionId,
        String entity,
        String kind,
        String status,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant heartbeatAt,
        int pages,
        long recordsSeen,
        long recordsChanged,
        long recordsDeleted,
        Integer progressPermille,
        String startCursor,
        String errorCode,
        String errorMessage,
        String node) {

    public static final String INITIAL = "initial";
    public static final String INCREMENTAL = "incremental";
    public static final String FULL = "full";

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
