package org.ironbridge.connector.sandbox.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.ironbridge.api.connector.ConnectorException;

/**
 * The failure scenarios of one connection, with their counters: shared by every session of the
 * connection, like the state of a real server. Checked at the start of every session call.
 */
final class ScenarioGuard {
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final String WRONG_PASSWORD =
            "The password was rejected by the sandbox (use \"sandbox\")";
    static final String OUTAGE = "The sandbox server did not answer (simulated outage)";
    static final String ERROR = "HTTP 503 from sandbox (simulated error)";

    private final SandboxSettings.Scenarios scenarios;
    private final ArrayDeque<Instant> window = new ArrayDeque<>();
    private final Rng errors;
    private long answered;

    /** Every call so far, for {@code faults_after_calls}. */
    private long calls;

    /** When the outage and the error period began (their first call), or null. */
    private Instant outageStart;

    private Instant errorStart;

    ScenarioGuard(SandboxSettings.Scenarios scenarios, long seed) {
        this.scenarios = scenarios;
        this.errors = Rng.of(seed, 0x5EED_E440L);
    }

    SandboxSettings.Scenarios scenarios() {
        return scenarios;
    }

    /**
     * Applies, in order: outage, wrong password, fail-auth-after-N-calls, rate limit. Calls that
     * pass count against the rate limit window.
     *
     * @return whether the faults ({@code error_rate}) apply to this call: pass it to {@link
     *     #failNow}
     */
    synchronized boolean admit(Instant now, boolean passwordAccepted) throws ConnectorException {
        calls++;
        boolean faults = calls > scenarios.faultsAfterCalls();
        if (faults && scenarios.hasOutage()) {
            if (outageStart == null) {
                outageStart = now;
            }
            if (within(outageStart, scenarios.outageSeconds(), now)) {
                throw ConnectorException.sourceUnavailable(OUTAGE, null);
            }
        }
        if (!passwordAccepted) {
            throw ConnectorException.credentialsRejected(WRONG_PASSWORD);
        }
        answered++;
        long failAfter = scenarios.failAuthAfterCalls();
        if (failAfter > 0 && answered > failAfter) {
            throw ConnectorException.credentialsRejected(
                    "The password was rejected by the sandbox (simulated password change after "
                            + failAfter
                            + " calls)");
        }
        int limit = scenarios.rateLimitPerMinute();
        if (limit > 0) {
            Instant cutoff = now.minus(WINDOW);
            while (!window.isEmpty() && !window.peekFirst().isAfter(cutoff)) {
                window.removeFirst();
            }
            if (window.size() >= limit) {
                Duration retryAfter = Duration.between(now, window.peekFirst().plus(WINDOW));
                throw ConnectorException.rateLimited(
                        "HTTP 429 from sandbox: more than "
                                + limit
                                + " calls per minute (simulated rate limit)",
                        retryAfter);
            }
            window.addLast(now);
        }
        return faults;
    }

    /** Whether {@code now} is within {@code seconds} of {@code start} (0 seconds: forever). */
    private static boolean within(Instant start, long seconds, Instant now) {
        return seconds == 0 || now.isBefore(start.plusSeconds(seconds));
    }

    /**
     * Whether this call fails with a simulated server error (drawn with the error rate while the
     * error period lasts).
     *
     * @param faults what {@link #admit} answered for the call
     */
    synchronized boolean failNow(Instant now, boolean faults) {
        if (!faults || scenarios.errorRate() <= 0) {
            return false;
        }
        if (errorStart == null) {
            errorStart = now;
        }
        if (!within(errorStart, scenarios.errorRateSeconds(), now)) {
            return false;
        }
        return errors.nextDouble() < scenarios.errorRate();
    }
}
