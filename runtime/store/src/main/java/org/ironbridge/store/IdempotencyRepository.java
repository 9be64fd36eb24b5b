package org.ironbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Stored idempotency keys of writes. */
public final class IdempotencyRepository {

    /** A stored key. */
    public record Row(
            String connectionId,
            String key,
            String fingerprint,
            String state,
            Integer statusCode,
            String body,
            String location,
            Instant createdAt) {
        public static final String PENDING = "pending";
        public static final String DONE = "done";
    }

    private final DataSource ds;

    public IdempotencyRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Inserts a pending key.
     *
     * @return false when the key exists already
     */
    public boolean insertPending(String connectionId, String key, String fingerprint, Instant now) {
        try {
            return Jdbc.withConnection(
                    ds,
                    "reserve idempotency key",
                    c -> {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "INSERT INTO idempotency_keys (connection_id, idem_key,"
                                                + " fingerprint, state, created_at) VALUES (?, ?,"
                                                + " ?, ?, ?)")) {
                            ps.setString(1, connectionId);
                            ps.setString(2, key);
                            ps.setString(3, fingerprint);
                            ps.setString(4, Row.PENDING);
                            ps.setLong(5, Micros.of(now));
                            ps.executeUpdate();
                            return true;
                        }
                    });
        } catch (StoreException e) {
            if (Jdbc.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Row> find(String connectionId, String key) {
        return Jdbc.withConnection(
                ds,
                "read idempotency key",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT connection_id, idem_key, fingerprint, state,"
                                            + " status_code, body, location, created_at FROM"
                                            + " idempotency_keys WHERE connection_id = ? AND"
                                            + " idem_key = ?")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.empty();
                            }
                            return Optional.of(
                                    new Row(
                                            rs.getString(1),
                                            rs.getString(2),
                                            rs.getString(3),
                                            rs.getString(4),
                                            Jdbc.integer(rs, "status_code"),
                                            rs.getString(6),
                                            rs.getString(7),
                                            Micros.toInstant(rs.getLong(8))));
                        }
                    }
                });
    }

    /**
     * Replaces an expired key (created at {@code expiredCreatedAt}) with a new pending one; false
     * if another request replaced it first.
     */
    public boolean replaceExpired(
            String connectionId,
            String key,
            Instant expiredCreatedAt,
            String fingerprint,
            Instant now) {
        return Jdbc.withConnection(
                ds,
                "renew idempotency key",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE idempotency_keys SET fingerprint = ?, state = ?,"
                                            + " status_code = NULL, body = NULL, location = NULL,"
                                            + " created_at = ?, completed_at = NULL WHERE"
                                            + " connection_id = ? AND idem_key = ? AND created_at"
                                            + " = ?")) {
                        ps.setString(1, fingerprint);
                        ps.setString(2, Row.PENDING);
                        ps.setLong(3, Micros.of(now));
                        ps.setString(4, connectionId);
                        ps.setString(5, key);
                        ps.setLong(6, Micros.of(expiredCreatedAt));
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /** Stores the response of a pending key. */
    public void complete(
            String connectionId,
            String key,
            int status,
            String body,
            String location,
            Instant now) {
        Jdbc.withConnection(
                ds,
                "complete idempotency key",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE idempotency_keys SET state = ?, status_code = ?, body"
                                            + " = ?, location = ?, completed_at = ? WHERE"
                                            + " connection_id = ? AND idem_key = ? AND state ="
                                            + " ?")) {
                        ps.setString(1, Row.DONE);
                        ps.setInt(2, status);
                        if (body == null) {
                            ps.setNull(3, Types.VARCHAR);
                        } else {
                            ps.setString(3, body);
                        }
                        Jdbc.setString(ps, 4, location == null ? null : Jdbc.cut(location, 2000));
                        ps.setLong(5, Micros.of(now));
                        ps.setString(6, connectionId);
                        ps.setString(7, key);
                        ps.setString(8, Row.PENDING);
                        return ps.executeUpdate();
                    }
                });
    }

    /** Deletes a pending key so that the request can be retried with it. */
    public void deletePending(String connectionId, String key) {
        Jdbc.withConnection(
                ds,
                "release idempotency key",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM idempotency_keys WHERE connection_id = ? AND"
                                            + " idem_key = ? AND state = ?")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, key);
                        ps.setString(3, Row.PENDING);
                        return ps.executeUpdate();
                    }
                });
    }

    /** Deletes keys created before the given time. */
    public int purgeCreatedBefore(Instant before) {
        return Jdbc.withConnection(
                ds,
                "purge idempotency keys",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM idempotency_keys WHERE created_at < ?")) {
                        ps.setLong(1, Micros.of(before));
                        return ps.executeUpdate();
                    }
                });
    }
}
