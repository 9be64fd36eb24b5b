package org.ironbridge.engine;

import java.util.List;

/**
 * A request to register a webhook endpoint: what {@code POST /v1/admin/webhooks} carries.
 *
 * @param url where events are POSTed: an absolute http or https URL
 * @param events the event types to send (of {@link WebhookService#EVENT_TYPES})
 * @param description a note for the organization, or null
 * @since 0.2
 */
public record NewWebhook(String url, List<String> events, String description) {}
