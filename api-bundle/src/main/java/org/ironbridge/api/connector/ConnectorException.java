package org.ironbridge.api.connector;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed failure of a connector call. The {@link Kind} tells the runtime what to do (retry later,
 * stop syncing, ask for reauthorization, answer the client with a specific error code); the message
 * is shown to the organization, so it must say what the source said and never contain a secret.
 *
 * <p>Connectors never retry or sleep themselves: they throw, and the runtime decides.
 */
public class ConnectorException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, from the runtime's point of view. */
    public enum Kind {
        /** The source refused the credentials (wrong password, unknown user, revoked key). */
        CREDENTIALS_REJECTED,
        /**
         * Credentials were valid once but must be renewed by a person (expired refresh token,
         * changed password).
         */
        REAUTHORIZATION_REQUIRED,
        /** The source's account may not do this. */
        PERMISSION_DENIED,
        /**
         * The source's rate limit was hit; {@link #retryAfter()} says when to try again, if the
         * source said.
         */
        RATE_LIMITED,
        /** The source could not be reached, timed out or answered with a 5xx; transient. */
        SOURCE_UNAVAILABLE,
        /** The record does not exist at the source. */
        NOT_FOUND,
        /**
         * The source (or the connector, before calling it) rejected the input; see {@link
         * #fieldErrors()}.
         */
        VALIDATION_FAILED,
        /** The source reports a concurrent change of the record. */
        CONFLICT,
        /** The connector or the source cannot do this operation. */
        NOT_SUPPORTED,
        /** The source answered with an error the connector cannot map to anything above. */
        SOURCE_ERROR
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final List<FieldError> fieldErrors;

    public ConnectorException(Kind kind, String message) {
        this(kind, message, null, List.of(), null);
    }

    public ConnectorException(
            Kind kind,
            String message,
            Duration retryAfter,
            List<FieldError> fieldErrors,
            Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
        this.fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
    }

    public Kind kind() {
        return kind;
    }

    /** When the source asked to be called again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Field-level errors of a {@link Kind#VALIDATION_FAILED} failure; empty otherwise. */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    /** Whether trying again later may succeed without anyone changing anything. */
    public boolean isTransient() {
        return kind == Kind.RATE_LIMITED || kind == Kind.SOURCE_UNAVAILABLE;
    }

    public static ConnectorException credentialsRejected(String message) {
        return new ConnectorException(Kind.CREDENTIALS_REJECTED, message);
    }

    public static ConnectorException reauthorizationRequired(String message) {
        return new ConnectorException(Kind.REAUTHORIZATION_REQUIRED, message);
    }

    public static ConnectorException permissionDenied(String message) {
        return new ConnectorException(Kind.PERMISSION_DENIED, message);
    }

    public static ConnectorException rateLimited(String message, Duration retryAfter) {
        return new ConnectorException(Kind.RATE_LIMITED, message, retryAfter, List.of(), null);
    }

    public static ConnectorException sourceUnavailable(String message, Throwable cause) {
        return new ConnectorException(Kind.SOURCE_UNAVAILABLE, message, null, List.of(), cause);
    }

    public static ConnectorException notFound(String message) {
        return new ConnectorException(Kind.NOT_FOUND, message);
    }

    public static ConnectorException validationFailed(String message, List<FieldError> errors) {
        return new ConnectorException(Kind.VALIDATION_FAILED, message, null, errors, null);
    }

    public static ConnectorException conflict(String message) {
        return new ConnectorException(Kind.CONFLICT, message);
    }

    public static ConnectorException notSupported(String message) {
        return new ConnectorException(Kind.NOT_SUPPORTED, message);
    }

    public static ConnectorException sourceError(String message) {
        return new ConnectorException(Kind.SOURCE_ERROR, message);
    }
}
