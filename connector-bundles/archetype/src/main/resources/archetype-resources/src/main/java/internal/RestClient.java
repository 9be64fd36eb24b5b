package ${package}.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.SourceHttpClient;

/**
 * The source's REST/JSON API, called through the runtime's {@link SourceHttpClient} (which applies
 * timeouts and rate limits and logs every call): it authenticates each request with the API token
 * and turns every answer that is not a 2xx into the {@link ConnectorException} kind the runtime
 * acts on. It never retries or sleeps; the runtime does, after {@link
 * ConnectorException#retryAfter()}.
 *
 * <p>Failure mapping:
 *
 * <ul>
 *   <li>401 → {@code CREDENTIALS_REJECTED} (the runtime asks for reauthorization after connect);
 *   <li>403 → {@code PERMISSION_DENIED};
 *   <li>404 → {@code NOT_FOUND};
 *   <li>409 → {@code CONFLICT};
 *   <li>400 and 422 → {@code VALIDATION_FAILED} with the source's field errors;
 *   <li>429 → {@code RATE_LIMITED}, retry after the {@code Retry-After} seconds or {@link
 *       #DEFAULT_RETRY_AFTER};
 *   <li>5xx → {@code SOURCE_UNAVAILABLE} (so are a refused connection and a timeout, thrown by the
 *       runtime's client);
 *   <li>anything else, and a 2xx without JSON → {@code SOURCE_ERROR}.
 * </ul>
 *
 * <p>Messages are shown to the organization: they say what the source said and never contain the
 * token. Thread-safe.
 */
final class RestClient {
    /** How long the runtime waits after a 429 that gives no Retry-After in seconds. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    /** Reads and writes the source's JSON; thread-safe. */
    static final ObjectMapper JSON = new ObjectMapper();

    private final SourceHttpClient http;
    private final URI base;
    private final String authorization;

    /**
     * @param http the runtime's client, from {@code ConnectorContext.http()}
     * @param base the server URL, ending with a slash
     * @param token the API token, sent as a bearer token
     */
    RestClient(SourceHttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.authorization = "Bearer " + token;
    }

    /** {@code GET} of a path relative to the server URL, e.g. {@code api/work-orders/12}. */
    JsonNode get(String path) throws ConnectorException {
        return send("GET", path, null);
    }

    /** {@code POST} of a JSON body. */
    JsonNode post(String path, JsonNode body) throws ConnectorException {
        return send("POST", path, body);
    }

    /** {@code PATCH} of a JSON body. */
    JsonNode patch(String path, JsonNode body) throws ConnectorException {
        return send("PATCH", path, body);
    }

    private JsonNode send(String method, String path, JsonNode body) throws ConnectorException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", authorization)
                        .header("Accept", "application/json");
        if (body == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, BodyPublishers.ofByteArray(bytes(body)));
        }
        HttpResponse<byte[]> response = http.send(request.build());
        String call = method + " " + path;
        if (response.statusCode() / 100 != 2) {
            throw failure(call, response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw ConnectorException.sourceError(
                    ConnectorFactoryComponent.SYSTEM_NAME + " answered " + call + " without JSON");
        }
    }

    /** The failure of an answer that is not a 2xx, as listed in the class comment. */
    private static ConnectorException failure(String call, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode body = parseQuietly(response.body());
        String message = body.path("message").asText("");
        String said =
                ConnectorFactoryComponent.SYSTEM_NAME
                        + " answered "
                        + call
                        + " with HTTP "
                        + status
                        + (message.isBlank() ? "" : ": " + message);
        return switch (status) {
            case 401 ->
                    ConnectorException.credentialsRejected(
                            ConnectorFactoryComponent.SYSTEM_NAME
                                    + " rejected the API token (HTTP 401)");
            case 403 -> ConnectorException.permissionDenied(said);
            case 404 -> ConnectorException.notFound(said);
            case 409 -> ConnectorException.conflict(said);
            case 400, 422 -> ConnectorException.validationFailed(said, fieldErrors(body));
            case 429 ->
                    ConnectorException.rateLimited(
                            said,
                            response.headers()
                                    .firstValue("Retry-After")
                                    .flatMap(RestClient::seconds)
                                    .orElse(DEFAULT_RETRY_AFTER));
            default ->
                    status >= 500
                            ? ConnectorException.sourceUnavailable(said, null)
                            : ConnectorException.sourceError(said);
        };
    }

    /** The source's {@code {"errors":[{"field":..,"message":..}]}}, with its own field names. */
    private static List<FieldError> fieldErrors(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            errors.add(new FieldError(e.path("field").asText(), e.path("message").asText()));
        }
        return errors;
    }

    /** A Retry-After given in seconds; the HTTP-date form falls back to the default. */
    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parseQuietly(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}
