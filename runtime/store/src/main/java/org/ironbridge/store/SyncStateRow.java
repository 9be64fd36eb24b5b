package org.ironbridge.store;

import java.time.Instant;

/**
 * A row of {@code sync_state}: where the sync of one entity of one connection stands.
 *
 * @param cursor the serialized connector cursor (checkpoint), or null before the first page
 * @param cursorComplete whether {@code cursor} is the end cursor of a finished run (else a
 *     checkpoint inside an unfinished run)
 * @param requestedKind the kind of run requested next ({@code full} on request), or null
 * @param cursorNewestFirst whether {@code cursor} was returned by a newest-first read (a checkpoint
 *     of a newest-first initial sync, or its end cursor)
 */
public record SyncStateRow(
        String connectionId,
        String entity,
        String cursor,
        boolean cursorComplete,
        boolean initialDone,
        String requestedKind,
        String currentRunId,
        String lastRunId,
        Instant lastSuccessAt,
        Instant lastFullAt,
        int consecutiveFailures,
        String lastError,
        Instant nextRunAt,
        String leaseOwner,
        Instant leaseUntil,
        boolean cursorNewestFirst) {}
