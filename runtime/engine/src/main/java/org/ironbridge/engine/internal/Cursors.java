package org.ironbridge.engine.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.EngineException;
import org.ironbridge.store.Micros;

/**
 * The opaque page cursors of the APIs: base64url (no padding) of a versioned keyset position. A
 * cursor is only a position, never a capability: every query stays scoped to its connection or
 * organization.
 *
 * <ul>
 *   <li>records: {@code r1|<collection>|<updated_at micros>|<id>}
 *   <li>connections: {@code c1|<created_at micros>|<id>}
 *   <li>webhook endpoints: {@code w1|<created_at micros>|<id>}
 *   <li>webhook deliveries: {@code d1|<webhook id>|<created_at micros>|<id>}
 * </ul>
 */
final class Cursors {
    private Cursors() {}

    /** A keyset position. */
    record Position(Instant at, String id) {}

    static String records(String collection, Instant updatedAt, String id) {
        return encode("r1|" + collection + "|" + Micros.of(updatedAt) + "|" + id);
    }

    /**
     * Reads a records cursor.
     *
     * @throws EngineException {@code VALIDATION_FAILED} (field {@code cursor}) when it is not a
     *     cursor of this collection
     */
    static Position records(String cursor, String collection) throws EngineException {
        String[] parts = decode(cursor).split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals("r1") || parts[3].isEmpty()) {
            throw invalid();
        }
        if (!parts[1].equals(collection)) {
            throw EngineException.invalid(
                    "The cursor belongs to another collection",
                    List.of(new FieldError("cursor", "belongs to another collection")));
        }
        return new Position(micros(parts[2]), parts[3]);
    }

    static String connections(Instant createdAt, String id) {
        return encode("c1|" + Micros.of(createdAt) + "|" + id);
    }

    static Position connections(String cursor) throws EngineException {
        String[] parts = decode(cursor).split("\\|", -1);
        if (parts.length != 3 || !parts[0].equals("c1") || parts[2].isEmpty()) {
            throw invalid();
        }
        return new Position(micros(parts[1]), parts[2]);
    }

    static String webhooks(Instant createdAt, String id) {
        return encode("w1|" + Micros.of(createdAt) + "|" + id);
    }

    static Position webhooks(String cursor) throws EngineException {
        String[] parts = decode(cursor).split("\\|", -1);
        if (parts.length != 3 || !parts[0].equals("w1") || parts[2].isEmpty()) {
            throw invalid();
        }
        return new Position(micros(parts[1]), parts[2]);
    }

    static String deliveries(String webhookId, Instant createdAt, String id) {
        return encode("d1|" + webhookId + "|" + Micros.of(createdAt) + "|" + id);
    }

    /** Reads a deliveries cursor; it must belong to the same webhook. */
    static Position deliveries(String cursor, String webhookId) throws EngineException {
        String[] parts = decode(cursor).split("\\|", -1);
        if (parts.length != 4
                || !parts[0].equals("d1")
                || !parts[1].equals(webhookId)
                || parts[3].isEmpty()) {
            throw invalid();
        }
        return new Position(micros(parts[2]), parts[3]);
    }

    private static Instant micros(String text) throws EngineException {
        try {
            return Micros.toInstant(Long.parseLong(text));
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid();
        }
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) throws EngineException {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 512) {
            throw invalid();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static EngineException invalid() {
        return EngineException.invalid(
                "The cursor is not valid; use the next_cursor of a previous page",
                List.of(new FieldError("cursor", "is not a valid cursor")));
    }
}
