package org.ironbridge.connector.sandbox.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.FieldError;

/**
 * A connection's credential values, parsed: the login, the data scenario and the failure scenarios.
 */
record SandboxSettings(
        String username,
        String password,
        long seed,
        int datasetSize,
        int activityPerMinute,
        Scenarios scenarios) {

    /** The only password the sandbox accepts. */
    static final String PASSWORD = "sandbox";

    static final long MAX_DATASET_SIZE = 10_000_000;
    static final long MAX_ACTIVITY_PER_MINUTE = 6_000;
    static final long MAX_LATENCY_MS = 60_000;

    /** The longest outage or error period that can be set: a year. */
    static final long MAX_FAULT_SECONDS = 366L * 24 * 3600;

    /**
     * How the simulated server misbehaves.
     *
     * @param outage whether the server does not answer (from the first call the faults apply to)
     * @param faultsAfterCalls the outage and the error rate apply only after this many calls
     * @param outageSeconds an outage ends this long after it began (0: it never ends); more than 0
     *     means an outage even without {@code outage}
     * @param errorRateSeconds the error rate stops this long after it began (0: it never stops)
     * @param readOnly the account may read but not create, update or delete
     */
    record Scenarios(
            int latencyMs,
            double errorRate,
            int rateLimitPerMinute,
            long failAuthAfterCalls,
            boolean outage,
            long faultsAfterCalls,
            long outageSeconds,
            long errorRateSeconds,
            boolean readOnly) {

        /** Scenarios whose faults start at once and never end. */
        Scenarios(
                int latencyMs,
                double errorRate,
                int rateLimitPerMinute,
                long failAuthAfterCalls,
                boolean outage) {
            this(
                    latencyMs,
                    errorRate,
                    rateLimitPerMinute,
                    failAuthAfterCalls,
                    outage,
                    0,
                    0,
                    0,
                    false);
        }

        /** Whether an outage is configured (it may be over, or not begun yet). */
        boolean hasOutage() {
            return outage || outageSeconds > 0;
        }
    }

    boolean passwordAccepted() {
        return PASSWORD.equals(password);
    }

    /**
     * Parses and checks the values; every malformed value is reported at once.
     *
     * @throws ConnectorException VALIDATION_FAILED with a {@code credentials.<name>} error per bad
     *     field
     */
    static SandboxSettings parse(Credentials c) throws ConnectorException {
        List<FieldError> errors = new ArrayList<>();
        String username = c.get("username").orElse(null);
        if (username == null) {
            errors.add(new FieldError("credentials.username", "is required"));
        }
        String password = c.get("password").orElse(null);
        if (password == null) {
            errors.add(new FieldError("credentials.password", "is required"));
        }
        long seed = whole(c, "seed", 42, Long.MAX_VALUE, errors);
        long size = whole(c, "dataset_size", 1000, MAX_DATASET_SIZE, errors);
        long activity = whole(c, "activity_per_minute", 10, MAX_ACTIVITY_PER_MINUTE, errors);
        long latency = whole(c, "latency_ms", 0, MAX_LATENCY_MS, errors);
        double errorRate = rate(c, "error_rate", errors);
        long rateLimit = whole(c, "rate_limit_per_minute", 0, Integer.MAX_VALUE, errors);
        long failAuth = whole(c, "fail_auth_after_calls", 0, Long.MAX_VALUE, errors);
        boolean outage = bool(c, "outage", errors);
        long faultsAfter = whole(c, "faults_after_calls", 0, Long.MAX_VALUE, errors);
        long outageSeconds = whole(c, "outage_seconds", 0, MAX_FAULT_SECONDS, errors);
        long errorSeconds = whole(c, "error_rate_seconds", 0, MAX_FAULT_SECONDS, errors);
        boolean readOnly = bool(c, "read_only", errors);
        if (!errors.isEmpty()) {
            StringBuilder msg = new StringBuilder("Invalid sandbox settings:");
            for (FieldError e : errors) {
                msg.append(' ').append(e.field()).append(' ').append(e.message()).append(';');
            }
            msg.setLength(msg.length() - 1);
            throw ConnectorException.validationFailed(msg.toString(), errors);
        }
        return new SandboxSettings(
                username.trim(),
                password,
                seed,
                (int) size,
                (int) activity,
                new Scenarios(
                        (int) latency,
                        errorRate,
                        (int) rateLimit,
                        failAuth,
                        outage,
                        faultsAfter,
                        outageSeconds,
                        errorSeconds,
                        readOnly));
    }

    private static long whole(
            Credentials c, String name, long defaultValue, long max, List<FieldError> errors) {
        Optional<String> v = c.get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(v.get().trim());
        } catch (NumberFormatException e) {
            errors.add(new FieldError("credentials." + name, "must be a number"));
            return defaultValue;
        }
        if (d.signum() < 0) {
            errors.add(new FieldError("credentials." + name, "must not be negative"));
        } else if (d.stripTrailingZeros().scale() > 0) {
            errors.add(new FieldError("credentials." + name, "must be a whole number"));
        } else if (d.compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(new FieldError("credentials." + name, "must be at most " + max));
        } else {
            return d.longValueExact();
        }
        return defaultValue;
    }

    private static double rate(Credentials c, String name, List<FieldError> errors) {
        Optional<String> v = c.get(name);
        if (v.isEmpty()) {
            return 0;
        }
        try {
            double d = Double.parseDouble(v.get().trim());
            if (!(d >= 0 && d <= 1)) {
                errors.add(new FieldError("credentials." + name, "must be between 0 and 1"));
                return 0;
            }
            return d;
        } catch (NumberFormatException e) {
            errors.add(new FieldError("credentials." + name, "must be a number"));
            return 0;
        }
    }

    private static boolean bool(Credentials c, String name, List<FieldError> errors) {
        Optional<String> v = c.get(name);
        if (v.isEmpty()) {
            return false;
        }
        return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                errors.add(new FieldError("credentials." + name, "must be true or false"));
                yield false;
            }
        };
    }

    @Override
    public String toString() {
        return "SandboxSettings[username="
                + username
                + ", seed="
                + seed
                + ", dataset_size="
                + datasetSize
                + ", activity_per_minute="
                + activityPerMinute
                + ", "
                + scenarios
                + "]";
    }
}
