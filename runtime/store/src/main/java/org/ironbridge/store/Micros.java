package org.ironbridge.store;

import java.time.Instant;

/**
 * Conversions between {@link Instant} and the BIGINT epoch microseconds the schema stores times as.
 */
public final class Micros {
    private Micros() {}

    public static long of(Instant t) {
        return Math.addExact(
                Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** The instant for a nullable column value. */
    public static Instant toInstantOrNull(Long micros) {
        return micros == null ? null : toInstant(micros);
    }
}
