package org.ironbridge.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.StatsPoint;
import org.ironbridge.engine.StatsSeries;

/**
 * {@code GET /v1/admin/connections/{id}/stats}: a connection's statistics over time, per minute (or
 * per 5, 15 or 60 minutes), for the console's charts.
 */
@Path("/v1/admin/connections/{id}/stats")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectionStatsResource {
    private final Services services;

    public ConnectionStatsResource(Services services) {
        this.services = services;
    }

    /** The answer: the range and the steps that had any activity. */
    record Series(
            String connectionId, String since, String until, int stepSeconds, List<Point> data) {}

    /** One step; see {@link StatsPoint}. */
    record Point(
            String at,
            long apiRequests,
            long apiErrors,
            long apiServerErrors,
            Map<String, Long> apiErrorCodes,
            Double apiLatencyP50Ms,
            Double apiLatencyP95Ms,
            Double apiLatencyP99Ms,
            Double apiLatencyMaxMs,
            long sourceCalls,
            long sourceErrors,
            long sourceRejected,
            long syncRuns,
            long syncFailures,
            Double syncDurationAvgMs,
            Long syncDurationMaxMs,
            long statusChanges) {}

    @GET
    public Series get(
            @Context ContainerRequest req,
            @PathParam("id") String id,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("step") String step)
            throws EngineException {
        StatsSeries s =
                services.require(services.stats)
                        .series(
                                AdminAuthFilter.organization(req),
                                id,
                                Params.timestamp("since", since),
                                Params.timestamp("until", until),
                                step(step));
        return new Series(
                s.connectionId(),
                Representations.time(s.since()),
                Representations.time(s.until()),
                s.stepSeconds(),
                s.data().stream().map(ConnectionStatsResource::point).toList());
    }

    static int step(String value) {
        if (value == null || value.isEmpty()) {
            return 60;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Params.invalid("step", "must be one of 60, 300, 900, 3600");
        }
    }

    static Point point(StatsPoint p) {
        return new Point(
                Representations.time(p.at()),
                p.apiRequests(),
                p.apiErrors(),
                p.apiServerErrors(),
                p.apiErrorCodes(),
                p.apiLatencyP50Ms(),
                p.apiLatencyP95Ms(),
                p.apiLatencyP99Ms(),
                p.apiLatencyMaxMs(),
                p.sourceCalls(),
                p.sourceErrors(),
                p.sourceRejected(),
                p.syncRuns(),
                p.syncFailures(),
                p.syncDurationAvgMs(),
                p.syncDurationMaxMs(),
                p.statusChanges());
    }
}
