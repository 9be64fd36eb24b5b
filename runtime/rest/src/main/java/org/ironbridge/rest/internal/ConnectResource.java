package org.ironbridge.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.ConnectResult;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectSessionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.InstalledConnector;

/**
 * The API of the connect page, authenticated with the session token: {@code GET
 * /v1/connect/systems} and {@code POST /v1/connect/connections}.
 */
@Path("/v1/connect")
@ConnectApi
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectResource {
    private final Services services;

    public ConnectResource(Services services) {
        this.services = services;
    }

    /** A system the customer can connect, with the fields of its connect form. */
    record System(
            String system,
            String name,
            String vendor,
            String category,
            List<Representations.Field> credentialFields) {}

    /** The body of {@code POST /v1/connect/connections}. */
    public record ConnectRequest(String system, Map<String, JsonNode> credentials) {}

    @GET
    @Path("systems")
    public Map<String, Object> systems(@Context ContainerRequest req) {
        ConnectSessionView session = ConnectAuthFilter.session(req);
        List<System> systems = new ArrayList<>();
        for (InstalledConnector c : service().systems(session)) {
            Representations.Connector r = Representations.connector(c);
            systems.add(
                    new System(
                            r.system(), r.name(), r.vendor(), r.category(), r.credentialFields()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", systems);
        out.put("expires_at", Representations.time(session.expiresAt()));
        return out;
    }

    @POST
    @Path("connections")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response connect(@Context ContainerRequest req, ConnectRequest body)
            throws EngineException {
        List<Problem.FieldProblem> errors = new ArrayList<>();
        if (body == null || body.system() == null || body.system().isBlank()) {
            errors.add(new Problem.FieldProblem("system", "is required"));
        }
        Map<String, String> credentials =
                AdminConnectionsResource.credentials(
                        body == null ? null : body.credentials(), errors);
        AdminConnectionsResource.fail(errors);
        ConnectResult r =
                service().connect(ConnectAuthFilter.token(req), body.system(), credentials);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection_id", r.connectionId());
        out.put("system", r.system());
        out.put("code", r.code());
        out.put("code_expires_at", Representations.time(r.codeExpiresAt()));
        out.put("redirect_url", r.redirectUrl());
        return Response.status(Response.Status.CREATED).cacheControl(noStore()).entity(out).build();
    }

    private ConnectSessionService service() {
        return services.require(services.connectSessions);
    }

    /** For answers that carry a secret (a token or a code): no cache may keep them. */
    static CacheControl noStore() {
        CacheControl c = new CacheControl();
        c.setNoStore(true);
        c.setNoCache(true);
        return c;
    }
}
