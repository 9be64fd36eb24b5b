package org.ironbridge.engine;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Webhook endpoints of organizations and their deliveries (API.md, "Webhooks"). Events are signed
 * per Standard Webhooks with the endpoint's secret, which is shown once, when the endpoint is
 * created. Every method that takes an organization id only ever sees that organization's endpoints
 * and deliveries: another organization's are "not found".
 *
 * @since 0.2
 */
@ProviderType
public interface WebhookService {
    /** The event types an endpoint can subscribe to, in the order of API.md. */
    List<String> EVENT_TYPES =
            List.of(
                    "connection.created",
                    "connection.status_changed",
                    "connection.reauthorization_required",
                    "connection.disconnected",
                    "sync.completed",
                    "sync.failed",
                    "record.created",
                    "record.updated",
                    "record.deleted",
                    "agent.connected",
                    "agent.disconnected");

    /**
     * Registers an endpoint, enabled, with a new signing secret.
     *
     * @throws EngineException {@code VALIDATION_FAILED}: {@code url} not an absolute http(s) URL,
     *     {@code events} empty or naming an unknown type ({@code events[i]}), {@code description}
     *     too long
     */
    CreatedWebhook createWebhook(String organizationId, NewWebhook request) throws EngineException;

    /**
     * The organization's endpoints, newest first.
     *
     * @throws EngineException {@code VALIDATION_FAILED} for a malformed cursor or page size
     */
    Page<WebhookView> listWebhooks(String organizationId, String cursor, int pageSize)
            throws EngineException;

    Optional<WebhookView> findWebhook(String organizationId, String webhookId);

    /**
     * Changes the fields the change carries (see {@link #createWebhook} for their checks).
     * Disabling an endpoint ends its pending deliveries as failed (they can be replayed); no events
     * are queued for it while it is disabled.
     *
     * @throws EngineException {@code NOT_FOUND}, {@code VALIDATION_FAILED} as for {@link
     *     #createWebhook}
     */
    WebhookView updateWebhook(String organizationId, String webhookId, WebhookChange change)
            throws EngineException;

    /**
     * Deletes an endpoint with its deliveries.
     *
     * @throws EngineException {@code NOT_FOUND}
     */
    void deleteWebhook(String organizationId, String webhookId) throws EngineException;

    /**
     * The deliveries to an endpoint, newest first, each with its attempts.
     *
     * @throws EngineException {@code NOT_FOUND}, {@code VALIDATION_FAILED} for a malformed cursor
     *     or page size
     */
    Page<WebhookDeliveryView> deliveries(
            String organizationId, String webhookId, String cursor, int pageSize)
            throws EngineException;

    /**
     * Sends a delivery's event to its endpoint again, as a new delivery (same event, so the same
     * {@code webhook-id}), due at once.
     *
     * @return the new delivery
     * @throws EngineException {@code NOT_FOUND}
     */
    WebhookDeliveryView replay(String organizationId, String deliveryId) throws EngineException;
}
