package org.ironbridge.engine;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint as the admin API shows it: never its secret.
 *
 * @param events the subscribed event types
 * @since 0.2
 */
public record WebhookView(
        String id,
        String url,
        List<String> events,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {}
