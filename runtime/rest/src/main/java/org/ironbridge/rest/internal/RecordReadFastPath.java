package org.ironbridge.rest.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.RecordService;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.SourceCallLog;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.EntityType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hottest call of the API, {@code GET /v1/{collection}/{id}} of a stored record, served beside
 * Jersey rather than through it (Jersey's request machinery cost most of its CPU, issue #3).
 *
 * <p>It answers only the plain successful case, and exactly as the Jersey application would: the
 * same body and headers ({@code Content-Type}, {@code X-Request-Id}), the same connection
 * statistics ({@link ConnectionStatsFilter}), HTTP metrics ({@link HttpMetrics}, route {@code
 * /v1/{collection}/{id}}) and request log entry ({@link RequestObserver}). Anything else – no or
 * another kind of token, an unknown or disconnected connection, one that needs reauthorization, an
 * unknown collection, an unsupported operation, a missing record, a query string, an {@code Accept}
 * other than JSON, an encoded path, a missing service, any exception – it leaves untouched (nothing
 * written) for Jersey, which then answers it with its problem document. Reads are idempotent, so
 * doing them again there changes nothing.
 */
final class RecordReadFastPath {
    private static final Logger LOG = LoggerFactory.getLogger(RecordReadFastPath.class);

    static final String ROUTE = "/v1/{collection}/{id}";
    private static final String JSON = "application/json";
    private static final String PREFIX = "/v1/";

    private final Services services;
    private final HttpMetrics metrics;

    RecordReadFastPath(Services services, HttpMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    /**
     * Serves the request if it is a successful single-record read.
     *
     * @return false, having written nothing, when Jersey must serve it
     */
    boolean serve(HttpServletRequest req, HttpServletResponse res) throws IOException {
        long startNanos = System.nanoTime();
        if (!"GET".equals(req.getMethod()) || req.getQueryString() != null) {
            return false;
        }
        String path = req.getRequestURI();
        String contextPath = req.getContextPath();
        if (path == null
                || (contextPath != null && !contextPath.isEmpty())
                || !path.startsWith(PREFIX)
                || path.indexOf('%') >= 0
                || path.indexOf(';') >= 0) {
            return false;
        }
        int slash = path.indexOf('/', PREFIX.length());
        if (slash <= PREFIX.length()
                || slash == path.length() - 1
                || path.indexOf('/', slash + 1) >= 0) {
            return false;
        }
        String accept = req.getHeader("Accept");
        if (accept != null && !accept.equals("*/*") && !accept.equals(JSON)) {
            return false;
        }
        String authorization = req.getHeader("Authorization");
        if (authorization == null
                || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String token = authorization.substring(7).trim();
        if (!Tokens.looksLike(token, Tokens.CONNECTION_TOKEN)) {
            return false;
        }
        Optional<EntityType> type = EntityType.ofCollection(path.substring(PREFIX.length(), slash));
        if (type.isEmpty()) {
            return false;
        }
        String id = path.substring(slash + 1);
        try {
            return serve(req, res, startNanos, path, token, type.get(), id);
        } catch (EngineException | RuntimeException e) {
            if (res.isCommitted()) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            res.reset();
            return false; // Jersey answers with the problem document
        }
    }

    private boolean serve(
            HttpServletRequest req,
            HttpServletResponse res,
            long startNanos,
            String path,
            String token,
            EntityType type,
            String id)
            throws IOException, EngineException {
        ConnectionService connections = services.connections;
        ConnectorRegistry connectors = services.connectors;
        RecordService records = services.records;
        if (connections == null || connectors == null || records == null) {
            return false;
        }
        ConnectionView c = connections.authenticate(token);
        if ("reauthorization_required".equals(c.status())) {
            return false;
        }
        Optional<InstalledConnector> connector = connectors.find(c.system());
        if (connector.isEmpty()
                || !connector.get().descriptor().capabilities(type).supports(Operation.GET)) {
            return false;
        }
        RequestLogService log = services.requestLogs;
        // asked first: under overload the log turns most requests away, and then nothing is copied
        RequestLogService.Take take = log == null ? RequestLogService.Take.NOTHING : log.admit();
        boolean logged = take != RequestLogService.Take.NOTHING;
        boolean withBodies = take == RequestLogService.Take.ALL;
        Instant startedAt = logged ? Instant.now() : null;
        SourceCallLog sourceCalls = logged ? SourceCallLog.start() : null;
        Optional<String> json;
        try {
            json = records.getJson(c.id(), type, id, false);
        } finally {
            if (sourceCalls != null) {
                sourceCalls.stop();
            }
        }
        if (json.isEmpty()) {
            return false;
        }
        String given = req.getHeader(RequestIdFilter.HEADER);
        String requestId =
                given != null && RequestIdFilter.valid(given) ? given : RequestIdFilter.newId();
        byte[] body = json.get().getBytes(StandardCharsets.UTF_8);

        ConnectionStats stats = services.stats;
        if (stats != null) {
            try {
                stats.recordApiRequest(c.id(), 200, null, System.nanoTime() - startNanos);
            } catch (RuntimeException e) {
                LOG.warn("Could not count a request of connection {}: {}", c.id(), e.toString());
            }
        }
        res.setStatus(200);
        res.setContentType(JSON);
        res.setHeader(RequestIdFilter.HEADER, requestId);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
        res.flushBuffer();

        // the response is sent: nothing here may fail the request
        long nanos = System.nanoTime() - startNanos;
        try {
            metrics.record(ROUTE, "GET", 200, nanos);
            if (logged) {
                Map<String, List<String>> responseHeaders = new LinkedHashMap<>(4);
                responseHeaders.put("Content-Type", List.of(JSON));
                responseHeaders.put("X-Request-Id", List.of(requestId));
                responseHeaders.put("Content-Length", List.of(Integer.toString(body.length)));
                int max = log.maxBodyBytes();
                RequestLogEntry.Body kept =
                        withBodies
                                ? new RequestLogEntry.Body(
                                        body.length <= max
                                                ? body
                                                : Arrays.copyOf(body, Math.max(0, max)),
                                        Math.max(0, Math.min(body.length, max)),
                                        body.length,
                                        JSON)
                                : null;
                log.record(
                        new RequestLogEntry(
                                c.organizationId(),
                                c.id(),
                                requestId,
                                startedAt,
                                nanos,
                                "GET",
                                path,
                                null,
                                200,
                                null,
                                requestHeaders(req),
                                null,
                                responseHeaders,
                                kept,
                                sourceCalls.calls()),
                        !withBodies);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not observe a finished request", e);
        }
        return true;
    }

    /** The request's headers, as the request log takes them. */
    private static Map<String, List<String>> requestHeaders(HttpServletRequest req) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Enumeration<String> names = req.getHeaderNames();
        if (names == null) {
            return out;
        }
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = req.getHeaders(name);
            List<String> list = values == null ? new ArrayList<>() : Collections.list(values);
            out.merge(
                    name,
                    list,
                    (a, b) -> {
                        a.addAll(b);
                        return a;
                    });
        }
        return out;
    }
}
