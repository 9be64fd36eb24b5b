package org.ironbridge.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A connection's statistics over one step of a {@link StatsSeries} (one minute, or several added
 * up).
 *
 * @param at the start of the step
 * @param apiRequests data API requests made with the connection's token
 * @param apiErrors those answered with a status of 400 or more
 * @param apiServerErrors those answered with a status of 500 or more
 * @param apiErrorCodes how often each error code was answered
 * @param apiLatencyP50Ms median latency of the requests in milliseconds (estimated from a
 *     histogram, see {@link ConnectionStats}); null without requests
 * @param apiLatencyP95Ms 95th percentile, likewise
 * @param apiLatencyP99Ms 99th percentile, likewise
 * @param apiLatencyMaxMs the slowest request, exactly; null without requests
 * @param sourceCalls calls sent to the source (see {@link ConnectionHealth})
 * @param sourceErrors those that failed on the source's side
 * @param sourceRejected calls refused without being sent because the circuit was open
 * @param syncRuns sync runs that ended in the step
 * @param syncFailures those that failed
 * @param syncDurationAvgMs their average duration; null without runs
 * @param syncDurationMaxMs the longest of them; null without runs
 * @param statusChanges changes of the connection's status in the step
 * @since 0.2
 */
public record StatsPoint(
        Instant at,
        long apiRequests,
        long apiErrors,
        long apiServerErrors,
        Map<String, Long> apiErrorCodes,
        Double apiLatencyP50Ms,
        Double apiLatencyP95Ms,
        Double apiLatencyP99Ms,
        Double apiLatencyMaxMs,
        long sourceCalls,
        long sourceErrors,
        long sourceRejected,
        long syncRuns,
        long syncFailures,
        Double syncDurationAvgMs,
        Long syncDurationMaxMs,
        long statusChanges) {}
