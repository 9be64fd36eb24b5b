package org.ironbridge.api.connector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an incremental read of one entity stands. The runtime persists it after every page, in the
 * same transaction as the page's records, and hands it back to the connector on the next read.
 *
 * <p>A cursor has a high-water mark (the latest source modification time seen, which the runtime
 * moves back by an overlap window before the next incremental sync, because source timestamps are
 * coarse and records change while a sync runs) and an optional connector-specific state (e.g. the
 * last id seen at that timestamp, a source page token, or a sub-cursor for order lines). The
 * serialized form ({@link #serialize()}) is stored in the database and is an API: {@code v1.<epoch
 * microseconds>.<base64url state>}; a new form gets a new version prefix, and {@link #parse} keeps
 * reading the old ones.
 */
public final class Cursor {
    /** The version of the serialized form written by this class. */
    public static final int VERSION = 1;

    private final Instant watermark;
    private final String state;

    private Cursor(Instant watermark, String state) {
        this.watermark = watermark;
        this.state = state == null ? "" : state;
    }

    /**
     * A cursor at the given high-water mark with connector state.
     *
     * @param watermark the latest modification time seen at the source, or null if none yet
     * @param state connector-specific state, or null
     */
    public static Cursor of(Instant watermark, String state) {
        return new Cursor(watermark, state);
    }

    /** A cursor at the given high-water mark without connector state. */
    public static Cursor at(Instant watermark) {
        return new Cursor(watermark, null);
    }

    /** The latest source modification time seen, if any. */
    public Optional<Instant> watermark() {
        return Optional.ofNullable(watermark);
    }

    /** Connector-specific state; empty string when none. */
    public String state() {
        return state;
    }

    /**
     * This cursor with its high-water mark moved back by the overlap window and its state cleared.
     */
    public Cursor minus(Duration overlap) {
        return new Cursor(watermark == null ? null : watermark.minus(overlap), null);
    }

    /** The stored form: {@code v1.<epoch micros or empty>.<base64url state>}. */
    public String serialize() {
        String micros =
                watermark == null
                        ? ""
                        : Long.toString(
                                Math.addExact(
                                        Math.multiplyExact(watermark.getEpochSecond(), 1_000_000L),
                                        watermark.getNano() / 1_000));
        return "v"
                + VERSION
                + "."
                + micros
                + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(state.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a stored cursor.
     *
     * @throws IllegalArgumentException when the text is not a cursor of a known version
     */
    public static Cursor parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new IllegalArgumentException("not a v1 cursor");
        }
        try {
            Instant mark = null;
            if (!parts[1].isEmpty()) {
                long micros = Long.parseLong(parts[1]);
                mark =
                        Instant.ofEpochSecond(
                                Math.floorDiv(micros, 1_000_000L),
                                Math.floorMod(micros, 1_000_000L) * 1_000L);
            }
            String state =
                    new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
            return new Cursor(mark, state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed cursor", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cursor c
                && Objects.equals(watermark, c.watermark)
                && state.equals(c.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(watermark, state);
    }

    @Override
    public String toString() {
        return serialize();
    }
}
