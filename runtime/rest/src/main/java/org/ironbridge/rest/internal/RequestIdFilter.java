package org.ironbridge.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.regex.Pattern;
import org.ironbridge.engine.RequestIds;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is 1–128 characters of
 * {@code [A-Za-z0-9._-]}, a new one otherwise. Every response carries it. The request's id, method,
 * path and content type are also kept for the thread serving it, so that {@link ProblemMapper} can
 * describe errors without the servlet API (Jersey serves a request on one thread).
 */
@PreMatching
@Priority(1)
public final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {
    public static final String HEADER = "X-Request-Id";
    static final String PROPERTY = "ironbridge.requestId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final ThreadLocal<RequestInfo> CURRENT = new ThreadLocal<>();

    /** What error messages need to know about the request being served. */
    record RequestInfo(String id, String method, String path, String contentType) {}

    @Override
    public void filter(ContainerRequestContext req) {
        String given = req.getHeaderString(HEADER);
        String id = given != null && valid(given) ? given : newId();
        req.setProperty(PROPERTY, id);
        CURRENT.set(
                new RequestInfo(
                        id,
                        req.getMethod(),
                        "/" + req.getUriInfo().getPath(),
                        req.getHeaderString(HttpHeaders.CONTENT_TYPE)));
    }

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext res) {
        Object id = req.getProperty(PROPERTY);
        res.getHeaders().putSingle(HEADER, id == null ? current().id() : id);
        CURRENT.remove();
    }

    /** Whether a client's request id is acceptable. */
    static boolean valid(String given) {
        return VALID.matcher(given).matches();
    }

    static String newId() {
        return RequestIds.newId();
    }

    /**
     * The request being served on this thread (a placeholder with a new id if the filter did not
     * run).
     */
    static RequestInfo current() {
        RequestInfo info = CURRENT.get();
        if (info == null) {
            info = new RequestInfo(newId(), "?", "?", null);
            CURRENT.set(info);
        }
        return info;
    }
}
