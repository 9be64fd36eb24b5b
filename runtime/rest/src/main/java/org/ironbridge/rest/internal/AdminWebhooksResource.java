package org.ironbridge.rest.internal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;
import org.ironbridge.engine.CreatedWebhook;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.WebhookChange;
import org.ironbridge.engine.WebhookDeliveryView;
import org.ironbridge.engine.WebhookService;
import org.ironbridge.engine.WebhookView;

/**
 * Webhook endpoints of the admin key's organization ({@code /v1/admin/webhooks}) and the replay of
 * their deliveries ({@code /v1/admin/webhook-deliveries/{id}/replay}).
 */
@Path("/v1/admin/webhooks")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public final class AdminWebhooksResource {
    private final Services services;

    public AdminWebhooksResource(Services services) {
        this.services = services;
    }

    /** The body of {@code POST /v1/admin/webhooks}. */
    public record CreateRequest(String url, List<String> events, String description) {}

    /** The body of {@code PATCH /v1/admin/webhooks/{id}}: absent (or null) fields stay. */
    public record UpdateRequest(
            String url, List<String> events, String description, Boolean enabled) {}

    /** A webhook endpoint on the wire: never its secret. */
    record Webhook(
            String id,
            String url,
            List<String> events,
            String description,
            boolean enabled,
            String createdAt,
            String updatedAt) {}

    /** A delivery on the wire, with its attempts. */
    record Delivery(
            String id,
            String webhookId,
            String eventId,
            String eventType,
            String connectionId,
            String status,
            int attemptCount,
            String nextAttemptAt,
            String createdAt,
            String finishedAt,
            String replayOf,
            List<Attempt> attempts) {}

    /** One attempt of a delivery on the wire. */
    record Attempt(
            int number,
            String at,
            Integer statusCode,
            int latencyMs,
            String error,
            String nextAttemptAt) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context ContainerRequest req, CreateRequest body)
            throws EngineException {
        if (body == null) {
            throw Params.invalid("url", "is required");
        }
        CreatedWebhook created =
                service()
                        .createWebhook(
                                AdminAuthFilter.organization(req),
                                new NewWebhook(body.url(), body.events(), body.description()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("webhook", webhook(created.webhook()));
        out.put("secret", created.secret());
        return Response.created(URI.create("/v1/admin/webhooks/" + created.webhook().id()))
                .entity(out)
                .build();
    }

    @GET
    public Map<String, Object> list(
            @Context ContainerRequest req,
            @QueryParam("cursor") String cursor,
            @QueryParam("page_size") String pageSize)
            throws EngineException {
        Page<WebhookView> page =
                service()
                        .listWebhooks(
                                AdminAuthFilter.organization(req),
                                blankToNull(cursor),
                                Params.pageSize(pageSize, 20, 100));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", page.data().stream().map(AdminWebhooksResource::webhook).toList());
        out.put("next_cursor", page.nextCursor());
        return out;
    }

    @GET
    @Path("{id}")
    public Webhook get(@Context ContainerRequest req, @PathParam("id") String id) {
        return service()
                .findWebhook(AdminAuthFilter.organization(req), id)
                .map(AdminWebhooksResource::webhook)
                .orElseThrow(
                        () ->
                                new ApiException(
                                        ErrorCode.NOT_FOUND, "There is no webhook " + id + "."));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Webhook update(
            @Context ContainerRequest req, @PathParam("id") String id, UpdateRequest body)
            throws EngineException {
        WebhookChange change =
                body == null
                        ? null
                        : new WebhookChange(
                                body.url(), body.events(), body.description(), body.enabled());
        return webhook(service().updateWebhook(AdminAuthFilter.organization(req), id, change));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context ContainerRequest req, @PathParam("id") String id)
            throws EngineException {
        service().deleteWebhook(AdminAuthFilter.organization(req), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    public Map<String, Object> deliveries(
            @Context ContainerRequest req,
            @PathParam("id") String id,
            @QueryParam("cursor") String cursor,
            @QueryParam("page_size") String pageSize)
            throws EngineException {
        Page<WebhookDeliveryView> page =
                service()
                        .deliveries(
                                AdminAuthFilter.organization(req),
                                id,
                                blankToNull(cursor),
                                Params.pageSize(pageSize, 20, 100));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", page.data().stream().map(AdminWebhooksResource::delivery).toList());
        out.put("next_cursor", page.nextCursor());
        return out;
    }

    /** {@code POST /v1/admin/webhook-deliveries/{id}/replay}. */
    @Path("/v1/admin/webhook-deliveries")
    @AdminApi
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Deliveries {
        private final Services services;

        public Deliveries(Services services) {
            this.services = services;
        }

        @POST
        @Path("{id}/replay")
        public Response replay(@Context ContainerRequest req, @PathParam("id") String id)
                throws EngineException {
            WebhookDeliveryView d =
                    services.require(services.webhooks)
                            .replay(AdminAuthFilter.organization(req), id);
            return Response.accepted(Map.of("delivery", delivery(d))).build();
        }
    }

    private WebhookService service() {
        return services.require(services.webhooks);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Webhook webhook(WebhookView v) {
        return new Webhook(
                v.id(),
                v.url(),
                v.events(),
                v.description(),
                v.enabled(),
                Representations.time(v.createdAt()),
                Representations.time(v.updatedAt()));
    }

    static Delivery delivery(WebhookDeliveryView d) {
        return new Delivery(
                d.id(),
                d.webhookId(),
                d.eventId(),
                d.eventType(),
                d.connectionId(),
                d.status(),
                d.attemptCount(),
                Representations.time(d.nextAttemptAt()),
                Representations.time(d.createdAt()),
                Representations.time(d.finishedAt()),
                d.replayOf(),
                d.attempts().stream()
                        .map(
                                a ->
                                        new Attempt(
                                                a.number(),
                                                Representations.time(a.at()),
                                                a.statusCode(),
                                                a.latencyMs(),
                                                a.error(),
                                                Representations.time(a.nextAttemptAt())))
                        .toList());
    }
}
