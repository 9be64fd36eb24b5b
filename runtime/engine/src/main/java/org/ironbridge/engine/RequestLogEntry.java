package org.ironbridge.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finished API request as the HTTP layer hands it to {@link RequestLogService#record}: raw, not
 * yet redacted (the log writer redacts it on its own thread, off the request path).
 *
 * @param organizationId the organization the request acted for (null if it could not be told: such
 *     requests are not kept, no organization could ever see them)
 * @param connectionId the connection of a data API request; null for other requests
 * @param startedAt when the request came in
 * @param durationNanos from the request coming in to its response being written
 * @param path the request path, e.g. {@code /v1/purchase-orders/po_1}
 * @param rawQuery the query string as sent, or null
 * @param errorCode the API error code of a problem response, or null
 * @param requestHeaders the request's headers (not copied: pass a map nobody changes any more)
 * @param requestBody the start of the request body, or null without one
 * @param responseHeaders the response's headers
 * @param responseBody the start of the response body, or null without one
 * @param sourceCalls the outbound calls to the source, in order ({@link SourceCallLog})
 */
public record RequestLogEntry(
        String organizationId,
        String connectionId,
        String requestId,
        Instant startedAt,
        long durationNanos,
        String method,
        String path,
        String rawQuery,
        int status,
        String errorCode,
        Map<String, List<String>> requestHeaders,
        Body requestBody,
        Map<String, List<String>> responseHeaders,
        Body responseBody,
        List<SourceCall> sourceCalls) {

    /**
     * The start of a body: the first {@code length} bytes of {@code bytes}.
     *
     * @param size how many bytes the whole body had, as far as it was read or written
     * @param contentType its media type, or null
     */
    public record Body(byte[] bytes, int length, long size, String contentType) {
        /** Whether the body is longer than what was kept. */
        public boolean truncated() {
            return size > length;
        }
    }

    /** The same entry without bodies (what the log keeps when it is under pressure). */
    public RequestLogEntry withoutBodies() {
        return new RequestLogEntry(
                organizationId,
                connectionId,
                requestId,
                startedAt,
                durationNanos,
                method,
                path,
                rawQuery,
                status,
                errorCode,
                requestHeaders,
                null,
                responseHeaders,
                null,
                sourceCalls);
    }
}
