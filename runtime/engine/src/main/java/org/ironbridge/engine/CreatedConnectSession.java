package org.ironbridge.engine;

/**
 * A new connect session and its token ({@code ibs_…}), which is shown this once and stored only as
 * a hash.
 *
 * @since 0.2
 */
public record CreatedConnectSession(ConnectSessionView session, String token) {}
