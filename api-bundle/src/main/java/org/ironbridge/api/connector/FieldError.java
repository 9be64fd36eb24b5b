package org.ironbridge.api.connector;

import java.util.Objects;

/**
 * One field-level validation error: the field's path in the canonical record ({@code
 * lines[0].quantity}) and a human-readable reason ({@code must be > 0}).
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
