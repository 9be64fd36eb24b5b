package org.ironbridge.rest.internal;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.SourceCallLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every request of the Jersey application from start to finish: times it into the HTTP
 * metrics ({@link HttpMetrics}) and, for API requests ({@code /v1/**}: admin, data and connect
 * APIs; not health, metrics or OpenAPI), hands it to the {@link RequestLogService} with the first
 * bytes of its bodies and the source calls made for it.
 *
 * <p>The request path pays only for what must happen on it: a few timestamps, teeing up to {@code
 * maxBodyBytes} of each body into a buffer, a reference to the request headers and a copy of the
 * response headers. Redaction and writing happen on the log's own thread. When the log is off
 * ({@code ironbridge.logs.enabled=false}) nothing is captured.
 *
 * <p>An entry belongs to the organization a filter put on the request: {@link
 * AdminAuthFilter#ORGANIZATION} (admin API) or the connection of {@link
 * ConnectionAuthFilter#CONNECTION} (data API). Filters of other APIs attribute their requests by
 * setting one of these properties.
 */
final class RequestObserver implements ApplicationEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RequestObserver.class);

    /** The request property holding the {@link Observation} of a logged request. */
    static final String PROPERTY = "ironbridge.requestLog";

    private final Services services;
    private final HttpMetrics metrics;

    RequestObserver(Services services, HttpMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // nothing to do for application-level events
    }

    @Override
    public RequestEventListener onRequest(RequestEvent event) {
        ContainerRequest req = event.getContainerRequest();
        RequestLogService log = services.requestLogs;
        if (log == null || !log.enabled() || !req.getPath(false).startsWith("v1/")) {
            return new Observation(null, 0, null, false);
        }
        // asked first: under overload the log turns most requests away, and then nothing is copied
        RequestLogService.Take take = log.admit();
        if (take == RequestLogService.Take.NOTHING) {
            return new Observation(null, 0, null, false);
        }
        boolean bodiesDropped = take == RequestLogService.Take.WITHOUT_BODIES;
        Observation o = new Observation(log, log.maxBodyBytes(), Instant.now(), bodiesDropped);
        req.setProperty(PROPERTY, o);
        if (!bodiesDropped && hasBody(req)) {
            o.requestBody = new CapturingInputStream(req.getEntityStream(), o.maxBodyBytes);
            req.setEntityStream(o.requestBody);
        }
        return o;
    }

    private static boolean hasBody(ContainerRequest req) {
        String m = req.getMethod();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return false;
        }
        int length = req.getLength();
        return length > 0 || (length < 0 && req.getHeaderString("Transfer-Encoding") != null);
    }

    /** One request being served. */
    final class Observation implements RequestEventListener {
        private final long startNanos = System.nanoTime();
        private final RequestLogService log;
        private final int maxBodyBytes;
        private final Instant startedAt;
        private final SourceCallLog sourceCalls;
        private final boolean bodiesDropped;
        CapturingInputStream requestBody;
        CapturingOutputStream responseBody;

        Observation(
                RequestLogService log, int maxBodyBytes, Instant startedAt, boolean bodiesDropped) {
            this.log = log;
            this.bodiesDropped = bodiesDropped;
            this.maxBodyBytes = maxBodyBytes;
            this.startedAt = startedAt;
            this.sourceCalls = log == null ? null : SourceCallLog.start();
        }

        @Override
        public void onEvent(RequestEvent event) {
            if (event.getType() != RequestEvent.Type.FINISHED) {
                return;
            }
            long nanos = System.nanoTime() - startNanos;
            if (sourceCalls != null) {
                sourceCalls.stop();
            }
            // the response is sent: nothing here may fail the request
            try {
                ContainerRequest req = event.getContainerRequest();
                ContainerResponse res = event.getContainerResponse();
                int status = res == null ? 500 : res.getStatus();
                metrics.record(event, req.getMethod(), status, nanos);
                if (log != null) {
                    log.record(entry(req, res, status, nanos), bodiesDropped);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not observe a finished request", e);
            }
        }

        private RequestLogEntry entry(
                ContainerRequest req, ContainerResponse res, int status, long nanos) {
            String organization = AdminAuthFilter.organization(req);
            String connection = null;
            ConnectionView c = ConnectionAuthFilter.connection(req);
            if (c != null) {
                organization = c.organizationId();
                connection = c.id();
            } else if (req.getPath(false).startsWith("v1/admin/connections/")) {
                connection = req.getUriInfo().getPathParameters().getFirst("id");
            }
            Object requestId = req.getProperty(RequestIdFilter.PROPERTY);
            String errorCode = null;
            Map<String, List<String>> responseHeaders = Map.of();
            String responseType = null;
            if (res != null) {
                if (requestId == null) {
                    requestId = res.getHeaderString(RequestIdFilter.HEADER);
                }
                if (res.getEntity() instanceof Problem p) {
                    errorCode = p.code();
                }
                responseHeaders = copy(res.getStringHeaders());
                responseType = res.getMediaType() == null ? null : res.getMediaType().toString();
            }
            return new RequestLogEntry(
                    organization,
                    connection,
                    requestId == null ? "" : requestId.toString(),
                    startedAt,
                    nanos,
                    req.getMethod(),
                    req.getRequestUri().getRawPath(),
                    req.getRequestUri().getRawQuery(),
                    status,
                    errorCode,
                    req.getHeaders(),
                    requestBody == null
                            ? null
                            : requestBody.body(req.getHeaderString(HttpHeaders.CONTENT_TYPE)),
                    responseHeaders,
                    responseBody == null ? null : responseBody.body(responseType),
                    sourceCalls.calls());
        }
    }

    /** The response headers as plain strings, converted here where Jersey's delegates work. */
    private static Map<String, List<String>> copy(MultivaluedMap<String, String> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            out.put(h.getKey(), new ArrayList<>(h.getValue()));
        }
        return out;
    }

    /** Tees the response body of logged requests into their {@link Observation}. */
    static final class ResponseBodyCapture implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext ctx) throws IOException {
            if (ctx.getProperty(PROPERTY) instanceof Observation o
                    && o.responseBody == null
                    && !o.bodiesDropped) {
                o.responseBody = new CapturingOutputStream(ctx.getOutputStream(), o.maxBodyBytes);
                ctx.setOutputStream(o.responseBody);
            }
            ctx.proceed();
        }
    }

    /** The first bytes of a body, and how many bytes it had in all. */
    private static final class Capture {
        private final int max;
        private byte[] buf = new byte[0];
        private int count;
        private long size;

        Capture(int max) {
            this.max = max;
        }

        void add(byte[] b, int off, int len) {
            size += len;
            int n = Math.min(len, max - count);
            if (n <= 0) {
                return;
            }
            if (count + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(max, Math.max(count + n, buf.length * 2 + 256)));
            }
            System.arraycopy(b, off, buf, count, n);
            count += n;
        }

        RequestLogEntry.Body body(String contentType) {
            return new RequestLogEntry.Body(buf, count, size, contentType);
        }
    }

    /** Reads a request body through, keeping its first bytes. */
    static final class CapturingInputStream extends FilterInputStream {
        private final Capture capture;

        CapturingInputStream(InputStream in, int max) {
            super(in);
            this.capture = new Capture(max);
        }

        /**
         * No mark and reset: bytes read again after a reset would be captured twice (Jersey then
         * buffers above this stream).
         */
        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public synchronized void mark(int readlimit) {
            // not supported
        }

        @Override
        public synchronized void reset() throws IOException {
            throw new IOException("mark/reset not supported");
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                capture.add(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                capture.add(b, off, n);
            }
            return n;
        }

        RequestLogEntry.Body body(String contentType) {
            return capture.body(contentType);
        }
    }

    /** Writes a response body through, keeping its first bytes. */
    static final class CapturingOutputStream extends FilterOutputStream {
        private final Capture capture;

        CapturingOutputStream(OutputStream out, int max) {
            super(out);
            this.capture = new Capture(max);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            capture.add(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            capture.add(b, off, len);
        }

        RequestLogEntry.Body body(String contentType) {
            return capture.body(contentType);
        }
    }
}
