package org.ironbridge.store;

import java.time.Instant;

/**
 * One process's statistics of one connection in one minute (table {@code connection_minute_stats}).
 * The engine aggregates them in memory and writes them once the minute is over; readers sum the
 * rows of the same minute written by different processes.
 *
 * @param minute the start of the minute
 * @param writer the process that wrote the row (node name and a random id of its start)
 * @param apiRequests data API requests made with the connection's token
 * @param apiErrors those answered with a status of 400 or more
 * @param apiServerErrors those answered with a status of 500 or more
 * @param apiErrorCodes the error codes of those answers, {@code code=count} separated by {@code ;},
 *     or null
 * @param apiLatency the latency histogram in its text form, or null when there were no requests
 * @param apiLatencyMaxUs the slowest request, in microseconds
 * @param sourceCalls calls sent to the source (live calls and sync reads)
 * @param sourceErrors those that failed on the source's side
 * @param sourceRejected calls refused without being sent (the circuit breaker was open)
 * @param sourceLastOkAt the end of the last call that did not fail on the source's side, or null
 * @param syncRuns sync runs that ended in the minute
 * @param syncFailures those that failed
 * @param syncDurationSumMs their durations added up
 * @param syncDurationMaxMs the longest of them
 */
public record MinuteStatsRow(
        String connectionId,
        Instant minute,
        String writer,
        int apiRequests,
        int apiErrors,
        int apiServerErrors,
        String apiErrorCodes,
        String apiLatency,
        long apiLatencyMaxUs,
        int sourceCalls,
        int sourceErrors,
        int sourceRejected,
        Instant sourceLastOkAt,
        int syncRuns,
        int syncFailures,
        long syncDurationSumMs,
        long syncDurationMaxMs) {}
