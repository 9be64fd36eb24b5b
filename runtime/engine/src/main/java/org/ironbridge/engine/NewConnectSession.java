package org.ironbridge.engine;

import java.util.List;

/**
 * A request to open a connect session: what {@code POST /v1/admin/connect-sessions} carries.
 *
 * @param customerId the organization's reference for the customer who will connect (required)
 * @param systems the system ids to offer, or null for every installed connector
 * @param redirectUrl where the page sends the customer when done (absolute http or https URL), or
 *     null
 * @since 0.2
 */
public record NewConnectSession(String customerId, List<String> systems, String redirectUrl) {}
