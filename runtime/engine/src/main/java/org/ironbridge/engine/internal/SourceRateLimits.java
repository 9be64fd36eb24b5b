package org.ironbridge.engine.internal;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.ironbridge.api.connector.RateLimit;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;

/**
 * The rate limit a connector declares for its source ({@link
 * org.ironbridge.api.connector.ConnectorDescriptor#rateLimit()}), applied per connection with one
 * Resilience4j {@link RateLimiter} each: every call to the source first takes a permit, waiting for
 * the next period when the connection used its calls up. A call that would have to wait longer than
 * {@link #MAX_WAIT} fails with {@code RATE_LIMITED} (retry after the period) without calling the
 * source; a sync read rides that out like a 429 from the source.
 */
final class SourceRateLimits {
    /** The longest a call waits for a permit. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private record Held(RateLimit declared, RateLimiter limiter) {}

    private final ConcurrentHashMap<String, Held> limiters = new ConcurrentHashMap<>();
    private final Duration maxWait;

    SourceRateLimits() {
        this(MAX_WAIT);
    }

    SourceRateLimits(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /**
     * Takes a permit for one call of the connection to its source, waiting as long as the declared
     * limit requires (at most the maximum wait).
     *
     * @param declared the connector's declared limit; null: no limit
     * @throws EngineException {@code RATE_LIMITED} when no permit comes within the maximum wait
     */
    void acquire(String connectionId, RateLimit declared) throws EngineException {
        if (declared == null) {
            limiters.remove(connectionId);
            return;
        }
        Held held =
                limiters.compute(
                        connectionId,
                        (id, old) ->
                                old != null && old.declared().equals(declared)
                                        ? old
                                        : new Held(
                                                declared,
                                                RateLimiter.of(
                                                        "source-" + id,
                                                        RateLimiterConfig.custom()
                                                                .limitForPeriod(declared.requests())
                                                                .limitRefreshPeriod(
                                                                        declared.period())
                                                                .timeoutDuration(maxWait)
                                                                .build())));
        boolean permitted;
        try {
            permitted = held.limiter().acquirePermission();
        } catch (io.github.resilience4j.ratelimiter.RequestNotPermitted interrupted) {
            permitted = false;
        }
        if (!permitted) {
            throw new EngineException(
                    Code.RATE_LIMITED,
                    "The source allows "
                            + declared.requests()
                            + " calls per "
                            + declared.period().toMillis()
                            + " ms for this connection; this call would exceed it",
                    List.of(),
                    declared.period());
        }
    }

    /** Forgets a connection's limiter (the connection is gone). */
    void forget(String connectionId) {
        limiters.remove(connectionId);
    }
}
