package org.ironbridge.rest.internal;

import java.time.Duration;
import java.util.List;

/**
 * An error answered with a problem document. Thrown by resources and filters; mapped in one place
 * by {@link ProblemMapper}. The detail is shown to clients: never put a secret or a stack trace in
 * it.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<Problem.FieldProblem> errors;
    private final Duration retryAfter;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public ApiException(
            ErrorCode code, String detail, List<Problem.FieldProblem> errors, Duration retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors;
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    public List<Problem.FieldProblem> errors() {
        return errors;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
