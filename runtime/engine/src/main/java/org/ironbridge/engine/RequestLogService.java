package org.ironbridge.engine;

import java.util.Optional;

/**
 * The request log: every API request with its headers, bodies and source calls (redacted), kept for
 * {@code ironbridge.logs.retention_days}.
 *
 * <p>{@link #record} never blocks and never throws: entries are written asynchronously in batches
 * through a bounded queue; under pressure the queue keeps entries without their bodies, then drops
 * entries, and counts both (metrics {@code ironbridge_request_log_dropped_total}).
 */
public interface RequestLogService {

    /**
     * Whether requests are logged ({@code ironbridge.logs.enabled}); when false the HTTP layer
     * captures nothing.
     */
    boolean enabled();

    /** How many bytes of each body are kept ({@code ironbridge.logs.max_body_bytes}). */
    int maxBodyBytes();

    /** Queues a finished request for writing. */
    void record(RequestLogEntry entry);

    /**
     * Entries of an organization, newest first.
     *
     * @throws EngineException {@code VALIDATION_FAILED} for a malformed cursor
     */
    Page<RequestLogView> list(String organizationId, RequestLogQuery query) throws EngineException;

    /**
     * The newest entry of an organization with this request id, whole; empty if there is none (or
     * it belongs to another organization).
     */
    Optional<RequestLogView> find(String organizationId, String requestId);
}
