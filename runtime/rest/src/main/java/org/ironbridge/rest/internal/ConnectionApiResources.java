package org.ironbridge.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.EngineException;
import org.ironbridge.model.EntityType;

/**
 * The connection-scoped endpoints beside the collections: {@code /v1/connection}, {@code
 * /v1/capabilities}, {@code /v1/schemas} and {@code /v1/passthrough}. Each is its own root resource
 * so that its literal path wins over {@code /v1/{collection}}.
 */
final class ConnectionApiResources {
    private ConnectionApiResources() {}

    /**
     * {@code GET /v1/connection}: the connection of the token, without secrets, read afresh with
     * its health (the token's view is cached for authentication).
     */
    @Path("/v1/connection")
    @DataApi
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Self {
        private final Services services;

        public Self(Services services) {
            this.services = services;
        }

        @GET
        public Representations.Connection get(@Context ContainerRequest req) {
            ConnectionView c = ConnectionAuthFilter.connection(req);
            return Representations.connection(
                    services.require(services.connections)
                            .find(c.organizationId(), c.id())
                            .orElse(c));
        }
    }

    /** {@code GET /v1/capabilities}: what this connection's system can do, per collection. */
    @Path("/v1/capabilities")
    @DataApi
    @Produces(MediaType.APPLICATION_JSON)
    public static final class CapabilitiesResource {
        private final Services services;

        public CapabilitiesResource(Services services) {
            this.services = services;
        }

        @GET
        public Map<String, Map<String, Boolean>> get(@Context ContainerRequest req) {
            return Representations.capabilities(
                    Capabilities.descriptor(services, ConnectionAuthFilter.connection(req)));
        }
    }

    /** {@code GET /v1/schemas[/{collection}]}: the JSON Schemas of the canonical records. */
    @Path("/v1/schemas")
    @DataApi
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Schemas {
        private final Services services;

        public Schemas(Services services) {
            this.services = services;
        }

        @GET
        public Map<String, JsonNode> all() {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            for (EntityType t : EntityType.values()) {
                out.put(t.collection(), services.requireModel().schema(t));
            }
            return out;
        }

        @GET
        @Path("{collection}")
        public JsonNode one(@PathParam("collection") String collection) {
            return services.requireModel().schema(Params.collection(collection));
        }
    }

    /** {@code POST /v1/passthrough}: a raw call to the source with the connection's credentials. */
    @Path("/v1/passthrough")
    @DataApi
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Passthrough {
        private final Services services;

        public Passthrough(Services services) {
            this.services = services;
        }

        /** The request body. */
        public record Request(
                String method,
                String path,
                Map<String, List<String>> query,
                Map<String, String> headers,
                JsonNode body) {}

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public Map<String, Object> call(@Context ContainerRequest req, Request body)
                throws EngineException {
            if (body == null) {
                throw Params.invalid("method", "is required");
            }
            if (body.method() == null || !body.method().matches("GET|POST|PUT|PATCH|DELETE|HEAD")) {
                throw Params.invalid(
                        "method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
            }
            if (body.path() == null || !body.path().startsWith("/") || body.path().contains("..")) {
                throw Params.invalid("path", "must start with / and must not contain ..");
            }
            ConnectionView c = ConnectionAuthFilter.connection(req);
            String raw =
                    body.body() == null || body.body().isNull()
                            ? null
                            : body.body().isTextual()
                                    ? body.body().asText()
                                    : body.body().toString();
            PassthroughResponse r =
                    services.require(services.records)
                            .passthrough(
                                    c.id(),
                                    new PassthroughRequest(
                                            body.method(),
                                            body.path(),
                                            body.query(),
                                            body.headers(),
                                            raw));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", r.status());
            out.put("headers", r.headers());
            out.put("body", r.body());
            return out;
        }
    }
}
