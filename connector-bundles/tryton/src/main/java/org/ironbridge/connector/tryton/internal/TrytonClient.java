package org.ironbridge.connector.tryton.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.SourceHttpClient;

/**
 * Tryton's JSON-RPC protocol over the runtime's HTTP client: logs in with {@code common.db.login},
 * sends the session on every call, logs in again once when the server answers 401 (expired
 * session), and maps Tryton's failures to {@link ConnectorException} kinds.
 */
final class TrytonClient {
    /** When Tryton answers 429 without Retry-After: its login throttle lasts up to this long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    private final SourceHttpClient http;
    private final URI root;
    private final URI dbUri;
    private final String username;
    private final String password;
    private final AtomicLong ids = new AtomicLong();
    private volatile String authorization;
    private volatile ObjectNode context;

    TrytonClient(
            SourceHttpClient http, URI root, String database, String username, String password) {
        this.http = http;
        this.root = root;
        this.dbUri = root.resolve(database + "/");
        this.username = username;
        this.password = password;
    }

    /** Logs in (again) and loads the user's context (company, language). */
    synchronized void login() throws ConnectorException {
        ArrayNode params = TrytonValues.MAPPER.createArrayNode();
        params.add(username);
        params.addObject().put("password", password);
        params.add("en");
        JsonNode result = send(dbUri, "common.db.login", params, null, true);
        if (!result.isArray() || result.size() < 2) {
            throw ConnectorException.credentialsRejected("Tryton refused the login of " + username);
        }
        String token = username + ":" + result.get(0).asText() + ":" + result.get(1).asText();
        authorization =
                "Session "
                        + Base64.getEncoder()
                                .encodeToString(token.getBytes(StandardCharsets.UTF_8));
        ArrayNode prefParams = TrytonValues.MAPPER.createArrayNode().add(true);
        prefParams.addObject();
        JsonNode prefs =
                send(dbUri, "model.res.user.get_preferences", prefParams, authorization, false);
        ObjectNode ctx = TrytonValues.MAPPER.createObjectNode();
        if (prefs.hasNonNull("company")) {
            ctx.set("company", prefs.get("company"));
        }
        ctx.put("language", prefs.path("language").asText("en"));
        context = ctx;
    }

    /** The context for model calls: the user's company and language. */
    ObjectNode context() throws ConnectorException {
        if (context == null) {
            login();
        }
        return context.deepCopy();
    }

    /**
     * Calls a model or wizard method; {@code params} must already end with the context. Logs in
     * first if needed, and once more when the session has expired.
     */
    JsonNode call(String method, ArrayNode params) throws ConnectorException {
        if (authorization == null) {
            login();
        }
        try {
            return send(dbUri, method, params, authorization, false);
        } catch (SessionExpired e) {
            login();
            try {
                return send(dbUri, method, params, authorization, false);
            } catch (SessionExpired again) {
                throw ConnectorException.credentialsRejected(
                        "Tryton rejects the session right after logging in");
            }
        }
    }

    /** Builds params {@code [args..., context]}. */
    ArrayNode params(Object... args) throws ConnectorException {
        ArrayNode p = TrytonValues.MAPPER.createArrayNode();
        for (Object a : args) {
            p.add((JsonNode) TrytonValues.MAPPER.valueToTree(a));
        }
        p.add(context());
        return p;
    }

    /** Ends the session at the server; errors are ignored. */
    void logout() {
        if (authorization == null) {
            return;
        }
        try {
            send(
                    dbUri,
                    "common.db.logout",
                    TrytonValues.MAPPER.createArrayNode(),
                    authorization,
                    false);
        } catch (ConnectorException | RuntimeException ignored) {
            // the session expires by itself
        }
        authorization = null;
    }

    /** Thrown when the server answers 401 to a call with a session. */
    static final class SessionExpired extends ConnectorException {
        private static final long serialVersionUID = 1L;

        SessionExpired() {
            super(Kind.REAUTHORIZATION_REQUIRED, "Tryton session expired");
        }
    }

    private JsonNode send(URI uri, String method, ArrayNode params, String auth, boolean isLogin)
            throws ConnectorException {
        ObjectNode body = TrytonValues.MAPPER.createObjectNode();
        body.put("id", ids.incrementAndGet());
        body.put("method", method);
        body.set("params", params);
        HttpRequest.Builder rb =
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (auth != null) {
            rb.header("Authorization", auth);
        }
        HttpResponse<byte[]> resp = http.send(rb.build());
        int status = resp.statusCode();
        if (status == 401) {
            if (isLogin) {
                throw ConnectorException.credentialsRejected(
                        "Tryton rejected the user name or password for " + username);
            }
            throw new SessionExpired();
        }
        if (status == 429) {
            Duration retry =
                    resp.headers()
                            .firstValue("Retry-After")
                            .flatMap(TrytonClient::seconds)
                            .orElse(DEFAULT_RETRY_AFTER);
            throw ConnectorException.rateLimited("Tryton is throttling requests (HTTP 429)", retry);
        }
        if (status == 403) {
            throw ConnectorException.permissionDenied("Tryton refused " + method + " (HTTP 403)");
        }
        if (status >= 500) {
            throw ConnectorException.sourceUnavailable(
                    "HTTP " + status + " from Tryton for " + method, null);
        }
        if (status != 200) {
            throw ConnectorException.sourceError("HTTP " + status + " from Tryton for " + method);
        }
        JsonNode json;
        try {
            json = TrytonValues.MAPPER.readTree(resp.body());
        } catch (IOException e) {
            throw ConnectorException.sourceError("Tryton answered " + method + " with non-JSON");
        }
        JsonNode error = json.get("error");
        if (error != null && !error.isNull()) {
            throw mapError(method, error);
        }
        return json.path("result");
    }

    /** Maps a JSON-RPC {@code error} array to the failure kind. */
    static ConnectorException mapError(String method, JsonNode error) {
        String type = error.path(0).asText();
        JsonNode detail = error.path(1);
        String message = detail.isArray() ? detail.path(0).asText() : detail.asText();
        if (message.isBlank()) {
            message = type;
        }
        return switch (type) {
            case "UserError", "UserWarning" -> {
                if (message.startsWith("You are not allowed to access")) {
                    yield ConnectorException.permissionDenied(message);
                }
                yield ConnectorException.validationFailed(message, fieldErrors(message));
            }
            case "ConcurrencyException" ->
                    ConnectorException.conflict(
                            "The record was changed in Tryton in the meantime: " + message);
            case "LoginException" ->
                    ConnectorException.credentialsRejected("Tryton asks for a login: " + message);
            default ->
                    ConnectorException.sourceError(
                            "Tryton failed " + method + ": " + type + " " + message);
        };
    }

    private static List<FieldError> fieldErrors(String message) {
        return List.of();
    }

    private static java.util.Optional<Duration> seconds(String v) {
        try {
            return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return TrytonValues.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
