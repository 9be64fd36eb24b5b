package org.ironbridge.engine;

import java.time.Instant;

/**
 * Filters of {@link RequestLogService#list}; null fields do not filter.
 *
 * @param statusFrom with {@code statusTo}, the statuses [from, to): one status (503, 504) or a
 *     class (500, 600)
 * @param errorCode an API error code, e.g. {@code source_unavailable}
 * @param since entries that started at or after this instant
 * @param until entries that started before this instant
 * @param text a substring of the path, query string, request id or error code
 * @param cursor the {@code next_cursor} of the previous page
 * @param pageSize 1..100
 */
public record RequestLogQuery(
        String connectionId,
        Integer statusFrom,
        Integer statusTo,
        String errorCode,
        Instant since,
        Instant until,
        String text,
        String cursor,
        int pageSize) {}
