package org.ironbridge.rest.internal;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.CreatedWebhook;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.WebhookChange;
import org.ironbridge.engine.WebhookDeliveryView;
import org.ironbridge.engine.WebhookService;
import org.ironbridge.engine.WebhookView;

/**
 * An in-memory {@link WebhookService} that behaves like the engine's (scoping by organization,
 * validation, paging, replay). Org A has webhook {@link #WH_A1} with two deliveries (one that
 * succeeded on its third attempt, one that failed); org B has {@link #WH_B1} with one.
 */
final class FakeWebhookService implements WebhookService {
    static final String WH_A1 = "wh_a1";
    static final String WH_B1 = "wh_b1";
    static final String DEL_A1_OK = "whd_a1ok";
    static final String DEL_A1_FAILED = "whd_a1failed";
    static final String DEL_B1 = "whd_b1";
    static final String SECRET = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmU=";
    static final Instant T0 = Fakes.T0;

    private record Owned<T>(String org, T value) {}

    /** Webhooks by id, oldest first. */
    final Map<String, Owned<WebhookView>> webhooks = new LinkedHashMap<>();

    /** Deliveries by id, oldest first. */
    final Map<String, Owned<WebhookDeliveryView>> deliveries = new LinkedHashMap<>();

    final List<NewWebhook> created = new ArrayList<>();
    final List<WebhookChange> changes = new ArrayList<>();
    private int next = 1;

    FakeWebhookService() {
        webhooks.put(
                WH_A1,
                new Owned<>(
                        Fakes.ORG_A,
                        new WebhookView(
                                WH_A1,
                                "https://hooks.example.com/ironbridge",
                                List.of("connection.reauthorization_required", "sync.failed"),
                                "ops alerts",
                                true,
                                T0,
                                T0)));
        webhooks.put(
                WH_B1,
                new Owned<>(
                        Fakes.ORG_B,
                        new WebhookView(
                                WH_B1,
                                "https://b.example.com/hooks",
                                List.of("record.created"),
                                null,
                                true,
                                T0,
                                T0)));
        deliveries.put(
                DEL_A1_OK,
                new Owned<>(
                        Fakes.ORG_A,
                        new WebhookDeliveryView(
                                DEL_A1_OK,
                                WH_A1,
                                "evt_a1ok",
                                "sync.failed",
                                Fakes.CONN_A1,
                                "succeeded",
                                3,
                                null,
                                T0,
                                T0.plusSeconds(151),
                                null,
                                List.of(
                                        new WebhookDeliveryView.Attempt(
                                                1,
                                                T0,
                                                500,
                                                84,
                                                "the receiver answered HTTP 500",
                                                T0.plusSeconds(31)),
                                        new WebhookDeliveryView.Attempt(
                                                2,
                                                T0.plusSeconds(31),
                                                null,
                                                10000,
                                                "no answer within 10 s",
                                                T0.plusSeconds(151)),
                                        new WebhookDeliveryView.Attempt(
                                                3, T0.plusSeconds(151), 200, 35, null, null)))));
        deliveries.put(
                DEL_A1_FAILED,
                new Owned<>(
                        Fakes.ORG_A,
                        new WebhookDeliveryView(
                                DEL_A1_FAILED,
                                WH_A1,
                                "evt_a1failed",
                                "connection.reauthorization_required",
                                Fakes.CONN_A2,
                                "failed",
                                11,
                                null,
                                T0.plusSeconds(10),
                                T0.plusSeconds(259_200),
                                null,
                                List.of())));
        deliveries.put(
                DEL_B1,
                new Owned<>(
                        Fakes.ORG_B,
                        new WebhookDeliveryView(
                                DEL_B1,
                                WH_B1,
                                "evt_b1",
                                "record.created",
                                Fakes.CONN_B1,
                                "pending",
                                0,
                                T0,
                                T0,
                                null,
                                null,
                                List.of())));
    }

    @Override
    public CreatedWebhook createWebhook(String organizationId, NewWebhook request)
            throws EngineException {
        List<FieldError> errors = new ArrayList<>();
        check(request.url(), request.events(), errors);
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The webhook request is invalid", errors);
        }
        created.add(request);
        String id = "wh_new" + next++;
        WebhookView v =
                new WebhookView(
                        id,
                        request.url(),
                        request.events(),
                        request.description(),
                        true,
                        T0.plusSeconds(next),
                        T0.plusSeconds(next));
        webhooks.put(id, new Owned<>(organizationId, v));
        return new CreatedWebhook(v, SECRET);
    }

    private static void check(String url, List<String> events, List<FieldError> errors) {
        if (url != null) {
            try {
                URI u = new URI(url);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
                        || u.getHost() == null) {
                    errors.add(new FieldError("url", "must be an http or https URL"));
                }
            } catch (java.net.URISyntaxException e) {
                errors.add(new FieldError("url", "is not a valid URL"));
            }
        } else {
            errors.add(new FieldError("url", "is required"));
        }
        if (events == null || events.isEmpty()) {
            errors.add(new FieldError("events", "must name at least one event type"));
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            if (!EVENT_TYPES.contains(events.get(i))) {
                errors.add(
                        new FieldError(
                                "events[" + i + "]", "unknown event type '" + events.get(i) + "'"));
            }
        }
    }

    @Override
    public Page<WebhookView> listWebhooks(String organizationId, String cursor, int pageSize)
            throws EngineException {
        List<WebhookView> mine = new ArrayList<>();
        webhooks.values().stream()
                .filter(o -> o.org().equals(organizationId))
                .forEach(o -> mine.add(0, o.value()));
        return Fakes.page(mine, Fakes.offset(cursor), pageSize);
    }

    @Override
    public Optional<WebhookView> findWebhook(String organizationId, String webhookId) {
        Owned<WebhookView> o = webhooks.get(webhookId);
        return o == null || !o.org().equals(organizationId)
                ? Optional.empty()
                : Optional.of(o.value());
    }

    private WebhookView mine(String organizationId, String webhookId) throws EngineException {
        return findWebhook(organizationId, webhookId)
                .orElseThrow(() -> EngineException.notFound("No such webhook"));
    }

    @Override
    public WebhookView updateWebhook(String organizationId, String webhookId, WebhookChange change)
            throws EngineException {
        WebhookView v = mine(organizationId, webhookId);
        if (change == null) {
            return v;
        }
        changes.add(change);
        List<FieldError> errors = new ArrayList<>();
        check(
                change.url() == null ? v.url() : change.url(),
                change.events() == null ? v.events() : change.events(),
                errors);
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The webhook change is invalid", errors);
        }
        WebhookView changed =
                new WebhookView(
                        v.id(),
                        change.url() == null ? v.url() : change.url(),
                        change.events() == null ? v.events() : change.events(),
                        change.description() == null
                                ? v.description()
                                : (change.description().isEmpty() ? null : change.description()),
                        change.enabled() == null ? v.enabled() : change.enabled(),
                        v.createdAt(),
                        T0.plusSeconds(3600));
        webhooks.put(webhookId, new Owned<>(organizationId, changed));
        return changed;
    }

    @Override
    public void deleteWebhook(String organizationId, String webhookId) throws EngineException {
        mine(organizationId, webhookId);
        webhooks.remove(webhookId);
        deliveries.values().removeIf(o -> o.value().webhookId().equals(webhookId));
    }

    @Override
    public Page<WebhookDeliveryView> deliveries(
            String organizationId, String webhookId, String cursor, int pageSize)
            throws EngineException {
        mine(organizationId, webhookId);
        List<WebhookDeliveryView> list = new ArrayList<>();
        deliveries.values().stream()
                .filter(o -> o.value().webhookId().equals(webhookId))
                .forEach(o -> list.add(0, o.value()));
        return Fakes.page(list, Fakes.offset(cursor), pageSize);
    }

    @Override
    public WebhookDeliveryView replay(String organizationId, String deliveryId)
            throws EngineException {
        Owned<WebhookDeliveryView> o = deliveries.get(deliveryId);
        if (o == null || !o.org().equals(organizationId)) {
            throw EngineException.notFound("No such webhook delivery");
        }
        WebhookDeliveryView d = o.value();
        WebhookDeliveryView replay =
                new WebhookDeliveryView(
                        "whd_replay" + next++,
                        d.webhookId(),
                        d.eventId(),
                        d.eventType(),
                        d.connectionId(),
                        "pending",
                        0,
                        T0.plusSeconds(7200),
                        T0.plusSeconds(7200),
                        null,
                        d.id(),
                        List.of());
        deliveries.put(replay.id(), new Owned<>(organizationId, replay));
        return replay;
    }
}
