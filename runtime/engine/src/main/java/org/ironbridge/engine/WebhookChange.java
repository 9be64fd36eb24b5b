package org.ironbridge.engine;

import java.util.List;

/**
 * A change of a webhook endpoint ({@code PATCH /v1/admin/webhooks/{id}}): null fields stay as they
 * are.
 *
 * @param description the new note; an empty one removes it
 * @since 0.2
 */
public record WebhookChange(String url, List<String> events, String description, Boolean enabled) {}
