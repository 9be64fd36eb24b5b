package org.ironbridge.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.store.Database;

/** Liveness and readiness, without a token. */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final Services services;

    public HealthResource(Services services) {
        this.services = services;
    }

    /** The process is up and serving HTTP. */
    @GET
    @Path("live")
    public Map<String, String> live() {
        return Map.of("status", "up");
    }

    /** The database is reachable and migrated, and the core services are active. */
    @GET
    @Path("ready")
    public Map<String, Object> ready() {
        Database db = services.database;
        Optional<String> dbProblem =
                db == null ? Optional.of("The store is not started") : db.check();
        String problem = dbProblem.orElse(null);
        if (problem == null && services.adminAuthenticator == null) {
            problem = "The engine is not started";
        }
        if (problem == null && services.connectors == null) {
            problem = "The connector registry is not started";
        }
        if (problem != null) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, problem);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ready");
        body.put("database", db.describe());
        Runnable onReady = services.onReady;
        if (onReady != null) {
            onReady.run();
        }
        return body;
    }
}
