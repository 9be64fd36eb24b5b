package org.ironbridge.store;

import java.time.Instant;

/** One entry of a connection's status history. */
public record StatusChange(String status, String reason, Instant at) {}
