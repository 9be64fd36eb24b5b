package org.ironbridge.engine.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.CreatedWebhook;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.Tokens;
import org.ironbridge.engine.WebhookChange;
import org.ironbridge.engine.WebhookDeliveryView;
import org.ironbridge.engine.WebhookService;
import org.ironbridge.engine.WebhookView;
import org.ironbridge.store.WebhookRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link WebhookService}: plain class, constructed by the {@link Engine}. */
final class WebhookManager implements WebhookService {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookManager.class);
    static final int MAX_URL = 2000;
    static final int MAX_DESCRIPTION = 500;

    private final WebhookRepository repo;
    private final WebhookEvents events;
    private final WebhookDispatcher dispatcher;
    private final Vault vault;
    private final Clock clock;

    WebhookManager(
            WebhookRepository repo,
            WebhookEvents events,
            WebhookDispatcher dispatcher,
            Vault vault,
            Clock clock) {
        this.repo = repo;
        this.events = events;
        this.dispatcher = dispatcher;
        this.vault = vault;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public CreatedWebhook createWebhook(String organizationId, NewWebhook request)
            throws EngineException {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw EngineException.invalid(
                    "The webhook request is invalid",
                    List.of(new FieldError("url", "is required")));
        }
        String url = checkUrl(request.url(), errors);
        List<String> types = checkEvents(request.events(), errors);
        String description = checkDescription(request.description(), errors);
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The webhook request is invalid", errors);
        }
        String id = Tokens.newId("wh");
        String secret = WebhookSigner.newSecret();
        Instant now = now();
        WebhookRepository.Endpoint e =
                new WebhookRepository.Endpoint(
                        id,
                        organizationId,
                        url,
                        types,
                        description,
                        vault.encrypt(secret, id),
                        true,
                        now,
                        now);
        repo.createEndpoint(e);
        events.invalidate(organizationId);
        LOG.info("Webhook {} of organization {} created for {}", id, organizationId, types);
        return new CreatedWebhook(view(e), secret);
    }

    @Override
    public Page<WebhookView> listWebhooks(String organizationId, String cursor, int pageSize)
            throws EngineException {
        ConnectionManager.checkPageSize(pageSize);
        Cursors.Position after = cursor == null ? null : Cursors.webhooks(cursor);
        List<WebhookRepository.Endpoint> rows =
                repo.endpoints(
                        organizationId,
                        after == null ? null : after.at(),
                        after == null ? null : after.id(),
                        pageSize + 1);
        String next = null;
        if (rows.size() > pageSize) {
            rows = rows.subList(0, pageSize);
            WebhookRepository.Endpoint last = rows.get(rows.size() - 1);
            next = Cursors.webhooks(last.createdAt(), last.id());
        }
        return new Page<>(rows.stream().map(WebhookManager::view).toList(), next);
    }

    @Override
    public Optional<WebhookView> findWebhook(String organizationId, String webhookId) {
        return repo.endpoint(organizationId, webhookId).map(WebhookManager::view);
    }

    @Override
    public WebhookView updateWebhook(String organizationId, String webhookId, WebhookChange change)
            throws EngineException {
        WebhookRepository.Endpoint e = endpoint(organizationId, webhookId);
        if (change == null) {
            return view(e);
        }
        List<FieldError> errors = new ArrayList<>();
        String url = change.url() == null ? e.url() : checkUrl(change.url(), errors);
        List<String> types =
                change.events() == null ? e.events() : checkEvents(change.events(), errors);
        String description =
                change.description() == null
                        ? e.description()
                        : checkDescription(change.description(), errors);
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The webhook change is invalid", errors);
        }
        boolean enabled = change.enabled() == null ? e.enabled() : change.enabled();
        Instant now = now();
        WebhookRepository.Endpoint changed =
                new WebhookRepository.Endpoint(
                        e.id(),
                        organizationId,
                        url,
                        types,
                        description,
                        e.secret(),
                        enabled,
                        e.createdAt(),
                        now);
        if (!repo.updateEndpoint(changed)) {
            throw EngineException.notFound("No such webhook");
        }
        events.invalidate(organizationId);
        if (e.enabled() && !enabled) {
            int ended = repo.failPending(e.id(), "the webhook was disabled", now);
            LOG.info("Webhook {} disabled; {} pending deliveries ended", e.id(), ended);
        }
        return view(changed);
    }

    @Override
    public void deleteWebhook(String organizationId, String webhookId) throws EngineException {
        if (!repo.deleteEndpoint(organizationId, webhookId)) {
            throw EngineException.notFound("No such webhook");
        }
        events.invalidate(organizationId);
        LOG.info("Webhook {} of organization {} deleted", webhookId, organizationId);
    }

    @Override
    public Page<WebhookDeliveryView> deliveries(
            String organizationId, String webhookId, String cursor, int pageSize)
            throws EngineException {
        ConnectionManager.checkPageSize(pageSize);
        endpoint(organizationId, webhookId);
        Cursors.Position after = cursor == null ? null : Cursors.deliveries(cursor, webhookId);
        List<WebhookRepository.Delivery> rows =
                repo.deliveries(
                        webhookId,
                        after == null ? null : after.at(),
                        after == null ? null : after.id(),
                        pageSize + 1);
        String next = null;
        if (rows.size() > pageSize) {
            rows = rows.subList(0, pageSize);
            WebhookRepository.Delivery last = rows.get(rows.size() - 1);
            next = Cursors.deliveries(webhookId, last.createdAt(), last.id());
        }
        return new Page<>(rows.stream().map(WebhookManager::delivery).toList(), next);
    }

    @Override
    public WebhookDeliveryView replay(String organizationId, String deliveryId)
            throws EngineException {
        WebhookRepository.Delivery d =
                repo.replay(organizationId, deliveryId, Tokens.newTimeOrderedId("whd"), now())
                        .orElseThrow(() -> EngineException.notFound("No such webhook delivery"));
        dispatcher.wake();
        return delivery(repo.delivery(organizationId, d.id()).orElse(d));
    }

    // -------------------------------------------------------------------------------- helpers

    private WebhookRepository.Endpoint endpoint(String organizationId, String webhookId)
            throws EngineException {
        return repo.endpoint(organizationId, webhookId)
                .orElseThrow(() -> EngineException.notFound("No such webhook"));
    }

    private static String checkUrl(String url, List<FieldError> errors) {
        String u = url == null ? "" : url.trim();
        if (u.isEmpty()) {
            errors.add(new FieldError("url", "is required"));
            return null;
        }
        if (u.length() > MAX_URL) {
            errors.add(new FieldError("url", "must be at most " + MAX_URL + " characters long"));
            return null;
        }
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute()
                    || !(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                errors.add(
                        new FieldError(
                                "url",
                                "must be an http or https URL such as"
                                        + " https://example.com/webhooks, without user info or"
                                        + " fragment"));
                return null;
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "is not a valid URL"));
            return null;
        }
        return u;
    }

    private static List<String> checkEvents(List<String> given, List<FieldError> errors) {
        if (given == null || given.isEmpty()) {
            errors.add(new FieldError("events", "must name at least one event type"));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i);
            if (t == null || !EVENT_TYPES.contains(t)) {
                errors.add(
                        new FieldError(
                                "events[" + i + "]",
                                "unknown event type "
                                        + (t == null ? "null" : "'" + t + "'")
                                        + "; known: "
                                        + String.join(", ", EVENT_TYPES)));
            } else {
                out.add(t);
            }
        }
        // in the order of API.md, whatever order they were given in
        List<String> ordered = new ArrayList<>();
        for (String t : EVENT_TYPES) {
            if (out.contains(t)) {
                ordered.add(t);
            }
        }
        return ordered;
    }

    private static String checkDescription(String description, List<FieldError> errors) {
        if (description == null || description.isBlank()) {
            return null;
        }
        if (description.length() > MAX_DESCRIPTION) {
            errors.add(
                    new FieldError(
                            "description",
                            "must be at most " + MAX_DESCRIPTION + " characters long"));
            return null;
        }
        return description.trim();
    }

    static WebhookView view(WebhookRepository.Endpoint e) {
        return new WebhookView(
                e.id(),
                e.url(),
                e.events(),
                e.description(),
                e.enabled(),
                e.createdAt(),
                e.updatedAt());
    }

    static WebhookDeliveryView delivery(WebhookRepository.Delivery d) {
        return new WebhookDeliveryView(
                d.id(),
                d.endpointId(),
                d.eventId(),
                d.eventType(),
                d.connectionId(),
                d.status(),
                d.attempts(),
                d.nextAttemptAt(),
                d.createdAt(),
                d.finishedAt(),
                d.replayOf(),
                d.attemptList().stream()
                        .map(
                                a ->
                                        new WebhookDeliveryView.Attempt(
                                                a.attempt(),
                                                a.attemptedAt(),
                                                a.statusCode(),
                                                a.latencyMs(),
                                                a.error(),
                                                a.nextAttemptAt()))
                        .toList());
    }
}
