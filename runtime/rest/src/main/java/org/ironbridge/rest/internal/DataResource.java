package org.ironbridge.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.RecordService;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Violation;

/**
 * The unified data API of one connection: {@code /v1/{collection}} and {@code
 * /v1/{collection}/{id}}. Reads come from the record store; writes are validated against the
 * canonical model here and sent live to the source by the engine.
 */
@Path("/v1/{collection}")
@DataApi
@Produces(MediaType.APPLICATION_JSON)
public final class DataResource {
    static final int MAX_PAGE_SIZE = 1000;

    private final Services services;
    private final Writes writes;

    public DataResource(Services services) {
        this.services = services;
        this.writes = new Writes(services);
    }

    @GET
    public String list(
            @PathParam("collection") String collection,
            @QueryParam("page_size") String pageSize,
            @QueryParam("cursor") String cursor,
            @QueryParam("modified_after") String modifiedAfter,
            @QueryParam("modified_before") String modifiedBefore,
            @QueryParam("include_deleted") String includeDeleted,
            @QueryParam("include_remote_data") String includeRemoteData,
            @Context ContainerRequest req)
            throws EngineException {
        EntityType type = Params.collection(collection);
        ConnectionView c = ConnectionAuthFilter.connection(req);
        Capabilities.require(services, c, type, Operation.LIST);
        RecordQuery q =
                new RecordQuery(
                        Params.pageSize(pageSize, 100, MAX_PAGE_SIZE),
                        cursor == null || cursor.isEmpty() ? null : cursor,
                        Params.timestamp("modified_after", modifiedAfter),
                        Params.timestamp("modified_before", modifiedBefore),
                        Params.bool("include_deleted", includeDeleted),
                        Params.bool("include_remote_data", includeRemoteData),
                        filters(req.getUriInfo().getQueryParameters()));
        // JSON text spliced by the engine from the stored records: no tree to build and serialize
        // again
        return services.require(services.records).listJson(c.id(), type, q);
    }

    @GET
    @Path("{id}")
    public String get(
            @PathParam("collection") String collection,
            @PathParam("id") String id,
            @QueryParam("include_remote_data") String includeRemoteData,
            @Context ContainerRequest req) {
        EntityType type = Params.collection(collection);
        ConnectionView c = ConnectionAuthFilter.connection(req);
        Capabilities.require(services, c, type, Operation.GET);
        return services.require(services.records)
                .getJson(c.id(), type, id, Params.bool("include_remote_data", includeRemoteData))
                .orElseThrow(() -> notFound(type, id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(
            @PathParam("collection") String collection,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context ContainerRequest req,
            JsonNode body)
            throws EngineException {
        EntityType type = Params.collection(collection);
        ConnectionView c = ConnectionAuthFilter.connection(req);
        Capabilities.require(services, c, type, Operation.CREATE);
        ObjectNode fields = validated(body, services.requireModel().validateCreate(type, body));
        return writes.idempotent(
                c,
                idempotencyKey,
                "POST /v1/" + collection,
                body,
                () -> {
                    ObjectNode created =
                            services.require(services.records).create(c.id(), type, fields);
                    String location = "/v1/" + collection + "/" + created.path("id").asText();
                    return Response.created(URI.create(location)).entity(created).build();
                });
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(
            @PathParam("collection") String collection,
            @PathParam("id") String id,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context ContainerRequest req,
            JsonNode body)
            throws EngineException {
        EntityType type = Params.collection(collection);
        ConnectionView c = ConnectionAuthFilter.connection(req);
        Capabilities.require(services, c, type, Operation.UPDATE);
        ObjectNode fields = validated(body, services.requireModel().validateUpdate(type, body));
        RecordService records = services.require(services.records);
        if (records.get(c.id(), type, id, false).isEmpty()) {
            throw notFound(type, id);
        }
        return writes.idempotent(
                c,
                idempotencyKey,
                "PATCH /v1/" + collection + "/" + id,
                body,
                () -> Response.ok(records.update(c.id(), type, id, fields)).build());
    }

    @DELETE
    @Path("{id}")
    public Response delete(
            @PathParam("collection") String collection,
            @PathParam("id") String id,
            @Context ContainerRequest req)
            throws EngineException {
        EntityType type = Params.collection(collection);
        ConnectionView c = ConnectionAuthFilter.connection(req);
        Capabilities.require(services, c, type, Operation.DELETE);
        RecordService records = services.require(services.records);
        if (records.get(c.id(), type, id, false).isEmpty()) {
            throw notFound(type, id);
        }
        records.delete(c.id(), type, id);
        return Response.noContent().build();
    }

    private static ApiException notFound(EntityType type, String id) {
        return new ApiException(
                ErrorCode.NOT_FOUND,
                "There is no " + type.singular().replace('_', ' ') + " " + id + ".");
    }

    private static ObjectNode validated(JsonNode body, List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    violations.size() == 1
                            ? "The body is invalid: " + violations.get(0) + "."
                            : "The body has " + violations.size() + " invalid fields.",
                    violations.stream()
                            .map(v -> new Problem.FieldProblem(v.field(), v.message()))
                            .toList(),
                    null);
        }
        return (ObjectNode) body;
    }

    /** The {@code filter[field]=value} parameters. */
    static Map<String, String> filters(MultivaluedMap<String, String> query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("filter[") && k.endsWith("]") && k.length() > 8) {
                if (e.getValue().size() != 1) {
                    throw Params.invalid(k, "may be given once");
                }
                out.put(k.substring(7, k.length() - 1), e.getValue().get(0));
            } else if (k.startsWith("filter")) {
                throw Params.invalid(k, "filters are written filter[field]=value");
            }
        }
        return out;
    }
}
