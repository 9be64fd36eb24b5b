package org.ironbridge.connector.sandbox.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ironbridge.model.EntityType;

/**
 * The sandbox's own status codes and their canonical values. {@code remote_status} always holds the
 * code, {@code status} the canonical value.
 */
final class Statuses {
    private static final Map<EntityType, Map<String, String>> RAW = new LinkedHashMap<>();

    static {
        RAW.put(
                EntityType.PURCHASE_ORDERS,
                ordered(
                        "draft", "NEW",
                        "pending_approval", "WAPPR",
                        "approved", "APPR",
                        "partially_received", "PARTRCV",
                        "received", "RCVD",
                        "closed", "CLOSED",
                        "cancelled", "CANC"));
        RAW.put(
                EntityType.WORK_ORDERS,
                ordered(
                        "requested", "WREQ",
                        "approved", "APPR",
                        "scheduled", "SCHED",
                        "in_progress", "INPRG",
                        "on_hold", "HOLD",
                        "completed", "COMP",
                        "closed", "CLOSE",
                        "cancelled", "CAN"));
        RAW.put(
                EntityType.SERVICE_REQUESTS,
                ordered(
                        "open", "NEW",
                        "in_progress", "QUEUED",
                        "resolved", "RESOLVED",
                        "closed", "CLOSED",
                        "cancelled", "CANCELLED"));
        RAW.put(
                EntityType.ASSETS,
                ordered(
                        "active", "OPERATING",
                        "inactive", "NOT READY",
                        "decommissioned", "DECOMMISSIONED"));
    }

    private Statuses() {}

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** Whether the entity has a {@code remote_status}. */
    static boolean hasRemoteStatus(EntityType entity) {
        return RAW.containsKey(entity);
    }

    /** The sandbox's code for a canonical status, or null. */
    static String raw(EntityType entity, String status) {
        Map<String, String> m = RAW.get(entity);
        return m == null || status == null ? null : m.get(status);
    }

    /** The canonical status values of an entity, in lifecycle order. */
    static List<String> values(EntityType entity) {
        Map<String, String> m = RAW.get(entity);
        return m == null ? List.of("active", "inactive") : List.copyOf(m.keySet());
    }
}
