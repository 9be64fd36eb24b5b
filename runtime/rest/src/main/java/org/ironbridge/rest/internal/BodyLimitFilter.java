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
 * Content-Length} says so, and while reading when a chunked body grows past it.
 */
@PreMatching
@Priority(2)
public final class BodyLimitFilter implements ContainerRequestFilter {
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
        if (req.getLength() > limit) {
            throw tooLarge();
        }
        if (req.hasEntity()) {
            req.setEntityStream(new Limited(req.getEntityStream()));
        }
    }

    private ApiException tooLarge() {
        return new ApiException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + limit + " bytes.");
    }

    private final class Limited extends FilterInputStream {
        private long count;

        Limited(InputStream in) {
            super(in);
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
            if (count > limit) {
                throw tooLarge();
            }
        }
    }
}
