package org.ironbridge.rest.internal;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.uri.UriTemplate;
import org.ironbridge.metrics.Metrics;

/**
 * The timer {@code http.server.requests} (Prometheus {@code http_server_requests_seconds}) of the
 * Jersey application, tagged with the method, the route template ({@code uri}, e.g. {@code
 * /v1/{collection}/{id}}: never a raw id), the status and its class ({@code outcome}), with
 * histogram buckets for latency percentiles. Timers are cached per tag combination, so a request
 * costs one map lookup.
 */
final class HttpMetrics {
    /** The route of requests that matched no resource. */
    static final String NOT_FOUND = "NOT_FOUND";

    static final String UNMATCHED = "UNMATCHED";

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private record Key(String route, String method, int status) {}

    private final Map<ResourceMethod, String> routes = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    void record(RequestEvent event, String method, int status, long nanos) {
        record(route(event, status), method, status, nanos);
    }

    /** Times a request whose route template is known, e.g. {@code /v1/{collection}/{id}}. */
    void record(String route, String method, int status, long nanos) {
        Key key = new Key(route, method, status);
        Timer t = timers.get(key);
        if (t == null) {
            t = timers.computeIfAbsent(key, HttpMetrics::timer);
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Timer timer(Key k) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests of the API by route template and status")
                .tag("method", k.method())
                .tag("uri", k.route())
                .tag("status", Integer.toString(k.status()))
                .tag("outcome", outcome(k.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(Metrics.registry());
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        if (status >= 300) {
            return "REDIRECTION";
        }
        return status >= 200 ? "SUCCESS" : "INFORMATIONAL";
    }

    /** The route template the request matched, e.g. {@code /v1/admin/connections/{id}}. */
    private String route(RequestEvent event, int status) {
        ExtendedUriInfo info = event.getUriInfo();
        ResourceMethod m = info == null ? null : info.getMatchedResourceMethod();
        if (m != null) {
            String r = routes.get(m);
            if (r == null) {
                r = template(info.getMatchedTemplates());
                routes.put(m, r);
            }
            return r;
        }
        if (info == null || info.getMatchedTemplates().isEmpty()) {
            return status == 404 ? NOT_FOUND : UNMATCHED;
        }
        return template(info.getMatchedTemplates());
    }

    /** Joins matched templates (innermost first, as Jersey lists them) into one path. */
    static String template(List<UriTemplate> matched) {
        StringBuilder sb = new StringBuilder();
        for (int i = matched.size() - 1; i >= 0; i--) {
            String t = matched.get(i).getTemplate();
            if (t.isEmpty() || t.equals("/")) {
                continue;
            }
            if (!t.startsWith("/")) {
                sb.append('/');
            }
            sb.append(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
