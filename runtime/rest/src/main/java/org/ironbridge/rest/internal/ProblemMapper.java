package org.ironbridge.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become responses: every exception ends as a problem document with a
 * stable code. Known errors keep their status and code; anything else is logged with the request id
 * and answered as a terse 500 that names the request id and never shows a stack trace.
 */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Throwable t) {
        RequestIdFilter.RequestInfo request = RequestIdFilter.current();
        String requestId = request.id();
        if (t instanceof org.ironbridge.engine.EngineException e) {
            ErrorCode code = ErrorCode.valueOf(e.code().name());
            List<Problem.FieldProblem> errors =
                    e.errors().stream()
                            .map(f -> new Problem.FieldProblem(f.field(), f.message()))
                            .toList();
            Long retry = e.retryAfter() == null ? null : e.retryAfter().toSeconds();
            if (retry == null
                    && (code == ErrorCode.SOURCE_UNAVAILABLE || code == ErrorCode.RATE_LIMITED)) {
                retry = 30L;
            }
            return problem(code, e.getMessage(), errors, requestId, retry, null);
        }
        ApiException wrapped = apiCause(t);
        if (wrapped != null && wrapped != t) {
            // e.g. the body limit hit while Jackson was reading: Jackson wraps our exception in its
            // own
            return toResponse(wrapped);
        }
        if (t instanceof ApiException e) {
            return problem(
                    e.code(),
                    e.getMessage(),
                    e.errors(),
                    requestId,
                    e.retryAfter() == null ? null : e.retryAfter().toSeconds(),
                    null);
        }
        JsonProcessingException json = jsonCause(t);
        if (json != null) {
            return problem(
                    ErrorCode.VALIDATION_FAILED,
                    describe(json),
                    fieldOf(json),
                    requestId,
                    null,
                    null);
        }
        if (t instanceof WebApplicationException w) {
            Response r = w.getResponse();
            int status = r.getStatus();
            if (status >= 500) {
                LOG.error("Request {} failed", requestId, t);
                return problem(
                        ErrorCode.INTERNAL_ERROR,
                        internalDetail(requestId),
                        null,
                        requestId,
                        null,
                        null);
            }
            ErrorCode code = ErrorCode.forStatus(status);
            String detail =
                    switch (code) {
                        case NOT_FOUND -> "There is nothing at " + request.path() + ".";
                        case METHOD_NOT_ALLOWED ->
                                request.method() + " is not allowed on " + request.path() + ".";
                        case UNSUPPORTED_MEDIA_TYPE ->
                                "The content type "
                                        + (request.contentType() == null
                                                ? "(none)"
                                                : "'" + request.contentType() + "'")
                                        + " is not supported here; send application/json.";
                        case NOT_ACCEPTABLE ->
                                "None of the accepted media types can be produced; accept application/json.";
                        default -> code.title() + ".";
                    };
            String allow =
                    t instanceof NotAllowedException ? r.getHeaderString(HttpHeaders.ALLOW) : null;
            return problem(code, detail, null, requestId, null, allow);
        }
        LOG.error("Request {} failed", requestId, t);
        return problem(
                ErrorCode.INTERNAL_ERROR, internalDetail(requestId), null, requestId, null, null);
    }

    private static String internalDetail(String requestId) {
        return "An unexpected error occurred. Quote request id "
                + requestId
                + " when reporting it.";
    }

    private static ApiException apiCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ApiException a) {
                return a;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static JsonProcessingException jsonCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) {
                return j;
            }
            if (!(c instanceof ProcessingException
                    || c instanceof WebApplicationException
                    || c instanceof JsonProcessingException)) {
                break;
            }
        }
        return null;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "The body has an unknown field: " + u.getPropertyName() + ".";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "The body has a field of the wrong type: " + path(m) + ".";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
            return "The body must be a JSON object.";
        }
        var loc = e.getLocation();
        return "The request body is not valid JSON"
                + (loc == null
                        ? "."
                        : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ").");
    }

    private static List<Problem.FieldProblem> fieldOf(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return List.of(new Problem.FieldProblem(path(u), "is not a known field"));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return List.of(new Problem.FieldProblem(path(m), "has the wrong type"));
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
            return List.of(new Problem.FieldProblem("", "must be a JSON object"));
        }
        return null;
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Builds a problem response; used by filters too. */
    static Response problem(
            ErrorCode code,
            String detail,
            List<Problem.FieldProblem> errors,
            String requestId,
            Long retryAfterSeconds,
            String allow) {
        Response.ResponseBuilder b =
                Response.status(code.status())
                        .type(Problem.MEDIA_TYPE)
                        .entity(
                                new Problem(
                                        "https://ironbridge.dev/errors/" + code.wire(),
                                        code.title(),
                                        code.status(),
                                        detail,
                                        code.wire(),
                                        requestId,
                                        errors == null || errors.isEmpty() ? null : errors));
        if (retryAfterSeconds != null) {
            b.header("Retry-After", Math.max(1, retryAfterSeconds));
        }
        if (allow != null) {
            b.header(HttpHeaders.ALLOW, allow);
        }
        if (code.status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ironbridge\"");
        }
        return b.build();
    }
}
