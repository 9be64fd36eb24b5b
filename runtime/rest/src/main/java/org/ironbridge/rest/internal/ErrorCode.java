package org.ironbridge.rest.internal;

/** The stable error codes of the HTTP API (API.md), with their status and title. */
public enum ErrorCode {
    TOKEN_MISSING(401, "Token missing"),
    TOKEN_INVALID(401, "Token invalid"),
    TOKEN_REVOKED(401, "Token revoked"),
    REAUTHORIZATION_REQUIRED(401, "Reauthorization required"),
    INSUFFICIENT_CREDITS(402, "Insufficient credits"),
    INSUFFICIENT_PERMISSIONS(403, "Insufficient permissions"),
    /**
     * A request authenticated by the console's session cookie with an unsafe method (POST, PUT,
     * PATCH, DELETE) lacks the session's CSRF token in {@code X-CSRF-Token}, or sends another one.
     * Its own code, not {@code insufficient_permissions}: the remedy is to send the token (from the
     * login response or {@code GET /v1/console/session}), not other rights.
     */
    CSRF_TOKEN_INVALID(403, "CSRF token invalid"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    IDEMPOTENCY_CONFLICT(409, "Idempotency conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    VALIDATION_FAILED(422, "Validation failed"),
    CREDENTIALS_REJECTED(422, "Credentials rejected"),
    OPERATION_NOT_SUPPORTED(422, "Operation not supported"),
    RATE_LIMITED(429, "Rate limited"),
    INTERNAL_ERROR(500, "Internal error"),
    SOURCE_ERROR(502, "Source error"),
    SOURCE_UNAVAILABLE(503, "Source unavailable"),
    CONNECTOR_UNAVAILABLE(503, "Connector unavailable"),
    /** The server is starting, or its database is unreachable. */
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The wire form, e.g. {@code token_missing}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The code for an HTTP status that Jersey or Jetty produced without one of ours. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> TOKEN_INVALID;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : VALIDATION_FAILED;
        };
    }
}
