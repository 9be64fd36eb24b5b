package ${package}.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A stand-in for the source's REST API in tests: the JDK's HTTP server on a free loopback port,
 * with work orders in memory. It answers the calls the connector makes the way the real system
 * does, including its failure signatures (401 for a wrong token, 404, 422 with field errors), so
 * that the connector's tests need no server. Keep it faithful to the real system as the connector
 * grows, traps included; better still, also run the conformance test against a real server.
 *
 * <p>The seeded work orders share their timestamps three by three, so paging crosses records with
 * equal {@code updated_at}. Every change gets a timestamp later than all earlier ones.
 */
final class FakeSource implements AutoCloseable {
    /** The API token the fake accepts. */
    static final String TOKEN = "test-token";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SEEDED_AT = Instant.parse("2026-01-05T08:00:00.123456Z");
    private static final Set<String> FIELDS =
            Set.of("summary", "details", "state", "priority", "due_on", "assignee");
    private static final Set<String> STATES =
            Set.of("NEW", "APPROVED", "IN_PROGRESS", "ON_HOLD", "DONE", "CLOSED", "CANCELLED");
    private static final Comparator<ObjectNode> ORDER =
            Comparator.comparing(FakeSource::updatedAt)
                    .thenComparingLong((ObjectNode w) -> w.get("id").asLong());

    private final HttpServer server;
    private final NavigableMap<Long, ObjectNode> workOrders = new TreeMap<>();
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
    private String scriptedRetryAfter;
    private Instant lastChange = SEEDED_AT;

    private FakeSource(int seeded) throws IOException {
        for (long id = 1; id <= seeded; id++) {
            ObjectNode w = newWorkOrder(id, SEEDED_AT.plusSeconds(id / 3).toString());
            w.put("summary", "Inspect pump P-" + id).put("state", id % 2 == 0 ? "NEW" : "DONE");
            w.put("priority", 1 + id % 4).put("due_on", "2026-02-0" + (1 + id % 9));
            workOrders.put(id, w);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake with the given number of work orders. */
    static FakeSource start(int seeded) throws IOException {
        return new FakeSource(seeded);
    }

    /** The server URL to put in the credentials. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Changes a work order the way a user of the source would, which moves its updated_at. */
    synchronized void change(String id) {
        ObjectNode w = workOrders.get(Long.parseLong(id));
        w.put("details", "changed at the source");
        w.put("updated_at", nextTimestamp());
    }

    /** Makes the next call answer with this status, and this Retry-After header if not null. */
    synchronized void failNext(int status, String retryAfter) {
        scriptedStatuses.add(status);
        scriptedRetryAfter = retryAfter;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + TOKEN).equals(authorization)) {
                send(exchange, 401, message("invalid token"));
                return;
            }
            if (!scriptedStatuses.isEmpty()) {
                if (scriptedRetryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", scriptedRetryAfter);
                }
                send(exchange, scriptedStatuses.poll(), message("scripted failure"));
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/me") && method.equals("GET")) {
                send(exchange, 200, JSON.createObjectNode().put("user", "test"));
            } else if (path.equals("/api/work-orders") && method.equals("GET")) {
                list(exchange);
            } else if (path.equals("/api/work-orders") && method.equals("POST")) {
                write(exchange, null);
            } else if (path.startsWith("/api/work-orders/")) {
                ObjectNode w = find(path.substring("/api/work-orders/".length()));
                if (w == null) {
                    send(exchange, 404, message("no such work order"));
                } else if (method.equals("GET")) {
                    send(exchange, 200, w);
                } else if (method.equals("PATCH")) {
                    write(exchange, w);
                } else {
                    send(exchange, 405, message("method not allowed"));
                }
            } else {
                send(exchange, 404, message("not found"));
            }
        }
    }

    /** {@code ?limit=&updated_since=&after_id=}, ordered by (updated_at, id). */
    private void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        if (limit < 1 || limit > 100) {
            send(exchange, 400, message("limit must be between 1 and 100"));
            return;
        }
        String since = query.get("updated_since");
        long afterId = Long.parseLong(query.getOrDefault("after_id", "0"));
        List<ObjectNode> matching =
                workOrders.values().stream()
                        .filter(w -> since == null || isAfter(w, Instant.parse(since), afterId))
                        .sorted(ORDER)
                        .toList();
        ObjectNode page = JSON.createObjectNode();
        ArrayNode data = page.putArray("data");
        matching.stream().limit(limit).forEach(data::add);
        page.put("has_more", matching.size() > limit);
        send(exchange, 200, page);
    }

    /** Whether a work order comes after (since, afterId); afterId 0 takes all at {@code since}. */
    private static boolean isAfter(ObjectNode w, Instant since, long afterId) {
        int c = updatedAt(w).compareTo(since);
        return c > 0 || (c == 0 && w.get("id").asLong() > afterId);
    }

    /** Creates (existing == null) or updates a work order, validating like the source does. */
    private void write(HttpExchange exchange, ObjectNode existing) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        }
        if (!(body instanceof ObjectNode fields)) {
            send(exchange, 400, message("the body must be a JSON object"));
            return;
        }
        ObjectNode answer = message("invalid work order");
        ArrayNode errors = answer.putArray("errors");
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            if (!FIELDS.contains(f.getKey())) {
                errors.addObject().put("field", f.getKey()).put("message", "unknown field");
            }
        }
        if ((existing == null || fields.has("summary"))
                && fields.path("summary").asText("").isBlank()) {
            errors.addObject().put("field", "summary").put("message", "is required");
        }
        if (fields.hasNonNull("state") && !STATES.contains(fields.get("state").asText())) {
            errors.addObject().put("field", "state").put("message", "unknown state");
        }
        if (fields.hasNonNull("priority")
                && (fields.get("priority").asInt() < 1 || fields.get("priority").asInt() > 4)) {
            errors.addObject().put("field", "priority").put("message", "must be 1 to 4");
        }
        if (!errors.isEmpty()) {
            send(exchange, 422, answer);
            return;
        }
        ObjectNode w = existing;
        if (w == null) {
            long id = workOrders.isEmpty() ? 1 : workOrders.lastKey() + 1;
            w = newWorkOrder(id, nextTimestamp()).put("state", "NEW");
            workOrders.put(id, w);
        } else {
            w.put("updated_at", nextTimestamp());
        }
        w.setAll(fields);
        send(exchange, existing == null ? 201 : 200, w);
    }

    private ObjectNode find(String id) {
        try {
            return workOrders.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ObjectNode newWorkOrder(long id, String at) {
        ObjectNode w = JSON.createObjectNode().put("id", id).put("number", "WO-" + (10000 + id));
        w.putNull("summary").putNull("details").putNull("state");
        w.putNull("priority").putNull("due_on").putNull("assignee");
        return w.put("created_at", at).put("updated_at", at);
    }

    private static Instant updatedAt(ObjectNode w) {
        return Instant.parse(w.get("updated_at").asText());
    }

    /** A timestamp later than every earlier change, in microseconds like the source's. */
    private String nextTimestamp() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        lastChange = now.isAfter(lastChange) ? now : lastChange.plus(1, ChronoUnit.MICROS);
        return lastChange.toString();
    }

    private static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                result.put(
                        URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return result;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
