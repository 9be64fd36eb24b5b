package org.ironbridge.model;

import java.util.Objects;

/**
 * One problem found when validating a body against the canonical model.
 *
 * @param field the path of the offending field, dots between property names and {@code [i]} for
 *     array indexes, e.g. {@code lines[0].quantity}; for an unknown or missing field, the path the
 *     field has or would have; {@code ""} for the body itself
 * @param message what is wrong, in words meant for API clients, e.g. {@code is required}, {@code is
 *     read-only}, {@code is not a known field}, {@code must be one of: a, b}
 */
public record Violation(String field, String message) {

    /** Checks that both components are given. */
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** The field path and message, e.g. {@code lines[0].quantity: is required}. */
    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
