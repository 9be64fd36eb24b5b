package org.ironbridge.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RequestLogQuery;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.RequestLogView;
import org.ironbridge.engine.SourceCall;

/**
 * The request log of the admin key's organization: {@code GET /v1/admin/logs} (filtered, newest
 * first, cursor paging) and {@code GET /v1/admin/logs/{request_id}} (one entry whole).
 */
@Path("/v1/admin/logs")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class LogsResource {
    private final Services services;

    public LogsResource(Services services) {
        this.services = services;
    }

    @GET
    public Map<String, Object> list(
            @Context ContainerRequest req,
            @QueryParam("connection_id") String connectionId,
            @QueryParam("status") String status,
            @QueryParam("code") String code,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("q") String q,
            @QueryParam("cursor") String cursor,
            @QueryParam("page_size") String pageSize)
            throws EngineException {
        int[] statuses = statusRange(status);
        Instant from = Params.timestamp("since", since);
        Instant to = Params.timestamp("until", until);
        if (q != null && q.length() > 200) {
            throw Params.invalid("q", "must be at most 200 characters");
        }
        Page<RequestLogView> page =
                service()
                        .list(
                                AdminAuthFilter.organization(req),
                                new RequestLogQuery(
                                        blankToNull(connectionId),
                                        statuses == null ? null : statuses[0],
                                        statuses == null ? null : statuses[1],
                                        blankToNull(code),
                                        from,
                                        to,
                                        blankToNull(q),
                                        blankToNull(cursor),
                                        Params.pageSize(pageSize, 50, 100)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", page.data().stream().map(LogsResource::summary).toList());
        out.put("next_cursor", page.nextCursor());
        return out;
    }

    @GET
    @Path("{request_id}")
    public Map<String, Object> get(
            @Context ContainerRequest req, @PathParam("request_id") String requestId) {
        RequestLogView v =
                service()
                        .find(AdminAuthFilter.organization(req), requestId)
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                ErrorCode.NOT_FOUND,
                                                "There is no logged request "
                                                        + requestId
                                                        + " (entries are kept for a limited"
                                                        + " time)."));
        Map<String, Object> out = summary(v);
        out.put("request", message(v.request()));
        out.put("response", message(v.response()));
        out.put("source_calls", v.sourceCalls().stream().map(LogsResource::call).toList());
        return out;
    }

    /**
     * {@code 503} → [503, 504); {@code 5xx} → [500, 600).
     *
     * @return null without a filter
     */
    static int[] statusRange(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        String s = status.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.length() == 3 && s.endsWith("xx") && s.charAt(0) >= '1' && s.charAt(0) <= '5') {
            int from = (s.charAt(0) - '0') * 100;
            return new int[] {from, from + 100};
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 100 && n <= 599) {
                return new int[] {n, n + 1};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Params.invalid("status", "must be an HTTP status such as 503 or a class such as 5xx");
    }

    private static Map<String, Object> summary(RequestLogView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", v.requestId());
        m.put("started_at", Representations.time(v.startedAt()));
        m.put("duration_ms", v.durationMicros() / 1000.0);
        m.put("connection_id", v.connectionId());
        m.put("method", v.method());
        m.put("path", v.path());
        m.put("query", v.query());
        m.put("status", v.status());
        m.put("error_code", v.errorCode());
        m.put("source_call_count", v.sourceCallCount());
        m.put("bodies_dropped", v.bodiesDropped());
        return m;
    }

    private static Map<String, Object> message(RequestLogView.Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("headers", m == null ? Map.of() : m.headers());
        out.put("body", m == null ? null : m.body());
        out.put("body_size", m == null ? null : m.bodySize());
        out.put("body_truncated", m != null && m.bodyTruncated());
        return out;
    }

    private static Map<String, Object> call(SourceCall c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started_at", Representations.time(c.startedAt()));
        m.put("duration_ms", c.durationMicros() / 1000.0);
        m.put("method", c.method());
        m.put("url", c.url());
        m.put("status", c.status());
        m.put("error", c.error());
        return m;
    }

    private RequestLogService service() {
        return services.require(services.requestLogs);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
