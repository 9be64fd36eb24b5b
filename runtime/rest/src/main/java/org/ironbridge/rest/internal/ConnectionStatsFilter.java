package org.ironbridge.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.ConnectionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every request authenticated with a connection token in the connection's minute statistics
 * ({@link ConnectionStats#recordApiRequest}): its status, its error code and how long it took from
 * its arrival until its answer was ready to be written. Requests whose token was not accepted
 * belong to no connection and are not counted. Recording only touches memory; a failure to record
 * never changes the answer.
 */
@PreMatching
@Priority(2)
public final class ConnectionStatsFilter
        implements ContainerRequestFilter, ContainerResponseFilter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStatsFilter.class);
    static final String STARTED = "ironbridge.startedNanos";

    private final Services services;

    public ConnectionStatsFilter(Services services) {
        this.services = services;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        req.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext res) {
        if (!(req.getProperty(ConnectionAuthFilter.CONNECTION) instanceof ConnectionView c)) {
            return;
        }
        ConnectionStats stats = services.stats;
        if (stats == null) {
            return;
        }
        long took =
                req.getProperty(STARTED) instanceof Long started ? System.nanoTime() - started : 0;
        String code = res.getEntity() instanceof Problem p ? p.code() : null;
        try {
            stats.recordApiRequest(c.id(), res.getStatus(), code, took);
        } catch (RuntimeException e) {
            LOG.warn("Could not count a request of connection {}: {}", c.id(), e.toString());
        }
    }
}
