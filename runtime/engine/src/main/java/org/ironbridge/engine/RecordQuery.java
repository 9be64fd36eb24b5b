package org.ironbridge.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A list query of the unified data API.
 *
 * @param pageSize 1..1000
 * @param cursor the opaque cursor of a previous page, or null
 * @param modifiedAfter only records with {@code updated_at} after this, or null
 * @param modifiedBefore only records with {@code updated_at} before this, or null
 * @param includeDeleted whether to include records deleted at the source
 * @param includeRemoteData whether to add {@code remote_data}
 * @param filters {@code filter[field]=value} pairs
 */
public record RecordQuery(
        int pageSize,
        String cursor,
        Instant modifiedAfter,
        Instant modifiedBefore,
        boolean includeDeleted,
        boolean includeRemoteData,
        Map<String, String> filters) {}
