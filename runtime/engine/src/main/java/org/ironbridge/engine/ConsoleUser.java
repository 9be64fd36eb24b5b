package org.ironbridge.engine;

import java.time.Instant;

/**
 * A console user as the APIs show it: never its password or password hash.
 *
 * @param email trimmed and lower-cased; unique within the organization
 */
public record ConsoleUser(String id, String organizationId, String email, Instant createdAt) {}
