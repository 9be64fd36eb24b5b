package org.ironbridge.engine;

import java.time.Instant;
import java.util.List;

/**
 * A connect session as the engine shows it: never its token or code.
 *
 * @param systems the system ids the session offers; empty for every installed connector
 * @param redirectUrl where the page sends the customer when done, or null
 * @param status {@link #OPEN}, {@link #COMPLETED} or {@link #EXPIRED}, as of the lookup
 * @param connectionId the connection created in the session, or null
 * @since 0.2
 */
public record ConnectSessionView(
        String id,
        String organizationId,
        String customerId,
        List<String> systems,
        String redirectUrl,
        Instant createdAt,
        Instant expiresAt,
        String status,
        String connectionId) {
    /** The session can be used to connect a system. */
    public static final String OPEN = "open";

    /**
     * A connection was created in the session; its token no longer works on {@code /v1/connect}.
     */
    public static final String COMPLETED = "completed";

    /** The session expired before a connection was created. */
    public static final String EXPIRED = "expired";

    public ConnectSessionView {
        systems = systems == null ? List.of() : List.copyOf(systems);
    }
}
