package org.ironbridge.store;

import java.time.Instant;

/**
 * A row of {@code records}.
 *
 * @param data the canonical record JSON (without {@code remote_data})
 * @param raw the source's record JSON, or null (also when not asked for)
 */
public record StoredRecord(
        String id,
        String remoteId,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        String contentHash,
        String data,
        String raw) {}
