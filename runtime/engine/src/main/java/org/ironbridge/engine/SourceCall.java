package org.ironbridge.engine;

import java.time.Instant;

/**
 * One outbound call a connector made to its source system, as the request log keeps it.
 *
 * @param url the URL without user info, secret-looking query parameters redacted
 * @param status the source's HTTP status; null when no response came
 * @param error why no response came (timeout, connection refused ...); null when one came
 */
public record SourceCall(
        Instant startedAt,
        long durationMicros,
        String method,
        String url,
        Integer status,
        String error) {}
