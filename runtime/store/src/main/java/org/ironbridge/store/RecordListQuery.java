package org.ironbridge.store;

import java.time.Instant;
import java.util.Map;

/**
 * A keyset-paginated list of records ordered by {@code updated_at}, then {@code id}.
 *
 * @param afterUpdatedAt with {@code afterId}: the position of the previous page's last record, or
 *     null for the first page
 * @param modifiedAfter only records updated strictly after this, or null
 * @param modifiedBefore only records updated strictly before this, or null
 * @param filters field → value pairs every returned record has (AND)
 * @param withRaw whether to read the raw source record too
 * @param limit the maximum number of records
 */
public record RecordListQuery(
        Instant afterUpdatedAt,
        String afterId,
        Instant modifiedAfter,
        Instant modifiedBefore,
        boolean includeDeleted,
        Map<String, String> filters,
        boolean withRaw,
        int limit) {
    public RecordListQuery {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
        if ((afterUpdatedAt == null) != (afterId == null)) {
            throw new IllegalArgumentException("afterUpdatedAt and afterId go together");
        }
    }
}
