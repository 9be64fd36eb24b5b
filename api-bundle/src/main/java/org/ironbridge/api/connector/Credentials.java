package org.ironbridge.api.connector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The credential values of one connection, keyed by the field names of the connector's descriptor.
 * Immutable. Its {@link #toString()} never shows a value, so credentials cannot leak into a log by
 * accident.
 */
public final class Credentials {
    private final Map<String, String> values;

    private Credentials(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Credentials with the given values. */
    public static Credentials of(Map<String, String> values) {
        return new Credentials(values);
    }

    /** The value of a field, if present and not blank. */
    public Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /**
     * The value of a required field.
     *
     * @throws ConnectorException {@link ConnectorException.Kind#VALIDATION_FAILED} naming the field
     *     when it is missing or blank
     */
    public String require(String name) throws ConnectorException {
        return get(name)
                .orElseThrow(
                        () ->
                                ConnectorException.validationFailed(
                                        "Missing credential field " + name,
                                        java.util.List.of(
                                                new FieldError(
                                                        "credentials." + name, "is required"))));
    }

    /** An integer field, or the default when absent. */
    public int getInt(String name, int defaultValue) throws ConnectorException {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(name, "must be an integer");
        }
    }

    /** A decimal field, or the default when absent. */
    public double getDouble(String name, double defaultValue) throws ConnectorException {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(name, "must be a number");
        }
    }

    /** A boolean field ({@code true}/{@code false}), or the default when absent. */
    public boolean getBoolean(String name, boolean defaultValue) throws ConnectorException {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw invalid(name, "must be true or false");
        };
    }

    /** The field names present. */
    public java.util.Set<String> names() {
        return values.keySet();
    }

    /** All values; for the runtime's vault only, never for logging. */
    public Map<String, String> asMap() {
        return values;
    }

    private static ConnectorException invalid(String name, String message) {
        return ConnectorException.validationFailed(
                "Invalid credential field " + name,
                java.util.List.of(new FieldError("credentials." + name, message)));
    }

    @Override
    public String toString() {
        return "Credentials" + values.keySet() + " (values redacted)";
    }
}
