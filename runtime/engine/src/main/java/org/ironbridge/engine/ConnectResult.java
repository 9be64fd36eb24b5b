package org.ironbridge.engine;

import java.time.Instant;

/**
 * What the connect page learns when a connection was created: the connection's id and the one-time
 * code the organization exchanges for its token.
 *
 * @param code the one-time code (shown once, stored as a hash)
 * @param codeExpiresAt until when the code can be exchanged
 * @param redirectUrl the session's redirect URL with {@code connection_id} and {@code code} added
 *     to its query, or null when the session has none
 * @since 0.2
 */
public record ConnectResult(
        String connectionId,
        String system,
        String code,
        Instant codeExpiresAt,
        String redirectUrl) {}
