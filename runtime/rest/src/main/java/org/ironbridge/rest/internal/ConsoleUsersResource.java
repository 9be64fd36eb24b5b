package org.ironbridge.rest.internal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.ConsoleUser;
import org.ironbridge.engine.EngineException;

/**
 * The organization's console users, who log in to the web console with an email and a password:
 * {@code /v1/admin/console-users}. Passwords are write-only.
 */
@Path("/v1/admin/console-users")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class ConsoleUsersResource {
    private final Services services;

    public ConsoleUsersResource(Services services) {
        this.services = services;
    }

    /** The body of {@code POST /v1/admin/console-users}. */
    public record CreateRequest(String email, String password) {
        /** Without the password. */
        @Override
        public String toString() {
            return "CreateRequest[email=" + email + "]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context ContainerRequest req, CreateRequest body)
            throws EngineException {
        ConsoleUser u =
                service()
                        .createUser(
                                AdminAuthFilter.organization(req),
                                body == null ? null : body.email(),
                                body == null ? null : body.password());
        return Response.created(URI.create("/v1/admin/console-users/" + u.id()))
                .entity(user(u))
                .build();
    }

    @GET
    public Map<String, Object> list(@Context ContainerRequest req) {
        return Map.of(
                "data",
                service().users(AdminAuthFilter.organization(req)).stream()
                        .map(ConsoleUsersResource::user)
                        .toList());
    }

    /** Deletes the user and ends its console sessions. */
    @DELETE
    @Path("{id}")
    public Response delete(@Context ContainerRequest req, @PathParam("id") String id)
            throws EngineException {
        service().deleteUser(AdminAuthFilter.organization(req), id);
        return Response.noContent().build();
    }

    private ConsoleService service() {
        return services.require(services.console);
    }

    /** A console user as the API shows it: {@code id}, {@code email}, {@code created_at}. */
    static Map<String, Object> user(ConsoleUser u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", u.id());
        out.put("email", u.email());
        out.put("created_at", Representations.time(u.createdAt()));
        return out;
    }
}
