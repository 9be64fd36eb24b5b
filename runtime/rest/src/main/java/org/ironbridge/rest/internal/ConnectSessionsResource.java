package org.ironbridge.rest.internal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.CreatedConnectSession;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnectSession;

/**
 * Connect sessions of the admin key's organization: {@code POST /v1/admin/connect-sessions} opens
 * one, {@code POST /v1/admin/connect-sessions/{token}/exchange} exchanges the one-time code the
 * connect page handed back for the new connection's token.
 */
@Path("/v1/admin/connect-sessions")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class ConnectSessionsResource {
    private final Services services;

    public ConnectSessionsResource(Services services) {
        this.services = services;
    }

    /** The body of {@code POST /v1/admin/connect-sessions}. */
    public record CreateRequest(String customerId, List<String> systems, String redirectUrl) {}

    /** The body of {@code POST /v1/admin/connect-sessions/{token}/exchange}. */
    public record ExchangeRequest(String code) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context ContainerRequest req, CreateRequest body)
            throws EngineException {
        if (body == null) {
            throw Params.invalid("customer_id", "is required");
        }
        CreatedConnectSession created =
                service()
                        .create(
                                AdminAuthFilter.organization(req),
                                new NewConnectSession(
                                        body.customerId(), body.systems(), body.redirectUrl()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", created.token());
        out.put("url", pageUrl(req, created.token()));
        out.put("expires_at", Representations.time(created.session().expiresAt()));
        return Response.status(Response.Status.CREATED)
                .cacheControl(ConnectResource.noStore())
                .entity(out)
                .build();
    }

    @POST
    @Path("{token}/exchange")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response exchange(
            @Context ContainerRequest req, @PathParam("token") String token, ExchangeRequest body)
            throws EngineException {
        CreatedConnection created =
                service()
                        .exchange(
                                AdminAuthFilter.organization(req),
                                token,
                                body == null ? null : body.code());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection", Representations.connection(created.connection()));
        out.put("token", created.token());
        return Response.ok(out).cacheControl(ConnectResource.noStore()).build();
    }

    /**
     * The connect page of a session: under {@code ironbridge.public_url} when it is set (a server
     * behind a proxy), else under the address this request came to.
     */
    private String pageUrl(ContainerRequest req, String token) {
        String base = services.publicUrl;
        if (base == null || base.isBlank()) {
            base = req.getBaseUri().toString();
        }
        return base.replaceAll("/+$", "") + "/connect/" + token;
    }

    private ConnectSessionService service() {
        return services.require(services.connectSessions);
    }
}
