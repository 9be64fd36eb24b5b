package org.ironbridge.engine;

import java.time.Instant;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-connection statistics at minute resolution: data API requests (recorded by the HTTP layer),
 * source calls, sync runs and status changes (recorded by the engine). Kept in memory per minute
 * and written to the database in batches once a minute is over, so recording never touches the
 * database; kept for a retention period (default 8 days, {@code ironbridge.stats.retention_days}).
 *
 * <p>Latency percentiles are estimated from a fixed histogram of 36 buckets whose bounds grow by
 * about 1.5x from 0.1 ms to 60 s (values interpolated within a bucket, so an estimate is within
 * about 25 % of the true value); the maximum is exact.
 *
 * @since 0.2
 */
@ProviderType
public interface ConnectionStats {

    /** The step lengths {@link #series} accepts, in seconds. */
    Set<Integer> STEPS = Set.of(60, 300, 900, 3600);

    /** The most steps one {@link #series} may span (8 days of minutes). */
    int MAX_POINTS = 11_520;

    /**
     * Records one data API request made with the connection's token. Called by the HTTP layer for
     * every such request once its answer is known; never blocks and never throws.
     *
     * @param httpStatus the status of the answer
     * @param errorCode the problem document's {@code code} for an error answer, else null
     * @param durationNanos how long the request took to serve
     */
    void recordApiRequest(
            String connectionId, int httpStatus, String errorCode, long durationNanos);

    /**
     * The statistics of one of the organization's connections, per step.
     *
     * @param since the start of the range, or null for one hour before {@code until}
     * @param until the end of the range (exclusive), or null for now
     * @param stepSeconds 60, 300, 900 or 3600
     * @throws EngineException {@code NOT_FOUND} when the organization has no such connection;
     *     {@code VALIDATION_FAILED} (fields {@code since}, {@code until} or {@code step}) when
     *     {@code since} is not before {@code until}, the step is not allowed, or the range spans
     *     more than {@link #MAX_POINTS} steps
     */
    StatsSeries series(
            String organizationId,
            String connectionId,
            Instant since,
            Instant until,
            int stepSeconds)
            throws EngineException;

    /**
     * The statistics of all the organization's connections added up, per step (latency percentiles
     * from the merged histograms; {@code statusChanges} is not counted here). The series' {@code
     * connectionId} is null.
     *
     * @throws EngineException {@code VALIDATION_FAILED} as for {@link #series}
     */
    StatsSeries organizationSeries(
            String organizationId, Instant since, Instant until, int stepSeconds)
            throws EngineException;
}
