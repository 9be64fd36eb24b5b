package org.ironbridge.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.model.EntityType;

/** Connections of the admin key's organization: {@code /v1/admin/connections}. */
@Path("/v1/admin/connections")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class AdminConnectionsResource {
    private final Services services;

    public AdminConnectionsResource(Services services) {
        this.services = services;
    }

    /** The body of {@code POST /v1/admin/connections}. */
    public record CreateRequest(
            String system,
            String customerId,
            String name,
            String deployment,
            String agentId,
            Map<String, JsonNode> credentials,
            SyncRequest sync) {}

    /** Sync settings in a create request; absent fields take the defaults. */
    public record SyncRequest(
            Integer initialDays,
            Integer intervalSeconds,
            List<String> entities,
            Integer reconcileSeconds) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context ContainerRequest req, CreateRequest body)
            throws EngineException {
        NewConnection nc = toNewConnection(body);
        CreatedConnection created = service().create(AdminAuthFilter.organization(req), nc);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection", Representations.connection(created.connection()));
        out.put("token", created.token());
        return Response.created(URI.create("/v1/admin/connections/" + created.connection().id()))
                .entity(out)
                .build();
    }

    @GET
    public Map<String, Object> list(
            @Context ContainerRequest req,
            @QueryParam("customer_id") String customerId,
            @QueryParam("system") String system,
            @QueryParam("status") String status,
            @QueryParam("cursor") String cursor,
            @QueryParam("page_size") String pageSize)
            throws EngineException {
        Page<org.ironbridge.engine.ConnectionView> page =
                service()
                        .list(
                                AdminAuthFilter.organization(req),
                                blankToNull(customerId),
                                blankToNull(system),
                                blankToNull(status),
                                blankToNull(cursor),
                                Params.pageSize(pageSize, 20, 100));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", page.data().stream().map(Representations::connection).toList());
        out.put("next_cursor", page.nextCursor());
        return out;
    }

    @GET
    @Path("{id}")
    public Representations.Connection get(
            @Context ContainerRequest req, @PathParam("id") String id) {
        return service()
                .find(AdminAuthFilter.organization(req), id)
                .map(Representations::connection)
                .orElseThrow(
                        () ->
                                new ApiException(
                                        ErrorCode.NOT_FOUND, "There is no connection " + id + "."));
    }

    @GET
    @Path("{id}/syncs")
    public Map<String, Object> syncs(@Context ContainerRequest req, @PathParam("id") String id)
            throws EngineException {
        return Map.of(
                "data",
                service().syncs(AdminAuthFilter.organization(req), id, 100).stream()
                        .map(Representations::sync)
                        .toList());
    }

    @jakarta.ws.rs.DELETE
    @Path("{id}")
    public Response disconnect(@Context ContainerRequest req, @PathParam("id") String id)
            throws EngineException {
        service().disconnect(AdminAuthFilter.organization(req), id);
        return Response.noContent().build();
    }

    /** The body of {@code POST /v1/admin/connections/{id}/reconnect}. */
    public record ReconnectRequest(Map<String, JsonNode> credentials) {}

    @POST
    @Path("{id}/reconnect")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reconnect(
            @Context ContainerRequest req, @PathParam("id") String id, ReconnectRequest body)
            throws EngineException {
        List<Problem.FieldProblem> errors = new ArrayList<>();
        Map<String, String> credentials =
                credentials(body == null ? null : body.credentials(), errors);
        fail(errors);
        CreatedConnection created =
                service().reconnect(AdminAuthFilter.organization(req), id, credentials);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection", Representations.connection(created.connection()));
        out.put("token", created.token());
        return Response.created(URI.create("/v1/admin/connections/" + created.connection().id()))
                .entity(out)
                .build();
    }

    @POST
    @Path("{id}/purge")
    public Response purge(@Context ContainerRequest req, @PathParam("id") String id)
            throws EngineException {
        service().purge(AdminAuthFilter.organization(req), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/status-history")
    public Map<String, Object> statusHistory(
            @Context ContainerRequest req, @PathParam("id") String id) throws EngineException {
        return Map.of(
                "data",
                service().statusHistory(AdminAuthFilter.organization(req), id).stream()
                        .map(
                                e -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("status", e.status());
                                    m.put("reason", e.reason());
                                    m.put("at", Representations.time(e.at()));
                                    return m;
                                })
                        .toList());
    }

    /** The body of {@code POST /v1/admin/connections/{id}/syncs}; both fields optional. */
    public record SyncNowRequest(List<String> entities, Boolean full) {}

    @POST
    @Path("{id}/syncs")
    public Response syncNow(
            @Context ContainerRequest req, @PathParam("id") String id, SyncNowRequest body)
            throws EngineException {
        List<Problem.FieldProblem> errors = new ArrayList<>();
        Set<EntityType> entities = new HashSet<>();
        if (body != null && body.entities() != null) {
            for (int i = 0; i < body.entities().size(); i++) {
                String e = body.entities().get(i);
                int index = i;
                EntityType.ofCollection(e == null ? "" : e)
                        .ifPresentOrElse(
                                entities::add,
                                () ->
                                        errors.add(
                                                new Problem.FieldProblem(
                                                        "entities[" + index + "]",
                                                        "unknown collection " + e)));
            }
        }
        fail(errors);
        List<org.ironbridge.engine.SyncView> runs =
                service()
                        .requestSync(
                                AdminAuthFilter.organization(req),
                                id,
                                entities,
                                body != null && Boolean.TRUE.equals(body.full()));
        return Response.accepted(Map.of("data", runs.stream().map(Representations::sync).toList()))
                .build();
    }

    private ConnectionService service() {
        return services.require(services.connections);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Checks the shape of the request; the engine checks it against the connector's descriptor. */
    static NewConnection toNewConnection(CreateRequest body) {
        List<Problem.FieldProblem> errors = new ArrayList<>();
        if (body == null) {
            throw Params.invalid("system", "is required");
        }
        if (body.system() == null || body.system().isBlank()) {
            errors.add(new Problem.FieldProblem("system", "is required"));
        }
        if (body.customerId() == null || body.customerId().isBlank()) {
            errors.add(new Problem.FieldProblem("customer_id", "is required"));
        } else if (body.customerId().length() > 200) {
            errors.add(new Problem.FieldProblem("customer_id", "must be at most 200 characters"));
        }
        if (body.name() != null && body.name().length() > 200) {
            errors.add(new Problem.FieldProblem("name", "must be at most 200 characters"));
        }
        if (body.deployment() != null && !body.deployment().matches("cloud|on_prem")) {
            errors.add(new Problem.FieldProblem("deployment", "must be cloud or on_prem"));
        }
        Map<String, String> credentials = credentials(body.credentials(), errors);
        SyncSettings sync = null;
        if (body.sync() != null) {
            SyncRequest s = body.sync();
            Set<EntityType> entities = new HashSet<>();
            if (s.entities() != null) {
                for (int i = 0; i < s.entities().size(); i++) {
                    String e = s.entities().get(i);
                    EntityType.ofCollection(e == null ? "" : e)
                            .ifPresentOrElse(
                                    entities::add,
                                    () ->
                                            errors.add(
                                                    new Problem.FieldProblem(
                                                            "sync.entities",
                                                            "unknown collection " + e)));
                }
            }
            sync =
                    new SyncSettings(
                            s.initialDays() == null
                                    ? SyncSettings.DEFAULT_INITIAL_DAYS
                                    : s.initialDays(),
                            s.intervalSeconds() == null
                                    ? SyncSettings.DEFAULT_INTERVAL_SECONDS
                                    : s.intervalSeconds(),
                            entities,
                            // 0: the server's default (daily unless configured)
                            s.reconcileSeconds() == null ? 0 : s.reconcileSeconds());
            if (s.reconcileSeconds() != null
                    && s.reconcileSeconds() < SyncSettings.MIN_RECONCILE_SECONDS) {
                errors.add(
                        new Problem.FieldProblem(
                                "sync.reconcile_seconds",
                                "must be at least " + SyncSettings.MIN_RECONCILE_SECONDS));
            }
        }
        fail(errors);
        return new NewConnection(
                body.system(),
                body.customerId(),
                body.name(),
                body.deployment(),
                credentials,
                sync);
    }

    /**
     * Credential values as strings; numbers and booleans are accepted, objects and arrays are not.
     */
    static Map<String, String> credentials(
            Map<String, JsonNode> given, List<Problem.FieldProblem> errors) {
        Map<String, String> credentials = new LinkedHashMap<>();
        if (given == null) {
            errors.add(new Problem.FieldProblem("credentials", "is required"));
            return credentials;
        }
        given.forEach(
                (k, v) -> {
                    if (v == null || v.isNull()) {
                        return;
                    }
                    if (v.isValueNode()) {
                        credentials.put(k, v.asText());
                    } else {
                        errors.add(
                                new Problem.FieldProblem(
                                        "credentials." + k, "must be a string, number or boolean"));
                    }
                });
        return credentials;
    }

    /** Throws one 422 listing every field problem, if there are any. */
    static void fail(List<Problem.FieldProblem> errors) {
        if (!errors.isEmpty()) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    errors.size() == 1
                            ? "Invalid "
                                    + errors.get(0).field()
                                    + ": "
                                    + errors.get(0).message()
                                    + "."
                            : "The request has " + errors.size() + " invalid fields.",
                    errors,
                    null);
        }
    }
}
