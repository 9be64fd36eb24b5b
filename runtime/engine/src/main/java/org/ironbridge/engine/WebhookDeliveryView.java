package org.ironbridge.engine;

import java.time.Instant;
import java.util.List;

/**
 * One event sent (or to be sent) to one endpoint, with its attempts.
 *
 * @param status {@code pending} (due at {@code nextAttemptAt}), {@code succeeded} (a 2xx answer) or
 *     {@code failed} (no 2xx within the retry window, or the endpoint was disabled)
 * @param attemptCount attempts made so far
 * @param nextAttemptAt when a pending delivery is attempted next; null once finished
 * @param replayOf the delivery this one replays, or null
 * @param attempts the attempts, oldest first
 * @since 0.2
 */
public record WebhookDeliveryView(
        String id,
        String webhookId,
        String eventId,
        String eventType,
        String connectionId,
        String status,
        int attemptCount,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant finishedAt,
        String replayOf,
        List<Attempt> attempts) {

    /**
     * One attempt.
     *
     * @param statusCode the receiver's HTTP status; null when it did not answer
     * @param latencyMs from sending the request to the answer (or the failure)
     * @param error why the attempt failed, null for a 2xx
     * @param nextAttemptAt the retry it scheduled; null if none
     */
    public record Attempt(
            int number,
            Instant at,
            Integer statusCode,
            int latencyMs,
            String error,
            Instant nextAttemptAt) {}
}
