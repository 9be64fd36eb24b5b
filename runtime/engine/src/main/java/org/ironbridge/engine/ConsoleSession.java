package org.ironbridge.engine;

import java.time.Instant;

/**
 * A logged-in console session, without its token (which only the browser's cookie holds).
 *
 * @param user the console user, or null for a session opened with an admin API key
 * @param csrfToken the value the console must send in {@code X-CSRF-Token} on every unsafe request
 * @param expiresAt when the session ends unless it is used: the idle timeout after its last use,
 *     never later than its absolute lifetime after it was created
 */
public record ConsoleSession(
        String organizationId,
        ConsoleUser user,
        String csrfToken,
        Instant createdAt,
        Instant expiresAt) {

    /** Without the CSRF token: sessions may end up in logs. */
    @Override
    public String toString() {
        return "ConsoleSession[organizationId="
                + organizationId
                + ", user="
                + (user == null ? "admin key" : user.id())
                + ", expiresAt="
                + expiresAt
                + "]";
    }
}
