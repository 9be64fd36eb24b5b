package org.ironbridge.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A record to insert or update in the store.
 *
 * @param insert whether the record is new (insert) or exists (update by id)
 * @param raw the source's record JSON; null on an update keeps the stored one
 * @param filters the filterable top-level field values of the record (field → value), which replace
 *     the stored ones; values longer than 255 characters are not stored (and so never match)
 */
public record RecordWrite(
        boolean insert,
        String id,
        String remoteId,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        String contentHash,
        String data,
        String raw,
        Map<String, String> filters) {
    public RecordWrite {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(remoteId, "remoteId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(data, "data");
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }
}
