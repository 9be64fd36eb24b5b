package org.ironbridge.api.connector;

import java.time.Duration;
import java.util.Objects;

/**
 * The rate limit a source system documents for one connection (one account or API key): at most
 * {@code requests} calls in every {@code period}. The runtime spaces a connection's calls to the
 * source (sync reads, live reads and writes, passthrough) so that they stay within it; a connector
 * never waits for it itself.
 *
 * @param requests the calls allowed per period, at least 1
 * @param period the period, at least one millisecond
 * @since 1.2
 */
public record RateLimit(int requests, Duration period) {
    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be >= 1");
        }
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("period must be at least one millisecond");
        }
    }

    /** At most {@code requests} calls per second. */
    public static RateLimit perSecond(int requests) {
        return new RateLimit(requests, Duration.ofSeconds(1));
    }

    /** At most {@code requests} calls per minute. */
    public static RateLimit perMinute(int requests) {
        return new RateLimit(requests, Duration.ofMinutes(1));
    }
}
