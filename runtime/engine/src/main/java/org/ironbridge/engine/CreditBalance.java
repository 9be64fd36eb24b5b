package org.ironbridge.engine;

/**
 * An organization's connection credits.
 *
 * @param pool the credits the organization has
 * @param used the credits consumed by its connections that are not disconnected
 * @param available {@code pool - used} (never negative)
 */
public record CreditBalance(int pool, int used, int available) {}
