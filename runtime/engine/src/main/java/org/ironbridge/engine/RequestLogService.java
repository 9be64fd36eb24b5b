package org.ironbridge.engine;

import java.util.Optional;

/**
 * The request log: every API request with its headers, bodies and source calls (redacted), kept for
 * {@code ironbridge.logs.retention_days}.
 *
 * <p>{@link #record} never blocks and never throws: entries are written asynchronously in batches
 * through a bounded queue; under pressure the queue keeps entries without their bodies, then drops
 * entries, and counts both (metrics {@code ironbridge_request_log_dropped_total}). The HTTP layer
 * asks {@link #admit} when a request starts, so that what would be dropped costs the request path
 * nothing: no bodies captured, no entry built.
 */
public interface RequestLogService {

    /** What the log takes of a request, decided when it starts. */
    enum Take {
        /** The entry with the start of its bodies. */
        ALL,
        /** The entry without its bodies: the log is under pressure (counted as dropped bodies). */
        WITHOUT_BODIES,
        /** Nothing: the log is off, or full (then counted as a dropped entry). */
        NOTHING
    }

    /**
     * What to capture of a request that starts now. Cheap (a few reads of counters) and never
     * blocks. The default takes everything when the log is on.
     */
    default Take admit() {
        return enabled() ? Take.ALL : Take.NOTHING;
    }

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
     * Queues a finished request for writing.
     *
     * @param bodiesDropped whether {@link #admit} answered {@link Take#WITHOUT_BODIES} (the entry
     *     has no bodies, and is stored as one whose bodies were dropped)
     */
    default void record(RequestLogEntry entry, boolean bodiesDropped) {
        record(bodiesDropped ? entry.withoutBodies() : entry);
    }

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
