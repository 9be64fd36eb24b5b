package org.ironbridge.engine;

import java.time.Duration;
import java.util.List;
import org.ironbridge.api.connector.FieldError;

/**
 * A failure the HTTP layer answers with a problem document: the {@link Code} names the API error
 * code of API.md one-to-one ({@code Code.NOT_FOUND} is {@code not_found}). The message is shown to
 * clients: no secrets, no stack traces.
 */
public class EngineException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The API error codes the engine produces. */
    public enum Code {
        TOKEN_INVALID,
        TOKEN_REVOKED,
        REAUTHORIZATION_REQUIRED,
        INSUFFICIENT_CREDITS,
        INSUFFICIENT_PERMISSIONS,
        NOT_FOUND,
        CONFLICT,
        IDEMPOTENCY_CONFLICT,
        VALIDATION_FAILED,
        CREDENTIALS_REJECTED,
        OPERATION_NOT_SUPPORTED,
        RATE_LIMITED,
        SOURCE_ERROR,
        SOURCE_UNAVAILABLE,
        CONNECTOR_UNAVAILABLE
    }

    private final Code code;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    public EngineException(Code code, String message) {
        this(code, message, List.of(), null);
    }

    public EngineException(
            Code code, String message, List<FieldError> errors, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public Code code() {
        return code;
    }

    /** Field errors of a validation failure; empty otherwise. */
    public List<FieldError> errors() {
        return errors;
    }

    /** When to retry, for rate limits and unavailable sources; null if unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static EngineException notFound(String what) {
        return new EngineException(Code.NOT_FOUND, what);
    }

    public static EngineException invalid(String message, List<FieldError> errors) {
        return new EngineException(Code.VALIDATION_FAILED, message, errors, null);
    }
}
