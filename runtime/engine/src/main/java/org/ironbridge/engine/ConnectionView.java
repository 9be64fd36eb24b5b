package org.ironbridge.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A connection as the APIs show it: never its credentials or token.
 *
 * @param status {@code active}, {@code degraded}, {@code reauthorization_required} or {@code
 *     disconnected}
 * @param lastSync the latest sync run per entity collection name
 */
public record ConnectionView(
        String id,
        String organizationId,
        String system,
        String customerId,
        String name,
        String deployment,
        String status,
        String statusReason,
        Instant createdAt,
        Instant disconnectedAt,
        int credits,
        SyncSettings sync,
        Map<String, SyncView> lastSync) {}
