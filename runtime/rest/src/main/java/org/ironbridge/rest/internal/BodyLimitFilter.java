package org.ironbridge.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Rejects bodies above the configured limit (default 1 MiB) with 413: at once when {@code
 * Content-Length} says so, and while reading when a chunked body grows past it. Connector bundles
 * uploaded to {@code POST /v1/admin/connectors} have a limit of their own ({@link #BUNDLE_LIMIT}),
 * since a connector jar with its embedded libraries is often larger.
 */
@PreMatching
@Priority(2)
public final class BodyLimitFilter implements ContainerRequestFilter {
    /** The largest connector bundle that can be uploaded. */
    static final long BUNDLE_LIMIT = 64L * 1024 * 1024;

    private final long limit;

    public BodyLimitFilter(long limit) {
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        String method = req.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            // no body to limit; and hasEntity() is not free on the hottest path
            return;
        }
        long max =
                method.equals("POST") && req.getUriInfo().getPath().equals("v1/admin/connectors")
                        ? BUNDLE_LIMIT
                        : limit;
        if (req.getLength() > max) {
            throw tooLarge(max);
        }
        if (req.hasEntity()) {
            req.setEntityStream(new Limited(req.getEntityStream(), max));
        }
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + limit + " bytes.");
    }

    private final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > max) {
                throw tooLarge(max);
            }
        }
    }
}
