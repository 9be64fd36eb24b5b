package org.ironbridge.engine;

import java.time.Instant;

/**
 * How a connection's calls to its source have gone lately, as the admin API and {@code GET
 * /v1/connection} show it in {@code health}.
 *
 * <p>A source call is one call of the connector to the source system that Ironbridge made for the
 * connection: a live write or passthrough of the data API, or one read of a sync (each attempt of a
 * retried read counts). Reads of the data API are answered from the store and are not source calls.
 * A call fails on the source's side when it ends in {@code source_unavailable} (including
 * timeouts), {@code source_error}, {@code rate_limited}, {@code reauthorization_required} or {@code
 * insufficient_permissions}; an answer that rejects the request itself ({@code validation_failed},
 * {@code not_found}, {@code conflict}, {@code operation_not_supported}) is not an error. Calls
 * refused by an open circuit never reach the source and are not counted.
 *
 * @param errorRate1h errors divided by requests in the last hour (0..1), or null without requests
 * @param requests1h source calls in the last 60 minutes (the current minute and the 59 before it)
 * @param lastSuccessAt the end of the last source call that did not fail on the source's side, or
 *     null if none is known (statistics are kept for the retention period, default 8 days)
 * @param circuit the circuit breaker of the connection on the server that answers: {@code closed},
 *     {@code open} or {@code half_open}
 * @since 0.2
 */
public record ConnectionHealth(
        Double errorRate1h, long requests1h, Instant lastSuccessAt, String circuit) {

    /** The health of a connection with no source calls on record and a closed circuit. */
    public static ConnectionHealth none() {
        return new ConnectionHealth(null, 0, null, "closed");
    }
}
