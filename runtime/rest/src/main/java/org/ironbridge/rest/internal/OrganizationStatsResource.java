package org.ironbridge.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.StatsSeries;

/**
 * {@code GET /v1/admin/stats}: the statistics of all the organization's connections added up, per
 * step, for the console's overview. Same parameters and points as {@link ConnectionStatsResource};
 * {@code connection_id} is null.
 */
@Path("/v1/admin/stats")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class OrganizationStatsResource {
    private final Services services;

    public OrganizationStatsResource(Services services) {
        this.services = services;
    }

    @GET
    public ConnectionStatsResource.Series get(
            @Context ContainerRequest req,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("step") String step)
            throws EngineException {
        StatsSeries s =
                services.require(services.stats)
                        .organizationSeries(
                                AdminAuthFilter.organization(req),
                                Params.timestamp("since", since),
                                Params.timestamp("until", until),
                                ConnectionStatsResource.step(step));
        return new ConnectionStatsResource.Series(
                null,
                Representations.time(s.since()),
                Representations.time(s.until()),
                s.stepSeconds(),
                s.data().stream().map(ConnectionStatsResource::point).toList());
    }
}
