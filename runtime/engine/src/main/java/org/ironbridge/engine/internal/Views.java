package org.ironbridge.engine.internal;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.ConnectionRow;
import org.ironbridge.store.SyncRunRow;

/** Store rows as the engine's API views. */
final class Views {
    private Views() {}

    static ConnectionView connection(ConnectionRow r, Map<String, SyncRunRow> latest) {
        Map<String, SyncView> last = new LinkedHashMap<>();
        if (latest != null) {
            latest.forEach((entity, run) -> last.put(entity, sync(run)));
        }
        return new ConnectionView(
                r.id(),
                r.organizationId(),
                r.system(),
                r.customerId(),
                r.name(),
                r.deployment(),
                r.status(),
                r.statusReason(),
                r.createdAt(),
                r.disconnectedAt(),
                r.credits(),
                settings(r),
                Map.copyOf(last));
    }

    static SyncSettings settings(ConnectionRow r) {
        Set<EntityType> entities = EnumSet.noneOf(EntityType.class);
        for (String c : r.syncEntities()) {
            EntityType.ofCollection(c).ifPresent(entities::add);
        }
        return new SyncSettings(
                r.syncInitialDays(), r.syncIntervalSeconds(), entities, r.syncReconcileSeconds());
    }

    static SyncView sync(SyncRunRow r) {
        return new SyncView(
                r.id(),
                r.connectionId(),
                r.entity(),
                r.kind(),
                r.status(),
                r.startedAt(),
                r.finishedAt(),
                r.recordsSeen(),
                r.recordsChanged(),
                r.recordsDeleted(),
                r.progressPermille() == null ? null : r.progressPermille() / 1000.0,
                r.errorMessage());
    }
}
