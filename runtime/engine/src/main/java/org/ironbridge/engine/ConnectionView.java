package org.ironbridge.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A connection as the APIs show it: never its credentials or token.
 *
 * @param status {@code active}, {@code degraded}, {@code reauthorization_required} or {@code
 *     disconnected}
 * @param lastSync the latest sync run per entity collection name
 * @param health how the connection's source calls have gone lately; null where it was not computed
 *     (the view of a token, cached for authentication)
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
        Map<String, SyncView> lastSync,
        ConnectionHealth health) {

    /** A view without health. */
    public ConnectionView(
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
            Map<String, SyncView> lastSync) {
        this(
                id,
                organizationId,
                system,
                customerId,
                name,
                deployment,
                status,
                statusReason,
                createdAt,
                disconnectedAt,
                credits,
                sync,
                lastSync,
                null);
    }

    /** This view with the given health. */
    public ConnectionView withHealth(ConnectionHealth h) {
        return new ConnectionView(
                id,
                organizationId,
                system,
                customerId,
                name,
                deployment,
                status,
                statusReason,
                createdAt,
                disconnectedAt,
                credits,
                sync,
                lastSync,
                h);
    }
}
