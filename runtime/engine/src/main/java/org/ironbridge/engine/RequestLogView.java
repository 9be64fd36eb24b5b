package org.ironbridge.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request log entry as the admin API shows it. Listings leave {@code request}, {@code response}
 * and {@code sourceCalls} null; {@link RequestLogService#find} fills them.
 *
 * @param bodiesDropped whether the bodies were not kept because the log was under pressure
 */
public record RequestLogView(
        String requestId,
        Instant startedAt,
        long durationMicros,
        String connectionId,
        String method,
        String path,
        String query,
        int status,
        String errorCode,
        int sourceCallCount,
        boolean bodiesDropped,
        Message request,
        Message response,
        List<SourceCall> sourceCalls) {

    /**
     * The headers and body of a request or response, redacted.
     *
     * @param body the body as text (cut to the configured size), or null without one
     * @param bodySize the whole body's size in bytes, or null without one
     */
    public record Message(
            Map<String, String> headers, String body, Long bodySize, boolean bodyTruncated) {}
}
