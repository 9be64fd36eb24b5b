package org.ironbridge.connector.sandbox.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.model.EntityType;

/**
 * The sandbox's tiny REST API, served through passthrough: {@code GET /<collection>/<remote_id>}
 * and {@code GET /<collection>?limit=&offset=}, with records in the sandbox's own format.
 */
final class RestApi {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private RestApi() {}

    static PassthroughResponse handle(SandboxSystem sys, PassthroughRequest req, Instant now) {
        String path = req.path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String[] seg = path.split("/", -1);
        if (!path.startsWith("/") || seg.length < 2 || seg.length > 3) {
            return error(404, "not found");
        }
        Optional<EntityType> entity = EntityType.ofCollection(seg[1]);
        if (entity.isEmpty() || (seg.length == 3 && seg[2].isEmpty())) {
            return error(404, "not found");
        }
        if (!req.method().equals("GET")) {
            ObjectNode body = Json.object();
            body.put("error", "method not allowed");
            body.putArray("allowed").add("GET");
            return new PassthroughResponse(
                    405,
                    Map.of("Content-Type", "application/json", "Allow", "GET"),
                    Json.write(body));
        }
        if (seg.length == 3) {
            ObjectNode raw = sys.rawRecord(entity.get(), seg[2], now);
            return raw == null
                    ? error(404, "not found")
                    : new PassthroughResponse(200, JSON, Json.write(raw));
        }
        Integer limit = param(req, "limit", DEFAULT_LIMIT);
        if (limit == null || limit < 1 || limit > MAX_LIMIT) {
            return error(400, "limit must be an integer between 1 and " + MAX_LIMIT);
        }
        Integer offset = param(req, "offset", 0);
        if (offset == null || offset < 0) {
            return error(400, "offset must be an integer >= 0");
        }
        return new PassthroughResponse(
                200, JSON, Json.write(sys.rawPage(entity.get(), offset, limit, now)));
    }

    /** The integer query parameter, its default when absent, or null when malformed. */
    private static Integer param(PassthroughRequest req, String name, int defaultValue) {
        List<String> values = req.query().get(name);
        if (values == null || values.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(values.get(0).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static PassthroughResponse error(int status, String message) {
        ObjectNode body = Json.object();
        body.put("error", message);
        return new PassthroughResponse(status, JSON, Json.write(body));
    }
}
