package org.ironbridge.engine;

/**
 * A new webhook endpoint and its signing secret ({@code whsec_} and the base64 of 32 random bytes),
 * which is shown this once.
 *
 * @since 0.2
 */
public record CreatedWebhook(WebhookView webhook, String secret) {}
