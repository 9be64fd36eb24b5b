package org.ironbridge.engine;

import java.time.Instant;

/** One entry of a connection's status history: the status it changed to, why and when. */
public record StatusEntry(String status, String reason, Instant at) {}
