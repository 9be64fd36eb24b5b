package org.ironbridge.engine.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j circuit breaker per connection, around every call to its source (live calls and
 * sync reads, see {@link Sessions#call}).
 *
 * <p>What counts: {@code source_unavailable} (the source did not answer, timeouts included) and
 * {@code source_error} (it answered with an error Ironbridge cannot map, or the connector failed)
 * are failures. Rate limits, rejected credentials and a missing connector are ignored (they say
 * nothing about whether the source is up, and have their own handling). Every other answer, also a
 * validation failure, not found or conflict, is a success: the source answered.
 *
 * <p>When the failure rate over the sliding window reaches the threshold (after a minimum number of
 * calls), the circuit opens: calls fail fast with {@code source_unavailable} and a {@code
 * Retry-After} of the remaining open wait, without reaching the source. After the wait, a few
 * half-open probe calls go through; if they succeed the circuit closes, else it opens again. The
 * {@link Listener} hears about opening and closing (the connection becomes {@code degraded} and
 * {@code active} again).
 *
 * <p>The breakers live in this process's memory: in a cluster each node has its own, and the
 * connection status (stored) reflects whichever opened or closed last.
 */
final class Circuits {
    private static final Logger LOG = LoggerFactory.getLogger(Circuits.class);

    /** Failures that count against the source. */
    static final Set<Code> FAILURES = Set.of(Code.SOURCE_UNAVAILABLE, Code.SOURCE_ERROR);

    /** Failures that count neither way. */
    static final Set<Code> IGNORED =
            Set.of(
                    Code.RATE_LIMITED,
                    Code.REAUTHORIZATION_REQUIRED,
                    Code.CREDENTIALS_REJECTED,
                    Code.CONNECTOR_UNAVAILABLE);

    /**
     * How the breakers behave ({@code ironbridge.circuit.*} framework properties).
     *
     * @param failureRateThreshold percentage of failed calls in the window that opens the circuit
     *     ({@code failure_rate_threshold}, default 50)
     * @param minimumCalls calls the window must hold before the rate is judged ({@code
     *     minimum_calls}, default 10)
     * @param window the sliding time window over which the rate is computed ({@code
     *     window_seconds}, default 60)
     * @param openWait how long an open circuit refuses calls before it lets probes through ({@code
     *     open_wait_seconds}, default 30)
     * @param halfOpenCalls probe calls in the half-open state that decide whether it closes ({@code
     *     half_open_calls}, default 3)
     */
    record Settings(
            float failureRateThreshold,
            int minimumCalls,
            Duration window,
            Duration openWait,
            int halfOpenCalls) {
        Settings {
            if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
                throw new IllegalArgumentException(
                        "ironbridge.circuit.failure_rate_threshold must be in (0, 100]");
            }
            if (minimumCalls < 1 || halfOpenCalls < 1) {
                throw new IllegalArgumentException(
                        "ironbridge.circuit.minimum_calls and half_open_calls must be at least 1");
            }
            if (window.toSeconds() < 1 || openWait.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "ironbridge.circuit.window_seconds and open_wait_seconds must be positive");
            }
        }

        static Settings defaults() {
            return new Settings(50, 10, Duration.ofSeconds(60), Duration.ofSeconds(30), 3);
        }
    }

    /** Hears when a connection's circuit opens or closes. */
    interface Listener {
        /**
         * The circuit opened (from closed: not when a half-open probe fails).
         *
         * @param reason names the failure rate and the last failure
         */
        void opened(String connectionId, String reason);

        /** The circuit closed again after successful probes. */
        void closed(String connectionId);
    }

    /** A permission to call the source; report how the call went exactly once. */
    interface Permit {
        void succeeded();

        /** The call failed with this (mapped) error. */
        void failed(EngineException e);

        /** The call did not reach the source (e.g. no connector): it counts neither way. */
        void released();
    }

    private final Settings settings;
    private final Clock clock;
    private final CircuitBreakerConfig config;
    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    /** The last counted failure per connection, for the reason of an opening. */
    private final ConcurrentHashMap<String, EngineException> lastFailure =
            new ConcurrentHashMap<>();

    /** Until when each open circuit refuses calls (by {@link #clock}). */
    private final ConcurrentHashMap<String, Instant> openUntil = new ConcurrentHashMap<>();

    private volatile Listener listener =
            new Listener() {
                @Override
                public void opened(String connectionId, String reason) {}

                @Override
                public void closed(String connectionId) {}
            };

    Circuits(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.config =
                CircuitBreakerConfig.custom()
                        .failureRateThreshold(settings.failureRateThreshold())
                        .minimumNumberOfCalls(settings.minimumCalls())
                        .slidingWindowType(SlidingWindowType.TIME_BASED)
                        .slidingWindowSize((int) Math.max(1, settings.window().toSeconds()))
                        .waitDurationInOpenState(settings.openWait())
                        .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                        .recordException(Circuits::isFailure)
                        .ignoreException(Circuits::isIgnored)
                        .writableStackTraceEnabled(false)
                        .clock(clock)
                        .build();
    }

    Settings settings() {
        return settings;
    }

    void listener(Listener l) {
        this.listener = l;
    }

    static boolean isFailure(Throwable t) {
        return t instanceof EngineException e && FAILURES.contains(e.code());
    }

    static boolean isIgnored(Throwable t) {
        return !(t instanceof EngineException e) || IGNORED.contains(e.code());
    }

    private CircuitBreaker breaker(String connectionId) {
        return breakers.computeIfAbsent(connectionId, this::create);
    }

    private CircuitBreaker create(String connectionId) {
        CircuitBreaker cb = CircuitBreaker.of(connectionId, config);
        cb.getEventPublisher()
                .onStateTransition(event -> transition(connectionId, event.getStateTransition()));
        return cb;
    }

    private void transition(String connectionId, CircuitBreaker.StateTransition t) {
        LOG.info(
                "Circuit of connection {}: {} -> {}",
                connectionId,
                t.getFromState(),
                t.getToState());
        switch (t.getToState()) {
            case OPEN -> {
                openUntil.put(connectionId, clock.instant().plus(settings.openWait()));
                if (t.getFromState() == CircuitBreaker.State.CLOSED) {
                    listener.opened(connectionId, reason(connectionId));
                }
            }
            case CLOSED -> {
                openUntil.remove(connectionId);
                if (t.getFromState() == CircuitBreaker.State.HALF_OPEN) {
                    listener.closed(connectionId);
                }
            }
            default -> openUntil.remove(connectionId);
        }
    }

    private String reason(String connectionId) {
        CircuitBreaker.Metrics m = breaker(connectionId).getMetrics();
        EngineException last = lastFailure.get(connectionId);
        return "The source failed "
                + m.getNumberOfFailedCalls()
                + " of the last "
                + m.getNumberOfBufferedCalls()
                + " calls"
                + (last == null
                        ? ""
                        : " (last: "
                                + last.code().name().toLowerCase(Locale.ROOT)
                                + ", "
                                + last.getMessage()
                                + ")")
                + "; calls to it are paused for "
                + settings.openWait().toSeconds()
                + " s at a time until it answers again";
    }

    /**
     * Asks to call the connection's source.
     *
     * @throws EngineException {@code SOURCE_UNAVAILABLE} with the remaining open wait as {@code
     *     retryAfter} when the circuit refuses the call
     */
    Permit acquire(String connectionId) throws EngineException {
        CircuitBreaker cb = breaker(connectionId);
        if (!cb.tryAcquirePermission()) {
            throw new Open(retryAfter(connectionId));
        }
        long start = System.nanoTime();
        return new Permit() {
            @Override
            public void succeeded() {
                cb.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }

            @Override
            public void failed(EngineException e) {
                if (isFailure(e)) {
                    lastFailure.put(connectionId, e);
                }
                cb.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            }

            @Override
            public void released() {
                cb.releasePermission();
            }
        };
    }

    /** The remaining open wait, in whole seconds rounded up (at least one second). */
    private Duration retryAfter(String connectionId) {
        Instant until = openUntil.get(connectionId);
        long millis = until == null ? 0 : Duration.between(clock.instant(), until).toMillis();
        return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
    }

    /**
     * {@code closed}, {@code open} or {@code half_open}; {@code closed} for an unused connection.
     */
    String state(String connectionId) {
        CircuitBreaker cb = breakers.get(connectionId);
        if (cb == null) {
            return "closed";
        }
        return switch (cb.getState()) {
            case OPEN, FORCED_OPEN -> "open";
            case HALF_OPEN -> "half_open";
            default -> "closed";
        };
    }

    /**
     * Whether calls are refused right now: the circuit is open and its wait has not passed, so a
     * call would fail fast. A sync skips its run then.
     *
     * @return the remaining wait, or null when a call may go through
     */
    Duration refusing(String connectionId) {
        CircuitBreaker cb = breakers.get(connectionId);
        if (cb == null || cb.getState() != CircuitBreaker.State.OPEN) {
            return null;
        }
        Instant until = openUntil.get(connectionId);
        if (until == null || !clock.instant().isBefore(until)) {
            return null;
        }
        return retryAfter(connectionId);
    }

    /** Forgets a connection's breaker (it was disconnected). */
    void remove(String connectionId) {
        breakers.remove(connectionId);
        lastFailure.remove(connectionId);
        openUntil.remove(connectionId);
    }

    /** The failure of a call refused by an open (or busy half-open) circuit. */
    static final class Open extends EngineException {
        private static final long serialVersionUID = 1L;

        Open(Duration retryAfter) {
            super(
                    Code.SOURCE_UNAVAILABLE,
                    "The source failed repeatedly, so calls to it are paused (circuit open); retry"
                            + " in "
                            + retryAfter.toSeconds()
                            + " s",
                    java.util.List.of(),
                    retryAfter);
        }
    }
}
