package org.ironbridge.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.ironbridge.engine.ConnectorRegistry;

/** The connectors installed right now: {@code GET /v1/admin/connectors}. */
@Path("/v1/admin/connectors")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectorsResource {
    private final Services services;

    public ConnectorsResource(Services services) {
        this.services = services;
    }

    @GET
    public Map<String, List<Representations.Connector>> list() {
        ConnectorRegistry registry = services.require(services.connectors);
        return Map.of(
                "data", registry.installed().stream().map(Representations::connector).toList());
    }
}
