package org.ironbridge.store;

import java.time.Instant;
import java.util.List;

/**
 * A row of {@code connections}.
 *
 * @param credentials the encrypted credentials (the vault's stored form), never clear text
 * @param syncEntities entity collection names to sync; empty = every collection the connector can
 *     list
 * @param syncReconcileSeconds how often deletes are reconciled by comparing id sets, in seconds
 */
public record ConnectionRow(
        String id,
        String organizationId,
        String system,
        String customerId,
        String name,
        String deployment,
        String agentId,
        String status,
        String statusReason,
        Instant statusChangedAt,
        int credits,
        String tokenHash,
        String tokenHint,
        String credentials,
        int syncInitialDays,
        int syncIntervalSeconds,
        List<String> syncEntities,
        Instant createdAt,
        Instant disconnectedAt,
        Instant purgedAt,
        String replacedBy,
        int syncReconcileSeconds) {

    public static final String ACTIVE = "active";
    public static final String DEGRADED = "degraded";
    public static final String REAUTHORIZATION_REQUIRED = "reauthorization_required";
    public static final String DISCONNECTED = "disconnected";

    public ConnectionRow {
        syncEntities = syncEntities == null ? List.of() : List.copyOf(syncEntities);
    }

    public boolean disconnected() {
        return DISCONNECTED.equals(status);
    }
}
