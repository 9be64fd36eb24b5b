package org.ironbridge.rest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.ironbridge.model.EntityType;

/** Parsing of query parameters, with a 422 naming the parameter when one is malformed. */
final class Params {
    private Params() {}

    static int pageSize(String value, int dflt, int max) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("page_size", "must be an integer from 1 to " + max);
    }

    static Instant timestamp(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be an RFC 3339 timestamp such as 2026-11-22T10:15:30Z");
        }
    }

    static boolean bool(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "must be true or false");
        };
    }

    static EntityType collection(String name) {
        return EntityType.ofCollection(name)
                .orElseThrow(
                        () ->
                                new ApiException(
                                        ErrorCode.NOT_FOUND,
                                        "There is no collection '" + name + "'."));
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(
                ErrorCode.VALIDATION_FAILED,
                "Invalid " + field + ": " + message + ".",
                List.of(new Problem.FieldProblem(field, message)),
                null);
    }
}
