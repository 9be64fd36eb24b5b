package org.ironbridge.store;

import java.time.Instant;

/**
 * An organization: one customer of Ironbridge, with its admin keys, connections and credit pool.
 */
public record Organization(String id, String name, int creditPool, Instant createdAt) {}
