package org.ironbridge.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.CreditBalance;

/**
 * {@code GET /v1/admin/credits}: the organization's credit pool, what its connections use, what is
 * left.
 */
@Path("/v1/admin/credits")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class CreditsResource {
    private final Services services;

    public CreditsResource(Services services) {
        this.services = services;
    }

    @GET
    public Map<String, Integer> get(@Context ContainerRequest req) {
        CreditBalance b =
                services.require(services.connections).credits(AdminAuthFilter.organization(req));
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("pool", b.pool());
        out.put("used", b.used());
        out.put("available", b.available());
        return out;
    }
}
