package org.ironbridge.engine;

import java.util.Map;

/**
 * A request to connect a system: what {@code POST /v1/admin/connections} carries.
 *
 * @param system the connector's system id
 * @param customerId the organization's own reference for its customer (required)
 * @param name a display name, or null
 * @param deployment {@code cloud} or {@code on_prem}, or null for {@code cloud}
 * @param credentials the credential values, keyed by the descriptor's field names
 * @param sync sync settings, or null for the defaults
 */
public record NewConnection(
        String system,
        String customerId,
        String name,
        String deployment,
        Map<String, String> credentials,
        SyncSettings sync) {}
